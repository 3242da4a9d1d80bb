import { useState } from "react";
import { Badge, Button, Group, Modal, MultiSelect, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { SubjectType, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { StatusBadge } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { DialogFooter } from "../../components/DialogFooter";

/** People who may lead or review an investigation (§12: admin, manager or auditor). */
export function useInvestigators() {
  const users = useQuery({ queryKey: ["users.list"], queryFn: () => call("users.list", {}) });
  const all = (users.data ?? []).filter((u) => u.isActive !== false);
  return {
    investigators: all.filter((u) => ["admin", "manager", "auditor"].includes(u.role)).map((u) => ({ value: u.id, label: u.displayName })),
    everyone: all.map((u) => ({ value: u.id, label: u.displayName })),
  };
}

export function OpenInvestigationDialog({ subjectType, subject, onClose, onOpened }: {
  subjectType: SubjectType; subject: { id: string; reference: string; title: string }; onClose: () => void; onOpened: (id: string) => void;
}) {
  const { investigators, everyone } = useInvestigators();
  const [f, setF] = useState({ title: `Investigation of ${subject.reference}: ${subject.title}`.slice(0, 300), leadInvestigatorId: "", reviewerId: "", team: [] as string[], problemStatement: "", scope: "", targetCompletionDate: "" });
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => call("investigations.create", {
      subjectType, subjectId: subject.id, title: f.title, leadInvestigatorId: f.leadInvestigatorId || undefined, reviewerId: f.reviewerId || undefined,
      team: f.team, problemStatement: f.problemStatement, scope: f.scope.trim() || undefined, targetCompletionDate: f.targetCompletionDate.trim() || undefined,
    }),
    onSuccess: (v) => { qc.invalidateQueries(); notifications.show({ color: "green", message: `${v.record.reference} opened` }); onOpened(v.record.id); },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((x) => ({ ...x, [k]: v }));
  return (
    <Modal opened onClose={onClose} title={`Open an investigation of ${subject.reference}`} size="lg">
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          <TextInput label="Title" required value={f.title} onChange={(e) => set("title", e.currentTarget.value)} error={fields.title} data-testid="inv-title" />
          <SimpleGrid cols={2}>
            <Select label="Lead investigator" required data={investigators} value={f.leadInvestigatorId || null} onChange={(v) => set("leadInvestigatorId", v ?? "")} error={fields.leadInvestigatorId} searchable data-testid="inv-lead" />
            <Select label="Reviewer" description="Approves the investigation; not the lead" data={investigators} value={f.reviewerId || null} onChange={(v) => set("reviewerId", v ?? "")} error={fields.reviewerId} clearable searchable data-testid="inv-reviewer" />
          </SimpleGrid>
          <MultiSelect label="Team" data={everyone} value={f.team} onChange={(v) => set("team", v)} error={fields.team} searchable />
          <Textarea label="Problem statement" required autosize minRows={2} value={f.problemStatement} onChange={(e) => set("problemStatement", e.currentTarget.value)} error={fields.problemStatement} data-testid="inv-problem" />
          <Textarea label="Scope" autosize value={f.scope} onChange={(e) => set("scope", e.currentTarget.value)} error={fields.scope} />
          <TextInput label="Target completion" placeholder="YYYY-MM-DD" value={f.targetCompletionDate} onChange={(e) => set("targetCompletionDate", e.currentTarget.value)} error={fields.targetCompletionDate} w={200} />
          <DialogFooter error={save.error} fields={fields} onCancel={onClose} loading={save.isPending} testId="inv-save">Open investigation</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

/** A subject's investigations, newest first, with their root-cause summaries (§12). */
export function InvestigationsOfSubject({ subjectType, subject, user, navigate }: {
  subjectType: SubjectType; subject: { id: string; reference: string; title: string; status: string; archivedAt: string | null }; user: UserView; navigate: Navigate;
}) {
  const [opening, setOpening] = useState(false);
  const list = useQuery({ queryKey: ["investigations.list", { subjectId: subject.id }], queryFn: () => call("investigations.list", { subjectId: subject.id, archived: "include", pageSize: 100 }) });
  const canOpen = ["admin", "manager", "auditor"].includes(user.role) && subject.status !== "closed" && !subject.archivedAt;
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">Root-cause investigations of this record. It cannot close while one is open or its actions are.</Text>
        {canOpen && <Button onClick={() => setOpening(true)} data-testid="open-investigation">Open investigation</Button>}
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data?.total === 0 && <Text size="sm">No investigations yet.</Text>}
      {list.data?.items.map((i) => (
        <Paper key={i.id} withBorder p="sm" style={{ cursor: "pointer" }} onClick={() => navigate({ name: "investigation", id: i.id })} data-testid="subject-investigation">
          <Group gap="sm">
            <Text ff="monospace" fw={600} size="sm">{i.reference}</Text>
            <StatusBadge value={i.status} />
            {i.overdue && <Badge color="red" variant="light">Overdue</Badge>}
            {i.archivedAt && <Badge color="gray">Archived</Badge>}
            <Text size="sm">{i.title}</Text>
          </Group>
          <Text size="sm" c={i.rootCauseSummary ? undefined : "dimmed"} mt={4}>{i.rootCauseSummary ? `Root cause: ${i.rootCauseSummary}` : "Root cause not yet established."}</Text>
        </Paper>
      ))}
      {opening && <OpenInvestigationDialog subjectType={subjectType} subject={subject} onClose={() => setOpening(false)} onOpened={(id) => navigate({ name: "investigation", id })} />}
    </Stack>
  );
}
