import { useState } from "react";
import { Center, Group, Pagination, SegmentedControl, Stack, Text, TextInput, Title } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { ActionListInput, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ActionTable } from "./ActionTable";

type Scope = "mine" | "all";
type Due = "any" | "overdue" | "due_soon" | "verification";

/** Every action, or "My actions", with overdue and due-soon computed now. */
export function ActionRegister({ navigate, user }: { navigate: Navigate; user: UserView }) {
  const [scope, setScope] = useState<Scope>("mine");
  const [due, setDue] = useState<Due>("any");
  const [open, setOpen] = useState("open");
  const [search, setSearch] = useState("");
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
  const q = useQuery({ queryKey: ["actions.list", input], queryFn: () => call("actions.list", input), placeholderData: keepPreviousData });
  return (
    <Stack>
      <Title order={2}>Actions</Title>
      <Group>
        <SegmentedControl value={scope} onChange={(v) => { setScope(v as Scope); setPage(1); }} data={[{ value: "mine", label: "My actions" }, { value: "all", label: "All actions" }]} />
        <SegmentedControl value={open} onChange={(v) => { setOpen(v); setPage(1); }} data={[{ value: "open", label: "Not finished" }, { value: "all", label: "Any status" }]} />
        <SegmentedControl value={due} onChange={(v) => { setDue(v as Due); setPage(1); }}
          data={[{ value: "any", label: "Any due date" }, { value: "overdue", label: "Overdue" }, { value: "due_soon", label: "Due soon" }, { value: "verification", label: "Verification overdue" }]} />
        <TextInput placeholder="Search title, reference, source" value={search} onChange={(e) => { setSearch(e.currentTarget.value); setPage(1); }} w={260} />
      </Group>
      {q.error && <ErrorAlert error={q.error} />}
      {q.data && q.data.total === 0 ? (
        <Center py="xl">
          <Stack align="center" gap={4}>
            <Text fw={600}>No actions here</Text>
            <Text size="sm" c="dimmed">Actions are raised from an incident's Actions tab; each has an owner, a due date and, for corrective work, a verification of effectiveness.</Text>
          </Stack>
        </Center>
      ) : (
        q.data && <ActionTable items={q.data.items} user={user} showSource onOpenSource={(a) => a.sourceType === "incident" && navigate({ name: "incident", id: a.sourceId })} />
      )}
      {q.data && q.data.pages > 1 && <Pagination total={q.data.pages} value={page} onChange={setPage} />}
    </Stack>
  );
}
