import { useState } from "react";
import { Badge, Card, Center, Group, Pagination, Paper, ScrollArea, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { ActionListInput, ActionStatus, ActionSummary, UserView } from "../../api/bindings";
import { recordView, type Navigate } from "../../app/nav";
import { SeverityBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ExportMenu } from "../../components/ExportMenu";
import { ActionTable } from "./ActionTable";

type Scope = "mine" | "all";
type Layout = "list" | "board";

const BOARD: { status: ActionStatus; label: string }[] = [
  { status: "open", label: "Open" },
  { status: "in_progress", label: "In progress" },
  { status: "completed", label: "Completed (awaiting verification)" },
  { status: "verified", label: "Verified" },
  { status: "cancelled", label: "Cancelled" },
];

function BoardColumn({ status, label, base, onOpen }: { status: ActionStatus; label: string; base: ActionListInput; onOpen: (a: ActionSummary) => void }) {
  const input = { ...base, status: [status], page: 1, pageSize: 50 };
  const q = useQuery({ queryKey: ["actions.list", input], queryFn: () => call("actions.list", input) });
  return (
    <Paper withBorder p="xs" bg="var(--mantine-color-default-hover)" data-testid={`board-${status}`}>
      <Group justify="space-between" mb="xs"><Text fw={600} size="sm">{label}</Text><Badge variant="light">{q.data?.total ?? 0}</Badge></Group>
      <ScrollArea.Autosize mah={560}>
        <Stack gap={6}>
          {q.data?.items.map((a) => (
            <Card key={a.id} withBorder padding="xs" style={{ cursor: "pointer" }} onClick={() => onOpen(a)} data-testid="board-card">
              <Group justify="space-between" wrap="nowrap"><Text ff="monospace" size="xs" fw={600}>{a.reference}</Text><SeverityBadge value={a.priority} /></Group>
              <Text size="sm" lineClamp={2}>{a.title}</Text>
              <Text size="xs" c={a.flags.overdue ? "red" : "dimmed"}>{a.ownerName} · due {a.dueDate}{a.flags.overdue ? ` · ${a.flags.daysOverdue} days overdue` : a.flags.dueSoon ? " · due soon" : ""}</Text>
              <Text size="xs" c="dimmed">{a.sourceReference ?? humanise(a.sourceType)}</Text>
            </Card>
          ))}
          {q.data && q.data.total > q.data.items.length && <Text size="xs" c="dimmed">and {q.data.total - q.data.items.length} more: use the list to page through them</Text>}
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  );
}
type Due = "any" | "overdue" | "due_soon" | "verification";

/** Every action, or "My actions", with overdue and due-soon computed now. */
export function ActionRegister({ navigate, user, initialSearch }: { navigate: Navigate; user: UserView; initialSearch?: string }) {
  const [scope, setScope] = useState<Scope>(initialSearch ? "all" : "mine");
  const [layout, setLayout] = useState<Layout>("list");
  const [due, setDue] = useState<Due>("any");
  const [open, setOpen] = useState(initialSearch ? "all" : "open");
  const [search, setSearch] = useState(initialSearch ?? "");
  const [page, setPage] = useState(1);
  const input: ActionListInput = {
    page,
    mine: scope === "mine" || undefined,
    search: search || undefined,
    status: open === "open" ? ["open", "in_progress", "completed"] : undefined,
    overdue: due === "overdue" || undefined,
    dueSoon: due === "due_soon" || undefined,
    verificationOverdue: due === "verification" || undefined,
  };
  const openSource = (a: ActionSummary) => {
    const view = recordView(a.sourceType, a.sourceId, a.sourceReference);
    if (view) navigate(view);
  };
  const q = useQuery({ queryKey: ["actions.list", input], queryFn: () => call("actions.list", input), placeholderData: keepPreviousData });
  return (
    <Stack>
      <Title order={2}>Actions</Title>
      <Group>
        <SegmentedControl value={layout} onChange={(v) => setLayout(v as Layout)} data={[{ value: "list", label: "List" }, { value: "board", label: "Board" }]} data-testid="action-layout" />
        <SegmentedControl value={scope} onChange={(v) => { setScope(v as Scope); setPage(1); }} data={[{ value: "mine", label: "My actions" }, { value: "all", label: "All actions" }]} />
        <SegmentedControl value={open} onChange={(v) => { setOpen(v); setPage(1); }} data={[{ value: "open", label: "Not finished" }, { value: "all", label: "Any status" }]} />
        <ExportMenu register="actions" filter={input} />
        <SegmentedControl value={due} onChange={(v) => { setDue(v as Due); setPage(1); }}
          data={[{ value: "any", label: "Any due date" }, { value: "overdue", label: "Overdue" }, { value: "due_soon", label: "Due soon" }, { value: "verification", label: "Verification overdue" }]} />
        <TextInput placeholder="Search title, reference, source" value={search} onChange={(e) => { setSearch(e.currentTarget.value); setPage(1); }} w={260} />
      </Group>
      {q.error && <ErrorAlert error={q.error} />}
      {layout === "board" ? (
        <SimpleGrid cols={5} spacing="xs">
          {BOARD.map((c) => <BoardColumn key={c.status} {...c} base={{ ...input, status: undefined, page: undefined }} onOpen={openSource} />)}
        </SimpleGrid>
      ) : q.data && q.data.total === 0 ? (
        <Center py="xl">
          <Stack align="center" gap={4}>
            <Text fw={600}>No actions here</Text>
            <Text size="sm" c="dimmed">Actions are raised from the Actions tab of an incident, risk or investigation; each has an owner, a due date and, for corrective work, a verification of effectiveness.</Text>
          </Stack>
        </Center>
      ) : (
        q.data && <ActionTable items={q.data.items} user={user} showSource onOpenSource={openSource} />
      )}
      {layout === "list" && q.data && q.data.pages > 1 && <Pagination total={q.data.pages} value={page} onChange={setPage} />}
    </Stack>
  );
}
