import { useEffect, useRef, useState } from "react";
import { Badge, Button, Group, MultiSelect, Paper, Select, SimpleGrid, Stack, Tabs, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { InvestigationTransitionOption, InvestigationView, UserView } from "../../api/bindings";
import { recordView, type Navigate } from "../../app/nav";
import { CopyRef, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { EvidencePanel } from "../../components/EvidencePanel";
import { ArchiveDialog, Field, HistoryTable, SignatureList, StepDialog, TransitionButtons } from "../../components/RecordParts";
import { RaiseActionDialog } from "../actions/ActionDialogs";
import { ActionTable } from "../actions/ActionTable";
import { useInvestigators } from "./InvestigationsOfSubject";
import { FishboneEditor, TimelineEditor, WhysEditor, useAnalysisDraft } from "./RcaEditors";
import { DraftNotice } from "../../components/drafts";

const TEXT_FIELDS = ["title", "externalTeam", "scope", "problemStatement", "rootCauseSummary", "contributingFactors", "conclusions", "recommendations", "lessonsLearned", "targetCompletionDate"] as const;
type TextField = (typeof TEXT_FIELDS)[number];
type Form = Record<TextField, string> & { leadInvestigatorId: string; reviewerId: string; team: string[] };

function formOf(v: InvestigationView): Form {
  const r = v.record as unknown as Record<string, unknown>;
  const f = {} as Form;
  for (const k of TEXT_FIELDS) f[k] = (r[k] as string | null) ?? "";
  f.leadInvestigatorId = v.record.leadInvestigatorId;
  f.reviewerId = v.record.reviewerId ?? "";
  f.team = v.record.team;
  return f;
}

function Overview({ view, editable }: { view: InvestigationView; editable: boolean }) {
  const { investigators, everyone } = useInvestigators();
  const [form, setForm] = useState(() => formOf(view));
  const dirty = JSON.stringify(form) !== JSON.stringify(formOf(view));
  // A newer copy of the record (after a save elsewhere on the page) replaces the form only where nothing is being
  // typed: unsaved changes are never overwritten.
  const shown = useRef(formOf(view));
  useEffect(() => {
    const next = formOf(view);
    setForm((f) => (JSON.stringify(f) === JSON.stringify(shown.current) ? next : f));
    shown.current = next;
  }, [view]);
  const draft = useAnalysisDraft(view, "overview", form, setForm, dirty, editable);
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => {
      const changes: Record<string, unknown> = {};
      const before = formOf(view);
      for (const [k, v] of Object.entries(form)) {
        if (JSON.stringify(v) !== JSON.stringify(before[k as keyof Form])) changes[k] = typeof v === "string" && !v.trim() ? null : v;
      }
      return call("investigations.update", { id: view.record.id, rowVersion: view.record.rowVersion, changes });
    },
    onSuccess: () => { draft.forget(); qc.invalidateQueries(); },
  });
  const err = save.error as AppError | null;
  const fields = err?.fieldErrors() ?? {};
  const text = (k: TextField) => ({ value: form[k], onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => { const v = e.currentTarget.value; setForm((f) => ({ ...f, [k]: v })); }, error: fields[k], disabled: !editable });
  return (
    <Stack maw={1000}>
      <DraftNotice restored={draft.restored} onDiscard={() => { draft.forget(); setForm(formOf(view)); }} />
      {err && <ErrorAlert error={err} title={err.kind === "validation_failed" ? "Some fields need attention" : undefined} />}
      <TextInput label="Title" required {...text("title")} />
      <SimpleGrid cols={3}>
        <Select label="Lead investigator" data={investigators} value={form.leadInvestigatorId} onChange={(v) => setForm((f) => ({ ...f, leadInvestigatorId: v ?? "" }))} error={fields.leadInvestigatorId} disabled={!editable} allowDeselect={false} />
        <Select label="Reviewer" data={investigators} value={form.reviewerId || null} onChange={(v) => setForm((f) => ({ ...f, reviewerId: v ?? "" }))} error={fields.reviewerId} disabled={!editable} clearable data-testid="inv-edit-reviewer" />
        <TextInput label="Target completion" placeholder="YYYY-MM-DD" {...text("targetCompletionDate")} />
      </SimpleGrid>
      <SimpleGrid cols={2}>
        <MultiSelect label="Team" data={everyone} value={form.team} onChange={(v) => setForm((f) => ({ ...f, team: v }))} error={fields.team} disabled={!editable} searchable />
        <TextInput label="External team members" {...text("externalTeam")} />
      </SimpleGrid>
      <Textarea label="Problem statement" required autosize minRows={2} {...text("problemStatement")} />
      <Textarea label="Scope" autosize {...text("scope")} />
      <Textarea label="Root cause summary" description="Required to complete" autosize minRows={2} {...text("rootCauseSummary")} data-testid="inv-root-cause-summary" />
      <Textarea label="Contributing factors" autosize {...text("contributingFactors")} />
      <Textarea label="Conclusions" autosize {...text("conclusions")} />
      <Textarea label="Recommendations" autosize {...text("recommendations")} />
      <Textarea label="Lessons learned" autosize {...text("lessonsLearned")} />
      {editable && (
        <Group>
          <Button onClick={() => save.mutate()} disabled={!dirty} loading={save.isPending} data-testid="inv-overview-save">Save</Button>
          {dirty && <Text size="sm" c="orange">Unsaved changes</Text>}
        </Group>
      )}
    </Stack>
  );
}

