import { useEffect, useState } from "react";
import { Button, Center, Group, MultiSelect, Pagination, SegmentedControl, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { IconPlus } from "@tabler/icons-react";
import { call } from "../../api/backend";
import type { ArchivedFilter, CollisionListInput, CollisionSeverity, CollisionStatus, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, SeverityBadge, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ExportMenu } from "../../components/ExportMenu";
import { SEVERITY_OPTIONS, STATUS_OPTIONS, money } from "./options";
import { count } from "../../components/plural";
import { OpenRow } from "../../components/OpenRow";

type Filters = { search: string; status: CollisionStatus[]; severity: CollisionSeverity[]; vehicle: string; dateFrom: string; dateTo: string; archived: ArchivedFilter; page: number };
const STORAGE_KEY = "qgp.collisions.filters";
const DEFAULT_FILTERS: Filters = { search: "", status: [], severity: [], vehicle: "", dateFrom: "", dateTo: "", archived: "exclude", page: 1 };

function loadFilters(): Filters {
  try {
    return { ...DEFAULT_FILTERS, ...JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") };
  } catch {
    return DEFAULT_FILTERS;
  }
}

export function CollisionRegister({ navigate, user }: { navigate: Navigate; user: UserView }) {
  const [filters, setFilters] = useState<Filters>(loadFilters);
  const [search] = useDebouncedValue(filters.search, 200);
  const [vehicle] = useDebouncedValue(filters.vehicle, 300);
  useEffect(() => localStorage.setItem(STORAGE_KEY, JSON.stringify(filters)), [filters]);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const input: CollisionListInput = {
    page: filters.page, pageSize: 50, archived: filters.archived, search: search || undefined,
    status: filters.status.length ? filters.status : undefined, severity: filters.severity.length ? filters.severity : undefined,
    vehicleRegistration: vehicle.trim() || undefined, collisionDateFrom: filters.dateFrom || undefined, collisionDateTo: filters.dateTo || undefined,
  };
  const list = useQuery({ queryKey: ["collisions.list", input], queryFn: () => call("collisions.list", input), placeholderData: keepPreviousData });
  const canCreate = user.role !== "viewer";
  const filtered = JSON.stringify({ ...filters, page: 1 }) !== JSON.stringify(DEFAULT_FILTERS);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Road traffic collisions</Title>
        <Group>
          <ExportMenu register="collisions" filter={input} />
          {canCreate && <Button leftSection={<IconPlus size={16} />} onClick={() => navigate({ name: "collision-new" })} data-testid="new-collision">New collision</Button>}
        </Group>
      </Group>
      <Group align="end" gap="sm" wrap="wrap">
        <TextInput label="Search" placeholder="Reference, title, location, road, registration, driver" value={filters.search} onChange={(e) => set({ search: e.currentTarget.value })} w={300} />
        <MultiSelect label="Status" data={STATUS_OPTIONS} value={filters.status} onChange={(v) => set({ status: v as CollisionStatus[] })} w={200} clearable />
        <MultiSelect label="Severity" data={SEVERITY_OPTIONS} value={filters.severity} onChange={(v) => set({ severity: v as CollisionSeverity[] })} w={200} clearable />
        <TextInput label="Vehicle registration" value={filters.vehicle} onChange={(e) => set({ vehicle: e.currentTarget.value })} w={150} />
        <TextInput label="From" placeholder="YYYY-MM-DD" value={filters.dateFrom} onChange={(e) => set({ dateFrom: e.currentTarget.value })} w={120} />
        <TextInput label="To" placeholder="YYYY-MM-DD" value={filters.dateTo} onChange={(e) => set({ dateTo: e.currentTarget.value })} w={120} />
        <SegmentedControl value={filters.archived} onChange={(v) => set({ archived: v as ArchivedFilter })} data={[{ value: "exclude", label: "Active" }, { value: "only", label: "Archived" }, { value: "include", label: "All" }]} />
        <Button variant="subtle" onClick={() => setFilters(DEFAULT_FILTERS)}>Clear filters</Button>
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data && list.data.total === 0 && !filtered ? (
        <Center py="xl">
          <Stack align="center" gap="xs">
            <Text fw={600}>No collisions recorded yet</Text>
            <Text size="sm" c="dimmed">Record every collision involving a company vehicle, with the driver, the conditions and anyone else involved.</Text>
            {canCreate && <Button onClick={() => navigate({ name: "collision-new" })}>Record the first collision</Button>}
          </Stack>
        </Center>
      ) : (
        <Table striped highlightOnHover stickyHeader data-testid="collision-table">
          <Table.Thead>
            <Table.Tr><Table.Th>Reference</Table.Th><Table.Th>Title</Table.Th><Table.Th>Date</Table.Th><Table.Th>Severity</Table.Th><Table.Th>Status</Table.Th><Table.Th>Vehicle</Table.Th><Table.Th>Driver</Table.Th><Table.Th>Fault</Table.Th><Table.Th>Estimated cost</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((c) => (
              <OpenRow key={c.id} onOpen={() => navigate({ name: "collision", id: c.id })} data-testid="collision-row">
                <Table.Td><CopyRef value={c.reference} /></Table.Td>
                <Table.Td>{c.title}<Text size="xs" c="dimmed">{c.location}</Text></Table.Td>
                <Table.Td className="qgp-nowrap">{c.collisionDate}</Table.Td>
                <Table.Td><SeverityBadge value={c.severity} /></Table.Td>
                <Table.Td><StatusBadge value={c.status} /></Table.Td>
                <Table.Td ff="monospace" className="qgp-nowrap">{c.vehicleRegistration}</Table.Td>
                <Table.Td>{c.driverDisplay}</Table.Td>
                <Table.Td>{humanise(c.faultDetermination)}</Table.Td>
                <Table.Td>{money(c.estimatedCost)}</Table.Td>
              </OpenRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && list.data.total > 0 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">{count(list.data.total, "collision")}</Text>
          <Pagination total={list.data.pages} value={filters.page} onChange={(page) => setFilters((f) => ({ ...f, page }))} />
        </Group>
      )}
    </Stack>
  );
}
