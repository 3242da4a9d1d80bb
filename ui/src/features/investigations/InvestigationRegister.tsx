import { useState } from "react";
import { Badge, Center, Chip, Group, MultiSelect, Pagination, SegmentedControl, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { ArchivedFilter, InvestigationListInput, InvestigationStatus } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { count } from "../../components/plural";
import { OpenRow } from "../../components/OpenRow";

const STATUSES: InvestigationStatus[] = ["open", "in_progress", "completed", "closed"];

export function InvestigationRegister({ navigate }: { navigate: Navigate }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 200);
  const [status, setStatus] = useState<InvestigationStatus[]>([]);
  const [overdue, setOverdue] = useState(false);
  const [archived, setArchived] = useState<ArchivedFilter>("exclude");
  const [page, setPage] = useState(1);
  const input: InvestigationListInput = { page, pageSize: 50, search: q || undefined, status: status.length ? status : undefined, overdue: overdue || undefined, archived };
  const list = useQuery({ queryKey: ["investigations.list", input], queryFn: () => call("investigations.list", input), placeholderData: keepPreviousData });
  return (
    <Stack>
      <Title order={2}>Investigations</Title>
      <Text size="sm" c="dimmed">Root-cause investigations are opened from the record they investigate (an incident's Investigations tab).</Text>
      <Group align="end" gap="sm">
        <TextInput label="Search" placeholder="Reference, title, problem, root cause" value={search} onChange={(e) => { setSearch(e.currentTarget.value); setPage(1); }} w={280} data-testid="investigation-search" />
        <MultiSelect label="Status" data={STATUSES.map((s) => ({ value: s, label: humanise(s) }))} value={status} onChange={(v) => { setStatus(v as InvestigationStatus[]); setPage(1); }} w={220} clearable />
        <Chip checked={overdue} onChange={(c) => { setOverdue(c); setPage(1); }}>Overdue</Chip>
        <SegmentedControl value={archived} onChange={(v) => { setArchived(v as ArchivedFilter); setPage(1); }} data={[{ value: "exclude", label: "Active" }, { value: "only", label: "Archived" }, { value: "include", label: "All" }]} />
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data?.total === 0 ? <Center py="xl"><Text c="dimmed">No investigations match.</Text></Center> : (
        <Table striped highlightOnHover stickyHeader data-testid="investigation-table">
          <Table.Thead>
            <Table.Tr><Table.Th>Reference</Table.Th><Table.Th>Title</Table.Th><Table.Th>Subject</Table.Th><Table.Th>Lead</Table.Th><Table.Th>Status</Table.Th><Table.Th>Target</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((i) => (
              <OpenRow key={i.id} onOpen={() => navigate({ name: "investigation", id: i.id })} data-testid="investigation-row">
                <Table.Td><CopyRef value={i.reference} /></Table.Td>
                <Table.Td>{i.title}</Table.Td>
                <Table.Td>{i.subjectReference}</Table.Td>
                <Table.Td>{i.leadName}</Table.Td>
                <Table.Td><StatusBadge value={i.status} /></Table.Td>
                <Table.Td className="qgp-nowrap">{i.targetCompletionDate ?? "—"}{i.overdue && <Badge ml={6} color="red" variant="light">Overdue</Badge>}</Table.Td>
              </OpenRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && list.data.total > 0 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">{count(list.data.total, "investigation")}</Text>
          <Pagination total={list.data.pages} value={page} onChange={setPage} />
        </Group>
      )}
    </Stack>
  );
}
