import { useEffect, useState } from "react";
import { Badge, Button, Center, Chip, Group, MultiSelect, Pagination, SegmentedControl, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { IconPlus } from "@tabler/icons-react";
import { call } from "../../api/backend";
import type { ArchivedFilter, ComplaintListInput, ComplaintPriority, ComplaintStatus, ComplaintType, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, SeverityBadge, StatusBadge } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ExportMenu } from "../../components/ExportMenu";
import { PRIORITY_OPTIONS, STATUS_OPTIONS, TYPE_OPTIONS } from "./options";
import { count } from "../../components/plural";
import { OpenRow } from "../../components/OpenRow";

type Filters = {
  search: string; status: ComplaintStatus[]; complaintType: ComplaintType[]; priority: ComplaintPriority[];
  acknowledgementOverdue: boolean; resolutionOverdue: boolean; archived: ArchivedFilter; page: number;
};
const STORAGE_KEY = "qgp.complaints.filters";
const DEFAULT_FILTERS: Filters = { search: "", status: [], complaintType: [], priority: [], acknowledgementOverdue: false, resolutionOverdue: false, archived: "exclude", page: 1 };

function loadFilters(): Filters {
  try {
    return { ...DEFAULT_FILTERS, ...JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") };
  } catch {
    return DEFAULT_FILTERS;
  }
}

export function ComplaintRegister({ navigate, user }: { navigate: Navigate; user: UserView }) {
  const [filters, setFilters] = useState<Filters>(loadFilters);
  const [search] = useDebouncedValue(filters.search, 200);
  useEffect(() => localStorage.setItem(STORAGE_KEY, JSON.stringify(filters)), [filters]);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const input: ComplaintListInput = {
    page: filters.page, pageSize: 50, archived: filters.archived, search: search || undefined,
    status: filters.status.length ? filters.status : undefined, complaintType: filters.complaintType.length ? filters.complaintType : undefined,
    priority: filters.priority.length ? filters.priority : undefined,
    acknowledgementOverdue: filters.acknowledgementOverdue || undefined, resolutionOverdue: filters.resolutionOverdue || undefined,
  };
  const list = useQuery({ queryKey: ["complaints.list", input], queryFn: () => call("complaints.list", input), placeholderData: keepPreviousData });
  const canCreate = user.role !== "viewer";
  const filtered = JSON.stringify({ ...filters, page: 1 }) !== JSON.stringify(DEFAULT_FILTERS);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Complaints</Title>
        <Group>
          <ExportMenu register="complaints" filter={input} />
          {canCreate && <Button leftSection={<IconPlus size={16} />} onClick={() => navigate({ name: "complaint-new" })} data-testid="new-complaint">New complaint</Button>}
        </Group>
      </Group>
      <Group align="end" gap="sm" wrap="wrap">
        <TextInput label="Search" placeholder="Reference, title, complainant, company, order no." value={filters.search} onChange={(e) => set({ search: e.currentTarget.value })} w={280} data-testid="complaint-search" />
        <MultiSelect label="Status" data={STATUS_OPTIONS} value={filters.status} onChange={(v) => set({ status: v as ComplaintStatus[] })} w={200} clearable />
        <MultiSelect label="Type" data={TYPE_OPTIONS} value={filters.complaintType} onChange={(v) => set({ complaintType: v as ComplaintType[] })} w={180} clearable />
        <MultiSelect label="Priority" data={PRIORITY_OPTIONS} value={filters.priority} onChange={(v) => set({ priority: v as ComplaintPriority[] })} w={170} clearable />
        <Chip checked={filters.acknowledgementOverdue} onChange={(c) => set({ acknowledgementOverdue: c })}>Acknowledgement late</Chip>
        <Chip checked={filters.resolutionOverdue} onChange={(c) => set({ resolutionOverdue: c })}>Resolution late</Chip>
        <SegmentedControl value={filters.archived} onChange={(v) => set({ archived: v as ArchivedFilter })} data={[{ value: "exclude", label: "Active" }, { value: "only", label: "Archived" }, { value: "include", label: "All" }]} />
        <Button variant="subtle" onClick={() => setFilters(DEFAULT_FILTERS)}>Clear filters</Button>
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data && list.data.total === 0 && !filtered ? (
        <Center py="xl">
          <Stack align="center" gap="xs">
            <Text fw={600}>No complaints recorded yet</Text>
            <Text size="sm" c="dimmed">Each complaint is acknowledged, investigated and resolved against its target date.</Text>
            {canCreate && <Button onClick={() => navigate({ name: "complaint-new" })}>Record the first complaint</Button>}
          </Stack>
        </Center>
      ) : (
        <Table striped highlightOnHover stickyHeader data-testid="complaint-table">
          <Table.Thead>
            <Table.Tr><Table.Th>Reference</Table.Th><Table.Th>Title</Table.Th><Table.Th>Complainant</Table.Th><Table.Th>Priority</Table.Th><Table.Th>Status</Table.Th><Table.Th>Received</Table.Th><Table.Th>Target</Table.Th><Table.Th>Owner</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((c) => (
              <OpenRow key={c.id} onOpen={() => navigate({ name: "complaint", id: c.id })} data-testid="complaint-row">
                <Table.Td><CopyRef value={c.reference} /></Table.Td>
                <Table.Td>{c.title}{c.archivedAt && <Text span c="dimmed" size="xs"> (archived)</Text>}</Table.Td>
                <Table.Td>{c.complainantName}{c.complainantCompany && <Text size="xs" c="dimmed">{c.complainantCompany}</Text>}</Table.Td>
                <Table.Td><SeverityBadge value={c.priority} /></Table.Td>
                <Table.Td><StatusBadge value={c.status} />{c.flags.acknowledgementOverdue && <Badge ml={4} size="xs" color="red" variant="light">Ack late</Badge>}</Table.Td>
                <Table.Td className="qgp-nowrap">{c.receivedDate}</Table.Td>
                <Table.Td><Text size="sm" c={c.flags.resolutionOverdue ? "red" : undefined} fw={c.flags.resolutionOverdue ? 600 : undefined}><span className="qgp-nowrap">{c.targetResolutionDate}</span>{c.flags.resolutionOverdue ? " · late" : ""}</Text></Table.Td>
                <Table.Td>{c.ownerName ?? <Text span size="sm" c="dimmed">Unassigned</Text>}</Table.Td>
              </OpenRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && list.data.total > 0 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">{count(list.data.total, "complaint")}</Text>
          <Pagination total={list.data.pages} value={filters.page} onChange={(page) => setFilters((f) => ({ ...f, page }))} />
        </Group>
      )}
      <Text size="xs" c="dimmed">Complainant details are personal data: record only what handling the complaint needs.</Text>
    </Stack>
  );
}
