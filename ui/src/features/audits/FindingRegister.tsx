// The findings register (§6): critical first; filters by status, severity, type, overdue.
import { useState } from "react";
import { Badge, Center, Chip, Group, MultiSelect, Pagination, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { FindingListInput, FindingSeverity, FindingStatus, FindingType } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, SeverityBadge, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { FINDING_TYPES, SEVERITIES } from "./FindingDialogs";
import { OpenRow } from "../../components/OpenRow";

const STATUSES: FindingStatus[] = ["open", "action_planned", "pending_verification", "closed", "deferred"];
const opts = (v: string[]) => v.map((value) => ({ value, label: humanise(value) }));

export function FindingRegister({ navigate }: { navigate: Navigate }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 200);
  const [status, setStatus] = useState<FindingStatus[]>(["open", "action_planned", "pending_verification", "deferred"]);
  const [severity, setSeverity] = useState<FindingSeverity[]>([]);
  const [types, setTypes] = useState<FindingType[]>([]);
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const input: FindingListInput = {
    page, pageSize: 50, search: q || undefined, status: status.length ? status : undefined, severity: severity.length ? severity : undefined,
    findingType: types.length ? types : undefined, overdue: overdue || undefined,
  };
  const list = useQuery({ queryKey: ["findings.list", input], queryFn: () => call("findings.list", input), placeholderData: keepPreviousData });
  return (
    <Stack>
      <Title order={2}>Findings</Title>
      <Group align="end" gap="sm">
        <TextInput label="Search" placeholder="Reference, title, description" value={search} onChange={(e) => { setSearch(e.currentTarget.value); setPage(1); }} w={260} />
        <MultiSelect label="Status" data={opts(STATUSES)} value={status} onChange={(v) => { setStatus(v as FindingStatus[]); setPage(1); }} w={300} clearable />
        <MultiSelect label="Severity" data={opts(SEVERITIES)} value={severity} onChange={(v) => { setSeverity(v as FindingSeverity[]); setPage(1); }} w={200} clearable />
        <MultiSelect label="Type" data={opts(FINDING_TYPES)} value={types} onChange={(v) => { setTypes(v as FindingType[]); setPage(1); }} w={200} clearable />
        <Chip checked={overdue} onChange={(c) => { setOverdue(c); setPage(1); }}>Action overdue</Chip>
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data?.total === 0 ? <Center py="xl"><Text c="dimmed">No findings match.</Text></Center> : (
        <Table striped highlightOnHover stickyHeader data-testid="finding-table">
          <Table.Thead><Table.Tr><Table.Th>Reference</Table.Th><Table.Th>Finding</Table.Th><Table.Th>Grade</Table.Th><Table.Th>Severity</Table.Th><Table.Th>Status</Table.Th><Table.Th>Action due</Table.Th><Table.Th>Run</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((f) => (
              <OpenRow key={f.id} onOpen={() => navigate({ name: "finding", id: f.id })} data-testid="finding-row">
                <Table.Td><CopyRef value={f.reference} /></Table.Td><Table.Td>{f.title}</Table.Td><Table.Td>{f.grade}</Table.Td>
                <Table.Td><SeverityBadge value={f.severity} /></Table.Td><Table.Td><StatusBadge value={f.status} />{f.deferralExpired && <Badge ml={6} color="orange" variant="light">Deferral expired</Badge>}</Table.Td>
                <Table.Td className="qgp-nowrap">{f.actionDueDate ?? "—"}{f.overdue && <Badge ml={6} color="red" variant="light">Overdue</Badge>}</Table.Td>
                <Table.Td>{f.runReference}</Table.Td>
              </OpenRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && list.data.pages > 1 && <Pagination total={list.data.pages} value={page} onChange={setPage} />}
    </Stack>
  );
}
