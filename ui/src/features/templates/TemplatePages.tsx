// Audit templates (§4): the list, a template's versions and questions, and its steps — publish the draft, start a
// new version, clone, start an audit, archive.
import { useState } from "react";
import { Alert, Badge, Button, Center, Group, Modal, Pagination, Select, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconPlus } from "@tabler/icons-react";
import { AppError, call } from "../../api/backend";
import type { AuditType, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ArchiveDialog, HistoryTable } from "../../components/RecordParts";
import { StartRunDialog } from "../audits/AuditList";
import { QuestionCard } from "../audits/QuestionCard";
import { formatInstant } from "../../components/time";
import { PublishDialog } from "./PublishDialog";
import { OpenRow } from "../../components/OpenRow";

const AUDIT_TYPES: AuditType[] = ["inspection", "audit", "assessment", "checklist", "survey"];
const author = (u: UserView) => u.role === "admin" || u.role === "manager" || u.role === "auditor";

function NewTemplateDialog({ navigate, onClose }: { navigate: Navigate; onClose: () => void }) {
  const [form, setForm] = useState({ name: "", description: "", category: "", auditType: "inspection" as AuditType });
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => call("templates.create", { ...form, description: form.description || undefined, category: form.category || undefined }),
    onSuccess: (t) => { qc.invalidateQueries(); onClose(); navigate({ name: "template-edit", id: t.record.id }); },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  return (
    <Modal opened onClose={onClose} title="New template">
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          <TextInput label="Name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} error={fields.name} data-testid="template-name" autoFocus />
          <Textarea label="Description" value={form.description} onChange={(e) => setForm({ ...form, description: e.currentTarget.value })} />
          <Group grow>
            <TextInput label="Category" value={form.category} onChange={(e) => setForm({ ...form, category: e.currentTarget.value })} />
            <Select label="Type" data={AUDIT_TYPES.map((t) => ({ value: t, label: humanise(t) }))} value={form.auditType} allowDeselect={false} onChange={(v) => setForm({ ...form, auditType: (v ?? "inspection") as AuditType })} />
          </Group>
          {save.error && !Object.keys(fields).length && <ErrorAlert error={save.error} />}
          <Group justify="flex-end"><Button variant="default" onClick={onClose}>Cancel</Button><Button type="submit" loading={save.isPending} data-testid="template-create">Create and build</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function TemplateList({ navigate, user }: { navigate: Navigate; user: UserView }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 200);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const input = { page, pageSize: 50, search: q || undefined };
  const list = useQuery({ queryKey: ["templates.list", input], queryFn: () => call("templates.list", input), placeholderData: keepPreviousData });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Audit templates</Title>
        {author(user) && <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="new-template">New template</Button>}
      </Group>
      <TextInput label="Search" placeholder="Name, description, category" value={search} onChange={(e) => { setSearch(e.currentTarget.value); setPage(1); }} w={280} />
      {list.error && <ErrorAlert error={list.error} />}
      {list.data?.total === 0 ? <Center py="xl"><Text c="dimmed">No templates match.</Text></Center> : (
        <Table striped highlightOnHover data-testid="template-table">
          <Table.Thead><Table.Tr><Table.Th>Reference</Table.Th><Table.Th>Name</Table.Th><Table.Th>Type</Table.Th><Table.Th>Category</Table.Th><Table.Th>Questions</Table.Th><Table.Th>Published</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((t) => (
              <OpenRow key={t.id} onOpen={() => navigate({ name: "template", id: t.id })} data-testid="template-row">
                <Table.Td><CopyRef value={t.reference} /></Table.Td><Table.Td>{t.name}</Table.Td><Table.Td>{humanise(t.auditType)}</Table.Td><Table.Td>{t.category ?? "—"}</Table.Td>
                <Table.Td>{t.questionCount}</Table.Td>
                <Table.Td>{t.publishedVersion ? `version ${t.publishedVersion}` : "—"}{t.hasDraft && <Badge ml={6} variant="light">draft</Badge>}</Table.Td>
              </OpenRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && list.data.pages > 1 && <Pagination total={list.data.pages} value={page} onChange={setPage} />}
      {creating && <NewTemplateDialog navigate={navigate} onClose={() => setCreating(false)} />}
    </Stack>
  );
}

export function TemplateDetail({ id, navigate, user }: { id: string; navigate: Navigate; user: UserView }) {
  const q = useQuery({ queryKey: ["templates.get", id], queryFn: () => call("templates.get", { id }) });
  const [dialog, setDialog] = useState<"start" | "archive" | "publish" | null>(null);
  const qc = useQueryClient();
  const step = useMutation({
    mutationFn: (what: "publish" | "new_version" | "clone" | "discard") => {
      const t = q.data!;
      const draft = t.versions.find((v) => v.id === t.draftVersionId);
      if (what === "publish") return call("templates.publish", { versionId: draft!.id, rowVersion: draft!.rowVersion });
      if (what === "new_version") return call("templates.new_version", { id, rowVersion: t.record.rowVersion });
      if (what === "discard") {
        return call("templates.discard_draft", { versionId: draft!.id, rowVersion: draft!.rowVersion }).then((o) => {
          if (o.templateDiscarded) navigate({ name: "templates" });
          return t;
        });
      }
      return call("templates.clone", { id });
    },
    onSuccess: (t, what) => {
      qc.invalidateQueries();
      if (what === "publish") setDialog(null);
      if (what === "clone" || what === "new_version") navigate({ name: "template-edit", id: t.record.id });
    },
  });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const t = q.data;
  const r = t.record;
  const shown = t.versions.find((v) => v.id === t.draftVersionId) ?? t.versions[0];
  const canAuthor = author(user) && !r.archivedAt;
  return (
    <Stack>
      <Group justify="space-between" align="start">
        <Stack gap={4}>
          <Group gap="sm"><CopyRef value={r.reference} />{t.publishedVersionId && <Badge color="green">Published</Badge>}{t.draftVersionId && <Badge variant="light">Draft in progress</Badge>}{r.archivedAt && <Badge color="gray">Archived</Badge>}</Group>
          <Title order={2} data-testid="template-heading">{r.name}</Title>
          <Text size="sm" c="dimmed">{humanise(r.auditType)} · {humanise(r.frequency)}{r.category ? ` · ${r.category}` : ""}</Text>
        </Stack>
        <Group>
          {canAuthor && t.publishedVersionId && <Button onClick={() => setDialog("start")} data-testid="template-start-run">Start an audit</Button>}
          {canAuthor && t.draftVersionId && <Button variant="light" onClick={() => navigate({ name: "template-edit", id })} data-testid="template-edit">Edit draft</Button>}
          {canAuthor && t.draftVersionId && <Button onClick={() => setDialog("publish")} disabled={t.publishProblems.length > 0} data-testid="template-publish">Publish…</Button>}
          {canAuthor && !t.draftVersionId && <Button variant="light" onClick={() => step.mutate("new_version")} data-testid="template-new-version">Edit (new version)</Button>}
          {canAuthor && t.draftVersionId && <Button variant="subtle" color="red" onClick={() => step.mutate("discard")}>Discard draft</Button>}
          {author(user) && <Button variant="light" onClick={() => step.mutate("clone")}>Clone</Button>}
          {(user.role === "admin" || user.role === "manager") && <Button variant="light" color={r.archivedAt ? "blue" : "red"} onClick={() => setDialog("archive")}>{r.archivedAt ? "Restore" : "Archive"}</Button>}
        </Group>
      </Group>
      {step.error && dialog !== "publish" && <ErrorAlert error={step.error} />}
      {dialog === "publish" && (
        <PublishDialog name={r.name} versionNumber={shown.versionNumber} saveFirst={false} busy={step.isPending} error={step.error}
          onPublish={() => step.mutate("publish")} onClose={() => setDialog(null)} />
      )}
      {t.draftVersionId && t.publishProblems.length > 0 && <Alert color="orange" title="Before publishing">{t.publishProblems.join(" ")}</Alert>}
      {r.description && <Text>{r.description}</Text>}
      <Tabs defaultValue="questions" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="questions">Questions (version {shown.versionNumber}, {shown.status})</Tabs.Tab>
          <Tabs.Tab value="versions">Versions ({t.versions.length})</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="questions" pt="md">
          <Stack>
            <Text size="sm" c="dimmed">Scoring: {humanise(shown.content.settings.scoringMethod)}{shown.content.settings.passingScore != null ? `, pass mark ${shown.content.settings.passingScore}` : ""}{shown.content.settings.requireReview ? " · review required" : ""}</Text>
            {shown.content.sections.map((s) => (
              <Stack key={s.id} gap="sm"><Title order={4}>{s.title}</Title>{s.questions.map((x, i) => <QuestionCard key={x.id} q={x} number={String(i + 1)} response={undefined} editable={false} problem={x.visibility !== "always" ? "Shown only under its rule" : undefined} onAnswer={() => {}} onAttach={() => {}} />)}</Stack>
            ))}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="versions" pt="md">
          <Table striped>
            <Table.Thead><Table.Tr><Table.Th>Version</Table.Th><Table.Th>Status</Table.Th><Table.Th>Questions</Table.Th><Table.Th>Published</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>{t.versions.map((v) => <Table.Tr key={v.id}><Table.Td>{v.versionNumber}</Table.Td><Table.Td><StatusBadge value={v.status} /></Table.Td><Table.Td>{v.questionCount}</Table.Td><Table.Td>{formatInstant(v.publishedAt)}</Table.Td></Table.Tr>)}</Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md"><HistoryTable command="templates.history" id={r.id} /></Tabs.Panel>
      </Tabs>
      {dialog === "start" && <StartRunDialog navigate={navigate} templateId={id} onClose={() => setDialog(null)} />}
      {dialog === "archive" && (
        <ArchiveDialog reference={r.reference} kind="template" archived={!!r.archivedAt} onClose={() => setDialog(null)}
          run={(reason) => call(r.archivedAt ? "templates.restore" : "templates.archive", { id: r.id, rowVersion: r.rowVersion, reason })} />
      )}
    </Stack>
  );
}
