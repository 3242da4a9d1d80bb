import { useState } from "react";
import { Badge, Button, Group, Paper, SimpleGrid, Stack, Tabs, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { ComplaintTransitionOption, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, SeverityBadge, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { EvidencePanel } from "../../components/EvidencePanel";
import { ArchiveDialog, Field, HistoryTable, StepDialog, TransitionButtons } from "../../components/RecordParts";
import { RaiseActionDialog } from "../actions/ActionDialogs";
import { ActionTable } from "../actions/ActionTable";
import { InvestigationsOfSubject } from "../investigations/InvestigationsOfSubject";
import { LinkedRisksPanel } from "../risks/RiskDialogs";

const LABELS: Record<string, string> = {
  reason: "Reason", resolutionSummary: "Resolution summary", closureNotes: "Closure notes", escalatedTo: "Escalated to (person or body)", escalationReason: "Why it is escalated",
};

function stepLabel(from: string, to: string) {
  if (from === "closed") return "Reopen";
  if (to === "acknowledged") return "Acknowledge";
  if (to === "escalated") return "Escalate";
  if (to === "resolved") return "Resolve";
  if (to === "closed") return "Close";
  if (from === "resolved") return "Not satisfied: investigate again";
  return `Move to ${humanise(to)}`;
}

export function ComplaintDetail({ id, navigate, user }: { id: string; navigate: Navigate; user: UserView }) {
  const q = useQuery({ queryKey: ["complaints.get", id], queryFn: () => call("complaints.get", { id }) });
  const actions = useQuery({ queryKey: ["actions.list", { sourceId: id }], queryFn: () => call("actions.list", { sourceId: id, pageSize: 200 }) });
  const [step, setStep] = useState<ComplaintTransitionOption | null>(null);
  const [dialog, setDialog] = useState<"archive" | "action" | null>(null);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const v = q.data;
  const r = v.record;
  const writer = user.role !== "viewer";
  const editable = writer && !r.archivedAt && r.status !== "closed";
  return (
    <Stack>
      <Group justify="space-between" align="start">
        <Stack gap={4}>
          <Group gap="sm">
            <CopyRef value={r.reference} />
            <StatusBadge value={r.status} />
            <SeverityBadge value={r.priority} />
            {r.archivedAt && <Badge color="gray">Archived</Badge>}
            {v.flags.acknowledgementOverdue && <Badge color="red">Acknowledgement overdue (due {v.flags.acknowledgeBy})</Badge>}
            {v.flags.resolutionOverdue && <Badge color="red">Resolution overdue</Badge>}
          </Group>
          <Title order={2} data-testid="complaint-title">{r.title}</Title>
          <Text size="sm" c="dimmed">From {r.complainantName}{r.complainantCompany ? `, ${r.complainantCompany}` : ""} · received {r.receivedDate} · target {r.targetResolutionDate}</Text>
        </Stack>
        <Group>
          {editable && <Button variant="default" onClick={() => navigate({ name: "complaint-edit", id })} data-testid="edit-complaint">Edit</Button>}
          {writer && <TransitionButtons options={v.transitions} label={(t) => stepLabel(r.status, t.to)} onChoose={setStep} />}
          {(user.role === "admin" || user.role === "manager") && (
            <Button variant="light" color={r.archivedAt ? "blue" : "red"} onClick={() => setDialog("archive")} data-testid="archive-complaint">{r.archivedAt ? "Restore" : "Archive"}</Button>
          )}
        </Group>
      </Group>
      <Tabs defaultValue="details" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="actions" data-testid="tab-actions">Actions ({actions.data?.total ?? 0})</Tabs.Tab>
          <Tabs.Tab value="investigations" data-testid="tab-investigations">Investigations</Tabs.Tab>
          <Tabs.Tab value="history" data-testid="tab-history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <Stack>
            <LinkedRisksPanel kind="complaint" id={r.id} reference={r.reference} risks={v.linkedRisks} canLink={writer && !r.archivedAt} navigate={navigate} />
            <Paper withBorder p="md">
              <SimpleGrid cols={4}>
                <Field label="Type" value={humanise(r.complaintType)} />
                <Field label="Received by" value={humanise(r.source)} />
                <Field label="Owner" value={v.ownerName} />
                <Field label="Department" value={r.department} />
                <Field label="Order or contract" value={r.relatedReference} />
                <Field label="Product or service" value={r.relatedProductService} />
                <Field label="Acknowledged" value={r.acknowledgedDate} />
                <Field label="Resolved" value={r.resolvedDate} />
              </SimpleGrid>
              <Field label="Description" value={r.description} />
              {r.originalEmailBody && <Field label={`Original email: ${r.originalEmailSubject ?? ""}`} value={r.originalEmailBody} />}
            </Paper>
            <Paper withBorder p="md">
              <Title order={5} mb="xs">Complainant</Title>
              <SimpleGrid cols={4}>
                <Field label="Name" value={r.complainantName} />
                <Field label="Company" value={r.complainantCompany} />
                <Field label="Email" value={r.complainantEmail} />
                <Field label="Phone" value={r.complainantPhone} />
              </SimpleGrid>
              <Field label="Address" value={r.complainantAddress} />
            </Paper>
            <Paper withBorder p="md">
              <Field label="Investigation notes" value={r.investigationNotes} />
              <Field label="Root cause" value={r.rootCause} />
              <Field label="Resolution summary" value={r.resolutionSummary} />
              <SimpleGrid cols={3}>
                <Field label="Customer satisfied" value={r.customerSatisfied === null ? "Not known" : r.customerSatisfied ? "Yes" : "No"} />
                <Field label="Compensation offered" value={r.compensationOffered} />
                <Field label="Escalated to" value={r.escalatedTo ? `${r.escalatedTo}: ${r.escalationReason ?? ""}` : null} />
              </SimpleGrid>
              <Field label="Closure notes" value={r.closureNotes} />
            </Paper>
            <EvidencePanel entityType="complaint" entityId={r.id} editable={writer && !r.archivedAt} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="actions" pt="md">
          <Stack>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">Corrective and preventive actions. The complaint cannot close while any of them is open.</Text>
              {editable && <Button onClick={() => setDialog("action")} data-testid="raise-action">Raise action</Button>}
            </Group>
            {actions.data && (actions.data.total === 0 ? <Text size="sm">No actions yet.</Text> : <ActionTable items={actions.data.items} user={user} />)}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="investigations" pt="md"><InvestigationsOfSubject subjectType="complaint" subject={r} user={user} navigate={navigate} /></Tabs.Panel>
        <Tabs.Panel value="history" pt="md"><HistoryTable command="complaints.history" id={id} /></Tabs.Panel>
      </Tabs>
      {step && (
        <StepDialog title={`${stepLabel(r.status, step.to)}: ${r.reference}`} needs={step.needs} labels={LABELS}
          initial={{ resolutionSummary: r.resolutionSummary, closureNotes: r.closureNotes }}
          run={(values) => call("complaints.transition", { id: r.id, rowVersion: r.rowVersion, to: step.to, ...values })} onClose={() => setStep(null)} />
      )}
      {dialog === "action" && <RaiseActionDialog sourceType="complaint" sourceId={r.id} sourceReference={r.reference} onClose={() => setDialog(null)} />}
      {dialog === "archive" && (
        <ArchiveDialog reference={r.reference} kind="complaint" archived={!!r.archivedAt} onClose={() => setDialog(null)}
          run={(reason) => call(r.archivedAt ? "complaints.restore" : "complaints.archive", { id: r.id, rowVersion: r.rowVersion, reason })} />
      )}
    </Stack>
  );
}
