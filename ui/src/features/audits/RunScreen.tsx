// Doing an audit (§5): every answer is saved the moment it is given; hidden questions disappear as the logic says;
// progress, score and what still stops completion stay in view; the lead auditor signs the run off.
import { useEffect, useState } from "react";
import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Stack, Table, Tabs, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { RunTransitionOption, RunView, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, SeverityBadge, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { toBase64 } from "../../components/EvidencePanel";
import { ArchiveDialog, Field, HistoryTable, SignatureList, StepDialog, TransitionButtons } from "../../components/RecordParts";
import { QuestionCard, type AnswerPatch } from "./QuestionCard";
import { AddFindingDialog } from "./FindingDialogs";
import { RunLocationDialog } from "./RunLocationDialog";
import { RecordOutputs } from "../evidence/RecordOutputs";
import { formatInstant } from "../../components/time";
import { clearUnsaved, markUnsaved } from "../../components/unsaved";
import { OpenRow } from "../../components/OpenRow";
import { LinkedRisksPanel } from "../risks/RiskDialogs";

const STEP: Record<string, string> = {
  scheduled: "Schedule", in_progress: "Start", pending_review: "Submit for review (sign)", completed: "Complete (sign)", cancelled: "Cancel",
};

function stepLabel(run: RunView, t: RunTransitionOption) {
  if (run.record.status === "pending_review" && t.to === "completed") return "Approve review (sign)";
  if (run.record.status === "pending_review" && t.to === "in_progress") return "Return for rework";
  return STEP[t.to] ?? humanise(t.to);
}

function signatureText(run: RunView, t: RunTransitionOption) {
  if (run.record.status === "pending_review") return `I have reviewed ${run.record.reference} “${run.record.title}”, its answers, evidence and score.`;
  if (t.signature) return `I, the lead auditor, sign off ${run.record.reference} “${run.record.title}” as a true record of the audit.`;
  return undefined;
}

export function RunScreen({ id, navigate, user }: { id: string; navigate: Navigate; user: UserView }) {
  const key = ["runs.get", id];
  const q = useQuery({ queryKey: key, queryFn: () => call("runs.get", { id }) });
  const qc = useQueryClient();
  const [step, setStep] = useState<RunTransitionOption | null>(null);
  const [dialog, setDialog] = useState<"finding" | "archive" | "location" | null>(null);
  const [tab, setTab] = useState<string | null>("questions");
  // Answers the backend refused, by question: shown on the question and in the header's "not saved" badge until a
  // later answer to that question is saved.
  const [refused, setRefused] = useState<Record<string, string>>({});
  useEffect(() => {
    Object.entries(refused).forEach(([questionId]) => markUnsaved(`answer:${id}:${questionId}`, `an answer in ${q.data?.record.reference ?? "this audit"}`));
    return () => Object.keys(refused).forEach((questionId) => clearUnsaved(`answer:${id}:${questionId}`));
  }, [refused, id, q.data?.record.reference]);
  const answer = useMutation({
    mutationFn: ({ questionId, patch }: { questionId: string; patch: AnswerPatch }) => call("runs.answer", { runId: id, questionId, ...patch }),
    onMutate: ({ questionId }) => setRefused((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== questionId))),
    onSuccess: (out) => {
      // Merge the saved answer into the cached run so the screen follows without reloading everything.
      qc.setQueryData<RunView>(key, (old) => old && {
        ...old,
        responses: [...old.responses.filter((r) => r.questionId !== out.response.questionId), out.response],
        visibleQuestionIds: out.visibleQuestionIds, liveScore: out.liveScore, completionProblems: out.completionProblems,
        record: { ...old.record, status: out.status, rowVersion: out.runRowVersion },
      });
      // The steps on offer depend on what is still missing; refresh them in the background.
      qc.invalidateQueries({ queryKey: key });
    },
    onError: (e, { questionId }) => {
      const err = e as AppError;
      const why = err.fieldErrors().answer ?? err.fieldErrors().isNa ?? err.message;
      setRefused((r) => ({ ...r, [questionId]: `Not saved: ${why} (request ${err.envelope.requestId})` }));
    },
  });
  const attach = useMutation({
    mutationFn: async ({ questionId, file }: { questionId: string; file: File }) =>
      call("runs.attach", { runId: id, questionId, originalName: file.name, contentBase64: await toBase64(file), source: "camera" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
    onError: (e) => notifications.show({ color: "red", title: "Not attached", message: (e as AppError).message }),
  });
  // A re-audit: a new run from the same template, pre-linked to this run's open findings.
  const reaudit = useMutation({
    mutationFn: () => call("runs.create", {
      templateId: q.data!.record.templateId, leadAuditorId: q.data!.record.leadAuditorId, reviewerId: q.data!.record.reviewerId ?? undefined,
      location: q.data!.record.location ?? undefined, auditee: q.data!.record.auditee ?? undefined, followUpOfRunId: id,
    }),
    onSuccess: (run) => { qc.invalidateQueries(); navigate({ name: "run", id: run.record.id }); },
    onError: (e) => notifications.show({ color: "red", title: "Re-audit not started", message: (e as AppError).message }),
  });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const run = q.data;
  const r = run.record;
  const conducting = user.role !== "viewer" && user.role !== "contributor";
  const editable = conducting && !r.archivedAt && (r.status === "scheduled" || r.status === "in_progress");
  const visible = new Set(run.visibleQuestionIds);
  const problemFor = (text: string) => run.completionProblems.find((p) => p.includes(`› ${text}:`));
  const score = run.liveScore;
  let counter = 0;
  return (
    <Stack>
      <Group justify="space-between" align="start">
        <Stack gap={4}>
          <Group gap="sm">
            <CopyRef value={r.reference} />
            <StatusBadge value={r.status} />
            {r.passed != null && <Badge color={r.passed ? "green" : "red"}>{r.passed ? "Passed" : "Failed"}</Badge>}
            {run.overdue && <Badge color="red">Overdue</Badge>}
            {r.archivedAt && <Badge color="gray">Archived</Badge>}
          </Group>
          <Title order={2} data-testid="run-title">{r.title}</Title>
          <Text size="sm" c="dimmed">{run.templateName} · version {run.versionNumber} · lead {run.leadAuditorName ?? "—"}{run.reviewerName ? ` · reviewer ${run.reviewerName}` : ""}{r.location ? ` · ${r.location}` : ""}</Text>
        </Stack>
        <Group>
          {conducting && <TransitionButtons options={run.transitions} label={(t) => stepLabel(run, t)} onChoose={setStep} />}
          {conducting && ["in_progress", "pending_review", "completed"].includes(r.status) && !r.archivedAt && (
            <Button variant="light" onClick={() => setDialog("finding")} data-testid="add-finding">Add finding</Button>
          )}
          {conducting && ["draft", "scheduled", "in_progress", "pending_review"].includes(r.status) && !r.archivedAt && (
            <Button variant="light" onClick={() => setDialog("location")} data-testid="run-location">{r.latitude != null ? "Change location" : "Record location"}</Button>
          )}
          {conducting && r.status === "completed" && run.findings.some((f) => f.status !== "closed") && (
            <Button variant="light" onClick={() => reaudit.mutate()} loading={reaudit.isPending} data-testid="re-audit">Re-audit open findings</Button>
          )}
          {r.status !== "draft" && (
            <RecordOutputs outputs={[
              { label: "Audit report (PDF)", command: "reports.generate", input: { kind: "audit_run", id: r.id }, testId: "run-report" },
              { label: "Evidence pack (signed ZIP)", command: "packs.create", input: { subject: { kind: "audit_run", runId: r.id } }, testId: "run-pack" },
            ]} />
          )}
          {(user.role === "admin" || user.role === "manager") && r.status !== "draft" && (
            <Button variant="light" color={r.archivedAt ? "blue" : "red"} onClick={() => setDialog("archive")}>{r.archivedAt ? "Restore" : "Archive"}</Button>
          )}
        </Group>
      </Group>
      <Paper withBorder p="sm">
        <SimpleGrid cols={4}>
          <Stack gap={4}>
            <Text size="xs" c="dimmed">Progress</Text>
            <Progress value={score.progress} size="lg" data-testid="run-progress" aria-label={`Progress ${score.progress}%`} />
            <Text size="sm">{score.answered} of {score.visible} questions</Text>
          </Stack>
          <Field label="Score" value={score.maxScore > 0 ? `${score.score} of ${score.maxScore}` : "Not scored yet"} />
          <Field label="Percentage" value={score.percentage != null ? `${score.percentage} %` : "—"} />
          <Field label="Pass mark" value={run.settings.passingScore != null ? `${run.settings.passingScore}${run.settings.scoringMethod === "percentage" ? " %" : " points"}` : "None"} />
        </SimpleGrid>
      </Paper>
      {r.status === "draft" && <Alert color="blue">This run is a draft. Schedule it or start it to answer the questions.</Alert>}
      {editable && run.completionProblems.length > 0 && (
        <Alert color="orange" title={`${run.completionProblems.length} thing${run.completionProblems.length === 1 ? "" : "s"} to do before completing`} data-testid="completion-problems">
          <Stack gap={2}>{run.completionProblems.slice(0, 8).map((p) => <Text key={p} size="sm">{p}</Text>)}{run.completionProblems.length > 8 && <Text size="sm">…</Text>}</Stack>
        </Alert>
      )}
      <SignatureList signatures={run.signatures} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="questions">Questions</Tabs.Tab>
          <Tabs.Tab value="findings" data-testid="tab-findings">Findings ({run.findings.length})</Tabs.Tab>
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="questions" pt="md">
          <Stack>
            {run.followUpFindings.length > 0 && (
              <Alert color="blue" title="This run re-checks open findings">
                {run.followUpFindings.map((f) => <Button key={f.id} variant="subtle" size="compact-sm" onClick={() => navigate({ name: "finding", id: f.id })}>{f.reference} · {f.title}</Button>)}
              </Alert>
            )}
            {run.sections.map((s) => {
              const shown = s.questions.filter((x) => visible.has(x.id));
              if (!shown.length) return null;
              return (
                <Stack key={s.id} gap="sm">
                  <Title order={4}>{s.title}</Title>
                  {s.description && <Text size="sm" c="dimmed">{s.description}</Text>}
                  {shown.map((question) => {
                    counter += 1;
                    return (
                      <QuestionCard key={question.id} q={question} number={String(counter)} response={run.responses.find((x) => x.questionId === question.id)}
                        editable={editable} problem={problemFor(question.text)} refused={refused[question.id]}
                        onAnswer={(patch) => answer.mutate({ questionId: question.id, patch })}
                        onAttach={(file) => attach.mutate({ questionId: question.id, file })} />
                    );
                  })}
                </Stack>
              );
            })}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="findings" pt="md">
          <Table striped highlightOnHover>
            <Table.Thead><Table.Tr><Table.Th>Reference</Table.Th><Table.Th>Finding</Table.Th><Table.Th>Severity</Table.Th><Table.Th>Type</Table.Th><Table.Th>Status</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {run.findings.map((f) => (
                <OpenRow key={f.id} onOpen={() => navigate({ name: "finding", id: f.id })} data-testid="finding-row">
                  <Table.Td><CopyRef value={f.reference} /></Table.Td><Table.Td>{f.title}</Table.Td><Table.Td><SeverityBadge value={f.severity} /></Table.Td>
                  <Table.Td>{humanise(f.findingType)}</Table.Td><Table.Td><StatusBadge value={f.status} /></Table.Td>
                </OpenRow>
              ))}
              {!run.findings.length && <Table.Tr><Table.Td colSpan={5}><Text size="sm" c="dimmed">No findings. Answers that raise one become findings when the run is completed.</Text></Table.Td></Table.Tr>}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="details" pt="md">
          <Paper withBorder p="md">
            <SimpleGrid cols={3}>
              <Field label="Scheduled" value={r.scheduledDate} /><Field label="Due" value={r.dueDate} /><Field label="Auditee" value={r.auditee} />
              <Field label="Started" value={r.startedAt && formatInstant(r.startedAt)} /><Field label="Submitted" value={r.submittedAt && formatInstant(r.submittedAt)} />
              <Field label="Completed" value={r.completedAt && formatInstant(r.completedAt)} />
              <Field label="Location detail" value={r.locationDetail} /><Field label="GPS" value={r.latitude != null ? `${r.latitude}, ${r.longitude}` : null} /><Field label="Notes" value={r.notes} />
            </SimpleGrid>
          </Paper>
          <LinkedRisksPanel kind="audit_run" id={r.id} reference={r.reference} risks={run.linkedRisks} canLink={conducting && !r.archivedAt} navigate={navigate} />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md"><HistoryTable command="runs.history" id={r.id} /></Tabs.Panel>
      </Tabs>
      {step && (
        <StepDialog title={`${stepLabel(run, step)}: ${r.reference}`} needs={step.needs} signatureText={signatureText(run, step)}
          run={(values) => call("runs.transition", { id: r.id, rowVersion: r.rowVersion, to: step.to, ...values })} onClose={() => setStep(null)} />
      )}
      {dialog === "finding" && <AddFindingDialog runId={r.id} reference={r.reference} onClose={() => setDialog(null)} />}
      {dialog === "location" && <RunLocationDialog run={r} onClose={() => setDialog(null)} />}
      {dialog === "archive" && (
        <ArchiveDialog reference={r.reference} kind="audit run" archived={!!r.archivedAt} onClose={() => setDialog(null)}
          run={(reason) => call(r.archivedAt ? "runs.restore" : "runs.archive", { id: r.id, rowVersion: r.rowVersion, reason })} />
      )}
    </Stack>
  );
}
