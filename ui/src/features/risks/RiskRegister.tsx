import { useEffect, useState } from "react";
import { Button, Center, Chip, Group, MultiSelect, Pagination, SegmentedControl, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { IconPlus } from "@tabler/icons-react";
import { call } from "../../api/backend";
import type { ArchivedFilter, RiskCategory, RiskLevel, RiskListInput, RiskStatus, RiskSummary, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ExportMenu } from "../../components/ExportMenu";
import { LevelBadge } from "./HeatMap";
import { CATEGORY_OPTIONS, LEVEL_OPTIONS, STATUS_OPTIONS } from "./options";
import { count } from "../../components/plural";
import { OpenRow } from "../../components/OpenRow";

function Review({ r }: { r: RiskSummary }) {
  if (r.flags.reviewOverdue) return <Text c="red" fw={600} size="sm"><span className="qgp-nowrap">{r.nextReviewDate}</span> · overdue</Text>;
  if (r.flags.reviewDueSoon) return <Text c="orange" size="sm"><span className="qgp-nowrap">{r.nextReviewDate}</span> · due soon</Text>;
  return <Text size="sm" className="qgp-nowrap">{r.nextReviewDate}</Text>;
}

export function RiskTable({ items, navigate }: { items: RiskSummary[]; navigate: Navigate }) {
  return (
    <Table striped highlightOnHover stickyHeader data-testid="risk-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Reference</Table.Th><Table.Th>Title</Table.Th><Table.Th>Rating</Table.Th><Table.Th>Status</Table.Th>
          <Table.Th>Category</Table.Th><Table.Th>Owner</Table.Th><Table.Th>Treatment</Table.Th><Table.Th>Next review</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((r) => (
          <OpenRow key={r.id} onOpen={() => navigate({ name: "risk", id: r.id })} data-testid="risk-row">
            <Table.Td><CopyRef value={r.reference} /></Table.Td>
            <Table.Td>{r.title}{r.archivedAt && <Text span c="dimmed" size="xs"> (archived)</Text>}</Table.Td>
            <Table.Td><LevelBadge level={r.level} colour={r.colour} score={r.score} /></Table.Td>
            <Table.Td><StatusBadge value={r.status} /></Table.Td>
            <Table.Td>{humanise(r.category)}</Table.Td>
            <Table.Td>{r.ownerName ?? <Text span c="dimmed" size="sm">Unassigned</Text>}</Table.Td>
            <Table.Td>{humanise(r.treatmentStrategy)}{r.flags.treatmentOverdue && <Text c="red" size="xs">Treatment overdue</Text>}</Table.Td>
            <Table.Td><Review r={r} /></Table.Td>
          </OpenRow>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A fixed query's risks (a heat-map cell, a dashboard widget). */
export function RiskList({ input, navigate }: { input: RiskListInput; navigate: Navigate }) {
  const q = useQuery({ queryKey: ["risks.list", input], queryFn: () => call("risks.list", input) });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  return q.data.total === 0 ? <Text size="sm">No risks.</Text> : <RiskTable items={q.data.items} navigate={navigate} />;
}

type Filters = {
  search: string;
  status: RiskStatus[];
  category: RiskCategory[];
  level: RiskLevel[];
  reviewOverdue: boolean;
  treatmentOverdue: boolean;
  archived: ArchivedFilter;
  sort: string;
  page: number;
};

const STORAGE_KEY = "qgp.risks.filters";
const DEFAULT_FILTERS: Filters = { search: "", status: [], category: [], level: [], reviewOverdue: false, treatmentOverdue: false, archived: "exclude", sort: "score", page: 1 };

function loadFilters(): Filters {
  try {
    return { ...DEFAULT_FILTERS, ...JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}") };
  } catch {
    return DEFAULT_FILTERS;
  }
}

export function RiskRegister({ navigate, user }: { navigate: Navigate; user: UserView }) {
  const [filters, setFilters] = useState<Filters>(loadFilters);
  const [search] = useDebouncedValue(filters.search, 200);
  useEffect(() => localStorage.setItem(STORAGE_KEY, JSON.stringify(filters)), [filters]);
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const input: RiskListInput = {
    page: filters.page,
    pageSize: 50,
    archived: filters.archived,
    search: search || undefined,
    status: filters.status.length ? filters.status : undefined,
    category: filters.category.length ? filters.category : undefined,
    level: filters.level.length ? filters.level : undefined,
    reviewOverdue: filters.reviewOverdue || undefined,
    treatmentOverdue: filters.treatmentOverdue || undefined,
    sort: filters.sort,
  };
  const list = useQuery({ queryKey: ["risks.list", input], queryFn: () => call("risks.list", input), placeholderData: keepPreviousData });
  const canCreate = ["admin", "manager", "auditor"].includes(user.role);
  const filtered = !!(filters.search || filters.status.length || filters.category.length || filters.level.length || filters.reviewOverdue || filters.treatmentOverdue || filters.archived !== "exclude");
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Risk register</Title>
        <Group>
          <Button variant="default" onClick={() => navigate({ name: "heat-map" })} data-testid="open-heat-map">Heat map</Button>
          <ExportMenu register="risks" filter={input} />
          {canCreate && <Button leftSection={<IconPlus size={16} />} onClick={() => navigate({ name: "risk-new" })} data-testid="new-risk">New risk</Button>}
        </Group>
      </Group>
      <Group align="end" gap="sm" wrap="wrap">
        <TextInput label="Search" placeholder="Reference, title, cause, event, consequence" value={filters.search} onChange={(e) => set({ search: e.currentTarget.value })} w={280} data-testid="risk-search" />
        <MultiSelect label="Status" data={STATUS_OPTIONS} value={filters.status} onChange={(v) => set({ status: v as RiskStatus[] })} w={190} clearable />
        <MultiSelect label="Level" data={LEVEL_OPTIONS} value={filters.level} onChange={(v) => set({ level: v as RiskLevel[] })} w={170} clearable data-testid="risk-level-filter" />
        <MultiSelect label="Category" data={CATEGORY_OPTIONS} value={filters.category} onChange={(v) => set({ category: v as RiskCategory[] })} w={190} clearable />
        <Chip checked={filters.reviewOverdue} onChange={(c) => set({ reviewOverdue: c })}>Review overdue</Chip>
        <Chip checked={filters.treatmentOverdue} onChange={(c) => set({ treatmentOverdue: c })}>Treatment overdue</Chip>
        <SegmentedControl value={filters.sort} onChange={(v) => set({ sort: v })} data={[{ value: "score", label: "Highest score" }, { value: "nextReviewDate", label: "Next review" }, { value: "reference", label: "Newest" }]} />
        <SegmentedControl value={filters.archived} onChange={(v) => set({ archived: v as ArchivedFilter })} data={[{ value: "exclude", label: "Active" }, { value: "only", label: "Archived" }, { value: "include", label: "All" }]} />
        <Button variant="subtle" onClick={() => setFilters(DEFAULT_FILTERS)}>Clear filters</Button>
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data && list.data.total === 0 && !filtered ? (
        <Center py="xl">
          <Stack align="center" gap="xs">
            <Text fw={600}>No risks recorded yet</Text>
            <Text size="sm" c="dimmed">The register holds each risk with its owner, rating from the 5×5 matrix, controls and treatment.</Text>
            {canCreate && <Button onClick={() => navigate({ name: "risk-new" })}>Record the first risk</Button>}
          </Stack>
        </Center>
      ) : (
        list.data && <RiskTable items={list.data.items} navigate={navigate} />
      )}
      {list.data && list.data.total > 0 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed" data-testid="risk-total">{count(list.data.total, "risk")}</Text>
          <Pagination total={list.data.pages} value={filters.page} onChange={(page) => setFilters((f) => ({ ...f, page }))} />
        </Group>
      )}
    </Stack>
  );
}
