// A finding (§6): its grade, the answer and evidence behind it, its actions, and its way to closure.
import { useState } from "react";
import { Badge, Button, Group, Paper, SimpleGrid, Stack, Tabs, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { FindingTransitionOption, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, SeverityBadge, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { formatInstant } from "../../components/time";
import { EvidencePanel } from "../../components/EvidencePanel";
import { ArchiveDialog, Field, HistoryTable, SignatureList, StepDialog, TransitionButtons } from "../../components/RecordParts";
import { RaiseActionDialog } from "../actions/ActionDialogs";
import { ActionTable } from "../actions/ActionTable";
import { LinkedRisksPanel } from "../risks/RiskDialogs";

const STEP: Record<string, string> = {
  action_planned: "Actions planned", pending_verification: "Ready for verification", closed: "Close", deferred: "Defer", open: "Reopen",
};
const LABELS = { verificationNotes: "Verification notes", closureNotes: "Closure notes", deferredUntil: "Deferred until (YYYY-MM-DD)" };

export function FindingDetail({ id, navigate, user }: { id: string; navigate: Navigate; user: UserView }) {
  const q = useQuery({ queryKey: ["findings.get", id], queryFn: () => call("findings.get", { id }) });
  const actions = useQuery({ queryKey: ["actions.list", { sourceId: id }], queryFn: () => call("actions.list", { sourceId: id, pageSize: 200 }) });
  const [step, setStep] = useState<FindingTransitionOption | null>(null);
  const [dialog, setDialog] = useState<"action" | "archive" | null>(null);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const v = q.data;
  const r = v.record;
  const writer = user.role === "admin" || user.role === "manager" || user.role === "auditor";
  return (
    <Stack>
      <Group justify="space-between" align="start">
        <Stack gap={4}>
          <Group gap="sm">
            <CopyRef value={r.reference} />
            <StatusBadge value={r.status} />
            <SeverityBadge value={r.severity} />
            <Badge variant="outline">{v.grade}</Badge>
            {v.overdue && <Badge color="red">Action overdue</Badge>}
            {v.deferralExpired && <Badge color="orange" data-testid="deferral-expired">Deferral expired</Badge>}
            {r.archivedAt && <Badge color="gray">Archived</Badge>}
          </Group>
          <Title order={2} data-testid="finding-heading">{r.title}</Title>
          <Text size="sm" c="dimmed">
            From <Button variant="subtle" size="compact-sm" onClick={() => navigate({ name: "run", id: r.runId })}>{v.runReference} · {v.runTitle}</Button>
            {r.origin === "auto" ? " (raised automatically)" : " (added by hand)"}
          </Text>
        </Stack>
        <Group>
          {writer && <TransitionButtons options={v.transitions} label={(t) => (r.status === "pending_verification" && t.to === "closed" ? "Verify and close (sign)" : STEP[t.to] ?? humanise(t.to))} onChoose={setStep} />}
          {writer && !r.archivedAt && r.status !== "closed" && <Button variant="light" onClick={() => setDialog("action")} data-testid="finding-raise-action">Raise action</Button>}
          {(user.role === "admin" || user.role === "manager") && <Button variant="light" color={r.archivedAt ? "blue" : "red"} onClick={() => setDialog("archive")}>{r.archivedAt ? "Restore" : "Archive"}</Button>}
        </Group>
      </Group>
      <SignatureList signatures={v.signatures} />
      <Tabs defaultValue="details" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="actions" data-testid="tab-actions">Actions ({actions.data?.total ?? 0})</Tabs.Tab>
          <Tabs.Tab value="evidence">Evidence</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <Paper withBorder p="md">
            <Stack>
              <Text style={{ whiteSpace: "pre-wrap" }}>{r.description}</Text>
              <SimpleGrid cols={4}>
                <Field label="Type" value={humanise(r.findingType)} /><Field label="Corrective action" value={r.correctiveActionRequired ? "Required" : "Not required"} />
                <Field label="Action due" value={r.actionDueDate} /><Field label="Deferred until" value={r.deferredUntil} />
                <Field label="Verification notes" value={r.verificationNotes} /><Field label="Closure notes" value={r.closureNotes} />
                <Field label="Location" value={v.runLocation} />
                <Field label="Closed" value={r.closedAt ? `${formatInstant(r.closedAt)} by ${v.closedByName ?? "—"}` : null} />
                <Field label="Times reopened" value={String(r.reopenCount)} />
              </SimpleGrid>
            </Stack>
          </Paper>
          <LinkedRisksPanel kind="finding" id={r.id} reference={r.reference} risks={v.linkedRisks} canLink={writer && !r.archivedAt} navigate={navigate} />
        </Tabs.Panel>
        <Tabs.Panel value="actions" pt="md">
          {actions.data && <ActionTable items={actions.data.items} user={user} />}
        </Tabs.Panel>
        <Tabs.Panel value="evidence" pt="md"><EvidencePanel entityType="finding" entityId={r.id} editable={writer && !r.archivedAt && r.status !== "closed"} /></Tabs.Panel>
        <Tabs.Panel value="history" pt="md"><HistoryTable command="findings.history" id={r.id} /></Tabs.Panel>
      </Tabs>
      {step && (
        <StepDialog title={`${STEP[step.to] ?? humanise(step.to)}: ${r.reference}`} needs={step.needs} labels={LABELS}
          signatureText={step.signature ? `I have verified that the actions on ${r.reference} “${r.title}” are complete and effective.` : undefined}
          run={(values) => call("findings.transition", { id: r.id, rowVersion: r.rowVersion, to: step.to, ...values })} onClose={() => setStep(null)} />
      )}
      {dialog === "action" && <RaiseActionDialog sourceType="finding" sourceId={r.id} sourceReference={r.reference} onClose={() => setDialog(null)} />}
      {dialog === "archive" && (
        <ArchiveDialog reference={r.reference} kind="finding" archived={!!r.archivedAt} onClose={() => setDialog(null)}
          run={(reason) => call(r.archivedAt ? "findings.restore" : "findings.archive", { id: r.id, rowVersion: r.rowVersion, reason })} />
      )}
    </Stack>
  );
}
