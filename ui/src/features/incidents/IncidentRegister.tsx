import { useEffect, useState } from "react";
import { Button, Group, MultiSelect, Pagination, SegmentedControl, Stack, Table, Text, TextInput, Title, UnstyledButton, Center } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery, keepPreviousData } from "@tanstack/react-query";
import { IconChevronDown, IconChevronUp, IconPlus } from "@tabler/icons-react";
import { call } from "../../api/backend";
import type { ArchivedFilter, IncidentListInput, IncidentSeverity, IncidentStatus, IncidentType, SortDirection, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, SeverityBadge, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ExportMenu } from "../../components/ExportMenu";
import { SEVERITY_OPTIONS, STATUS_OPTIONS, TYPE_OPTIONS } from "./options";
import { count } from "../../components/plural";
import { OpenRow } from "../../components/OpenRow";

type Filters = {
  search: string;
  status: IncidentStatus[];
  severity: IncidentSeverity[];
  incidentType: IncidentType[];
  dateFrom: string;
  dateTo: string;
  archived: ArchivedFilter;
  sort: string;
  direction: SortDirection | null;
  page: number;
};

const STORAGE_KEY = "qgp.incidents.filters";
const DEFAULT_FILTERS: Filters = { search: "", status: [], severity: [], incidentType: [], dateFrom: "", dateTo: "", archived: "exclude", sort: "", direction: null, page: 1 };

function loadFilters(): Filters {
  try {
    return { ...DEFAULT_FILTERS, ...JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") };
  } catch {
    return DEFAULT_FILTERS;
  }
}

const COLUMNS = [
  { key: "reference", label: "Reference" },
  { key: "title", label: "Title" },
  { key: "incidentDate", label: "Date" },
  { key: "severity", label: "Severity" },
  { key: "status", label: "Status" },
  { key: "location", label: "Location" },
] as const;

export function IncidentRegister({ navigate, initialSearch, user }: { navigate: Navigate; initialSearch?: string; user: UserView }) {
  const [filters, setFilters] = useState<Filters>(() => {
    const f = loadFilters();
    return initialSearch !== undefined ? { ...f, search: initialSearch, page: 1 } : f;
  });
  const [search] = useDebouncedValue(filters.search, 200);
  useEffect(() => localStorage.setItem(STORAGE_KEY, JSON.stringify(filters)), [filters]);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));

  const input: IncidentListInput = {
    page: filters.page,
    pageSize: 50,
    archived: filters.archived,
    search: search || undefined,
    status: filters.status.length ? filters.status : undefined,
    severity: filters.severity.length ? filters.severity : undefined,
    incidentType: filters.incidentType.length ? filters.incidentType : undefined,
    incidentDateFrom: filters.dateFrom || undefined,
    incidentDateTo: filters.dateTo || undefined,
    sort: filters.sort || undefined,
    direction: filters.direction ?? undefined,
  };
  const list = useQuery({ queryKey: ["incidents.list", input], queryFn: () => call("incidents.list", input), placeholderData: keepPreviousData });
  const canCreate = user.role !== "viewer";

  const sortBy = (key: string) => {
    const direction: SortDirection = filters.sort === key && filters.direction === "asc" ? "desc" : "asc";
    set({ sort: key, direction });
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Incidents</Title>
        <Group>
        <ExportMenu register="incidents" filter={input} />
        {canCreate && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => navigate({ name: "incident-new" })} data-testid="new-incident">
            New incident
          </Button>
        )}
        </Group>
      </Group>
      <Group align="end" gap="sm" wrap="wrap">
        <TextInput label="Search" placeholder="Reference, title, description, location" value={filters.search} onChange={(e) => set({ search: e.currentTarget.value })} w={280} data-testid="incident-search" />
        <MultiSelect label="Status" data={STATUS_OPTIONS} value={filters.status} onChange={(v) => set({ status: v as IncidentStatus[] })} w={200} clearable />
        <MultiSelect label="Severity" data={SEVERITY_OPTIONS} value={filters.severity} onChange={(v) => set({ severity: v as IncidentSeverity[] })} w={180} clearable />
        <MultiSelect label="Type" data={TYPE_OPTIONS} value={filters.incidentType} onChange={(v) => set({ incidentType: v as IncidentType[] })} w={180} clearable />
        <TextInput label="From" placeholder="YYYY-MM-DD" value={filters.dateFrom} onChange={(e) => set({ dateFrom: e.currentTarget.value })} w={120} />
        <TextInput label="To" placeholder="YYYY-MM-DD" value={filters.dateTo} onChange={(e) => set({ dateTo: e.currentTarget.value })} w={120} />
        <SegmentedControl
          value={filters.archived}
          onChange={(v) => set({ archived: v as ArchivedFilter })}
          data={[{ value: "exclude", label: "Active" }, { value: "only", label: "Archived" }, { value: "include", label: "All" }]}
        />
        <Button variant="subtle" onClick={() => setFilters(DEFAULT_FILTERS)}>Clear filters</Button>
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data && list.data.total === 0 && !filters.search && !filters.status.length && filters.archived === "exclude" ? (
        <Center py="xl">
          <Stack align="center" gap="xs">
            <Text fw={600}>No incidents recorded yet</Text>
            <Text size="sm" c="dimmed">The register lists every accident, near miss, hazard and dangerous occurrence reported here.</Text>
            {canCreate && <Button onClick={() => navigate({ name: "incident-new" })}>Record the first incident</Button>}
          </Stack>
        </Center>
      ) : (
        <Table striped highlightOnHover stickyHeader data-testid="incident-table">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((c) => (
                <Table.Th key={c.key}>
                  <UnstyledButton onClick={() => sortBy(c.key)} aria-label={`Sort by ${c.label}`}>
                    <Group gap={4} wrap="nowrap">
                      <Text fw={600} size="sm">{c.label}</Text>
                      {filters.sort === c.key && (filters.direction === "asc" ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />)}
                    </Group>
                  </UnstyledButton>
                </Table.Th>
              ))}
              <Table.Th>Type</Table.Th>
              <Table.Th>RIDDOR</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((i) => (
              <OpenRow key={i.id} onOpen={() => navigate({ name: "incident", id: i.id })} data-testid="incident-row">
                <Table.Td><CopyRef value={i.reference} /></Table.Td>
                <Table.Td>{i.title}{i.archivedAt && <Text span c="dimmed" size="xs"> (archived)</Text>}</Table.Td>
                <Table.Td className="qgp-nowrap">{i.incidentDate}</Table.Td>
                <Table.Td><SeverityBadge value={i.severity} /></Table.Td>
                <Table.Td><StatusBadge value={i.status} /></Table.Td>
                <Table.Td>{i.location}</Table.Td>
                <Table.Td>{humanise(i.incidentType)}</Table.Td>
                <Table.Td>
                  {i.riddorOverdue ? <Text c="red" size="sm" fw={600}>Report overdue</Text> : i.riddorReportable ? "Reportable" : i.recordOnly ? "Record only" : ""}
                </Table.Td>
              </OpenRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && list.data.total > 0 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed" data-testid="incident-total">{count(list.data.total, "incident")}</Text>
          <Pagination total={list.data.pages} value={filters.page} onChange={(page) => setFilters((f) => ({ ...f, page }))} />
        </Group>
      )}
    </Stack>
  );
}
