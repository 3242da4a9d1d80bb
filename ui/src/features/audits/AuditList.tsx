// The audit calendar (§5): scheduled, in progress, overdue and completed runs, and starting a new one from a
// published template.
import { useState } from "react";
import { Badge, Button, Center, Chip, Group, Modal, MultiSelect, Pagination, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconPlus } from "@tabler/icons-react";
import { AppError, call } from "../../api/backend";
import type { RunListInput, RunStatus, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { OpenRow } from "../../components/OpenRow";

const STATUSES: RunStatus[] = ["draft", "scheduled", "in_progress", "pending_review", "completed", "cancelled"];

export function StartRunDialog({ navigate, onClose, templateId }: { navigate: Navigate; onClose: () => void; templateId?: string }) {
  const templates = useQuery({ queryKey: ["templates.list", "published"], queryFn: () => call("templates.list", { published: true, pageSize: 200 }) });
  const users = useQuery({ queryKey: ["users.list"], queryFn: () => call("users.list", {}) });
  const [form, setForm] = useState({ templateId: templateId ?? "", leadAuditorId: "", reviewerId: "", location: "", auditee: "", scheduledDate: "", dueDate: "" });
  const template = useQuery({ queryKey: ["templates.get", form.templateId], queryFn: () => call("templates.get", { id: form.templateId }), enabled: !!form.templateId });
  const needsReview = template.data?.versions.find((v) => v.id === template.data?.publishedVersionId)?.content.settings.requireReview ?? false;
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: async (startNow: boolean) => {
      const input = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== ""));
      const run = await call("runs.create", input);
      const to = startNow ? "in_progress" : form.scheduledDate ? "scheduled" : null;
      return to ? call("runs.transition", { id: run.record.id, rowVersion: run.record.rowVersion, to }) : run;
    },
    onSuccess: (run) => { qc.invalidateQueries(); onClose(); navigate({ name: "run", id: run.record.id }); },
  });
  const err = save.error as AppError | null;
  const fields = err?.fieldErrors() ?? {};
  const set = (k: keyof typeof form, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const auditors = (users.data ?? []).filter((u) => u.role === "admin" || u.role === "manager" || u.role === "auditor").map((u) => ({ value: u.id, label: u.displayName }));
  return (
    <Modal opened onClose={onClose} title="Start an audit or inspection" size="lg">
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(true); }}>
        <Stack>
          <Select label="Template" required searchable data={(templates.data?.items ?? []).map((t) => ({ value: t.id, label: `${t.name} (v${t.publishedVersion})` }))}
            value={form.templateId || null} onChange={(v) => set("templateId", v ?? "")} error={fields.templateId} data-testid="run-template" />
          <SimpleGrid cols={2}>
            <Select label="Lead auditor" required data={auditors} value={form.leadAuditorId || null} onChange={(v) => set("leadAuditorId", v ?? "")} error={fields.leadAuditorId} searchable data-testid="run-lead" />
            <Select label="Reviewer" required={needsReview} description={needsReview ? "This template requires a review" : "Optional"} data={(users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
              value={form.reviewerId || null} onChange={(v) => set("reviewerId", v ?? "")} error={fields.reviewerId} clearable searchable />
            <TextInput label="Location" value={form.location} onChange={(e) => set("location", e.currentTarget.value)} error={fields.location} data-testid="run-location" />
            <TextInput label="Auditee" value={form.auditee} onChange={(e) => set("auditee", e.currentTarget.value)} error={fields.auditee} />
            <TextInput label="Scheduled date" placeholder="YYYY-MM-DD" value={form.scheduledDate} onChange={(e) => set("scheduledDate", e.currentTarget.value)} error={fields.scheduledDate} />
            <TextInput label="Due date" placeholder="YYYY-MM-DD" value={form.dueDate} onChange={(e) => set("dueDate", e.currentTarget.value)} error={fields.dueDate} />
          </SimpleGrid>
          {err && !Object.keys(fields).length && <ErrorAlert error={err} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button variant="light" onClick={() => save.mutate(false)} loading={save.isPending} disabled={!form.scheduledDate}>Schedule</Button>
            <Button type="submit" loading={save.isPending} data-testid="run-start">Start now</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function AuditList({ navigate, user }: { navigate: Navigate; user: UserView }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 200);
  const [status, setStatus] = useState<RunStatus[]>([]);
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const [starting, setStarting] = useState(false);
  const input: RunListInput = { page, pageSize: 50, search: q || undefined, status: status.length ? status : undefined, overdue: overdue || undefined };
  const list = useQuery({ queryKey: ["runs.list", input], queryFn: () => call("runs.list", input), placeholderData: keepPreviousData });
  const conducting = user.role === "admin" || user.role === "manager" || user.role === "auditor";
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Audits and inspections</Title>
        <Group>
          <Button variant="default" onClick={() => navigate({ name: "templates" })}>Templates</Button>
          {conducting && <Button leftSection={<IconPlus size={16} />} onClick={() => setStarting(true)} data-testid="new-run">Start an audit</Button>}
        </Group>
      </Group>
      <Group align="end" gap="sm">
        <TextInput label="Search" placeholder="Reference, title, location, auditee" value={search} onChange={(e) => { setSearch(e.currentTarget.value); setPage(1); }} w={280} />
        <MultiSelect label="Status" data={STATUSES.map((s) => ({ value: s, label: humanise(s) }))} value={status} onChange={(v) => { setStatus(v as RunStatus[]); setPage(1); }} w={260} clearable />
        <Chip checked={overdue} onChange={(c) => { setOverdue(c); setPage(1); }}>Overdue</Chip>
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data?.total === 0 ? <Center py="xl"><Text c="dimmed">No audits match. Start one from a template.</Text></Center> : (
        <Table striped highlightOnHover stickyHeader data-testid="run-table">
          <Table.Thead><Table.Tr><Table.Th>Reference</Table.Th><Table.Th>Title</Table.Th><Table.Th>Template</Table.Th><Table.Th>Status</Table.Th><Table.Th>Scheduled</Table.Th><Table.Th>Due</Table.Th><Table.Th>Lead</Table.Th><Table.Th>Result</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((r) => (
              <OpenRow key={r.id} onOpen={() => navigate({ name: "run", id: r.id })} data-testid="run-row">
                <Table.Td><CopyRef value={r.reference} /></Table.Td><Table.Td>{r.title}</Table.Td><Table.Td>{r.templateName}</Table.Td>
                <Table.Td><StatusBadge value={r.status} /></Table.Td><Table.Td className="qgp-nowrap">{r.scheduledDate ?? "—"}</Table.Td>
                <Table.Td className="qgp-nowrap">{r.dueDate ?? "—"}{r.overdue && <Badge ml={6} color="red" variant="light">Overdue</Badge>}</Table.Td>
                <Table.Td>{r.leadAuditorName}</Table.Td>
                <Table.Td>{r.passed == null ? "—" : <Badge color={r.passed ? "green" : "red"} variant="light">{r.percentage != null ? `${r.percentage} % ` : ""}{r.passed ? "passed" : "failed"}</Badge>}</Table.Td>
              </OpenRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && list.data.pages > 1 && <Pagination total={list.data.pages} value={page} onChange={setPage} />}
      {starting && <StartRunDialog navigate={navigate} onClose={() => setStarting(false)} />}
    </Stack>
  );
}