const SIGN_TEXT: Record<string, string> = {
  completed: "As lead investigator I sign this investigation off as complete: the root cause and findings are as recorded.",
  closed: "As reviewer I approve this investigation, its root cause and its recommendations.",
};

function stepLabel(from: string, to: string) {
  if (from === "open") return "Start investigation";
  if (to === "completed") return "Sign off as complete";
  if (to === "closed") return "Approve (sign)";
  if (from === "completed") return "Return to investigator";
  return "Reopen";
}

export function InvestigationDetail({ id, navigate, user }: { id: string; navigate: Navigate; user: UserView }) {
  const q = useQuery({ queryKey: ["investigations.get", id], queryFn: () => call("investigations.get", { id }) });
  const actions = useQuery({ queryKey: ["actions.list", { sourceId: id }], queryFn: () => call("actions.list", { sourceId: id, pageSize: 200 }) });
  const [step, setStep] = useState<InvestigationTransitionOption | null>(null);
  const [dialog, setDialog] = useState<"archive" | "action" | null>(null);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const v = q.data;
  const r = v.record;
  const writer = user.role !== "viewer";
  const editable = writer && !r.archivedAt && (r.status === "open" || r.status === "in_progress");
  const subjectView = recordView(r.subjectType, r.subjectId);
  return (
    <Stack>
      <Group justify="space-between" align="start">
        <Stack gap={4}>
          <Group gap="sm">
            <CopyRef value={r.reference} />
            <StatusBadge value={r.status} />
            {v.overdue && <Badge color="red">Overdue</Badge>}
            {r.archivedAt && <Badge color="gray">Archived</Badge>}
            <Text size="sm" c="dimmed">Investigating</Text>
            <Button variant="subtle" size="compact-sm" onClick={() => subjectView && navigate(subjectView)} data-testid="inv-subject">{r.subjectReference ?? humanise(r.subjectType)}</Button>
          </Group>
          <Title order={2} data-testid="investigation-title">{r.title}</Title>
          <Text size="sm" c="dimmed">Lead {v.leadName ?? "—"} · Reviewer {v.reviewerName ?? "not named"}{r.targetCompletionDate ? ` · Target ${r.targetCompletionDate}` : ""}</Text>
        </Stack>
        <Group>
          {writer && <TransitionButtons options={v.transitions} label={(t) => stepLabel(r.status, t.to)} onChoose={setStep} />}
          {(user.role === "admin" || user.role === "manager") && (
            <Button variant="light" color={r.archivedAt ? "blue" : "red"} onClick={() => setDialog("archive")} data-testid="archive-investigation">{r.archivedAt ? "Restore" : "Archive"}</Button>
          )}
        </Group>
      </Group>
      <SignatureList signatures={v.signatures} />
      <Tabs defaultValue="overview" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="timeline" data-testid="tab-timeline">Timeline ({r.timeline.length})</Tabs.Tab>
          <Tabs.Tab value="whys" data-testid="tab-whys">5 whys ({r.fiveWhys.length})</Tabs.Tab>
          <Tabs.Tab value="fishbone" data-testid="tab-fishbone">Fishbone ({r.fishbone.length})</Tabs.Tab>
          <Tabs.Tab value="actions" data-testid="tab-actions">Actions ({actions.data?.total ?? 0})</Tabs.Tab>
          <Tabs.Tab value="evidence" data-testid="tab-evidence">Evidence</Tabs.Tab>
          <Tabs.Tab value="history" data-testid="tab-history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          {editable ? <Overview view={v} editable={editable} /> : (
            <Paper withBorder p="md">
              <Stack gap="xs">
                <Field label="Problem statement" value={r.problemStatement} />
                <Field label="Scope" value={r.scope} />
                <Field label="Root cause summary" value={r.rootCauseSummary} />
                <Field label="Contributing factors" value={r.contributingFactors} />
                <Field label="Conclusions" value={r.conclusions} />
                <Field label="Recommendations" value={r.recommendations} />
                <Field label="Lessons learned" value={r.lessonsLearned} />
                <Field label="Team" value={[...v.teamMembers.map((t) => t.name), r.externalTeam].filter(Boolean).join(", ")} />
              </Stack>
            </Paper>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="md"><TimelineEditor key={r.rowVersion} view={v} editable={editable} /></Tabs.Panel>
        <Tabs.Panel value="whys" pt="md"><WhysEditor key={r.rowVersion} view={v} editable={editable} /></Tabs.Panel>
        <Tabs.Panel value="fishbone" pt="md"><FishboneEditor key={r.rowVersion} view={v} editable={editable} /></Tabs.Panel>
        <Tabs.Panel value="actions" pt="md">
          <Stack>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">Actions this investigation recommends. They keep {r.subjectReference ?? "the subject"} open until done.</Text>
              {writer && !r.archivedAt && r.status !== "closed" && <Button onClick={() => setDialog("action")} data-testid="raise-action">Raise action</Button>}
            </Group>
            {actions.data && (actions.data.total === 0 ? <Text size="sm">No actions yet.</Text> : <ActionTable items={actions.data.items} user={user} />)}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="evidence" pt="md"><EvidencePanel entityType="investigation" entityId={r.id} editable={writer && !r.archivedAt && r.status !== "closed"} /></Tabs.Panel>
        <Tabs.Panel value="history" pt="md"><HistoryTable command="investigations.history" id={id} /></Tabs.Panel>
      </Tabs>
      {step && (
        <StepDialog title={`${stepLabel(r.status, step.to)}: ${r.reference}`} needs={step.needs} signatureText={step.signature ? SIGN_TEXT[step.to] : undefined}
          run={(values) => call("investigations.transition", { id: r.id, rowVersion: r.rowVersion, to: step.to, ...values })} onClose={() => setStep(null)} />
      )}
      {dialog === "action" && <RaiseActionDialog sourceType="investigation" sourceId={r.id} sourceReference={r.reference} onClose={() => setDialog(null)} />}
      {dialog === "archive" && (
        <ArchiveDialog reference={r.reference} kind="investigation" archived={!!r.archivedAt} onClose={() => setDialog(null)}
          run={(reason) => call(r.archivedAt ? "investigations.restore" : "investigations.archive", { id: r.id, rowVersion: r.rowVersion, reason })} />
      )}
    </Stack>
  );
}
