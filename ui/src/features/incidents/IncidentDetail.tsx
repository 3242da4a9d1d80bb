import { useState } from "react";
import { Button, Group, Modal, Stack, Table, Tabs, Text, Textarea, Title, Badge, SimpleGrid, Paper } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { IncidentView, TransitionOption, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, SeverityBadge, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { EvidencePanel } from "../../components/EvidencePanel";
import { ArchiveDialog, Field, HistoryTable, TransitionButtons } from "../../components/RecordParts";
import { InvestigationsOfSubject } from "../investigations/InvestigationsOfSubject";
import { LinkedRisksPanel } from "../risks/RiskDialogs";
import { RaiseActionDialog } from "../actions/ActionDialogs";
import { ActionTable } from "../actions/ActionTable";
import { RecordOutputs } from "../evidence/RecordOutputs";
import { DialogFooter } from "../../components/DialogFooter";
import { formatInstant } from "../../components/time";

const yesNo = (b: boolean | null) => (b === null ? "Not assessed" : b ? "Yes" : "No");

function TransitionDialog({ view, option, onClose }: { view: IncidentView; option: TransitionOption; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const [closureNotes, setClosureNotes] = useState(view.record.closureNotes ?? "");
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () =>
      call("incidents.transition", {
        id: view.record.id,
        rowVersion: view.record.rowVersion,
        to: option.to,
        reason: reason.trim() || undefined,
        closureNotes: closureNotes.trim() || undefined,
      }),
    onSuccess: (v) => {
      qc.invalidateQueries();
      notifications.show({ color: "green", message: `${v.record.reference} is now ${humanise(v.record.status)}` });
      onClose();
    },
  });
  const fields = (run.error as AppError | null)?.fieldErrors() ?? {};
  return (
    <Modal opened onClose={onClose} title={`Move ${view.record.reference} to ${humanise(option.to)}`}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
        <Stack>
          <Text size="sm">The incident moves from {humanise(view.record.status)} to {humanise(option.to)}. This is recorded in its history with your name.</Text>
          {option.needs.includes("reason") && <Textarea label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fields.reason} data-testid="transition-reason" autoFocus />}
          {option.needs.includes("closureNotes") && <Textarea label="Closure notes" required value={closureNotes} onChange={(e) => setClosureNotes(e.currentTarget.value)} error={fields.closureNotes} data-testid="transition-closure-notes" />}
          <DialogFooter error={run.error} fields={fields} onCancel={onClose} loading={run.isPending} testId="transition-confirm">Confirm</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

function Actions({ view, user }: { view: IncidentView; user: UserView }) {
  const r = view.record;
  const [raising, setRaising] = useState(false);
  const actions = useQuery({ queryKey: ["actions.list", { sourceId: r.id }], queryFn: () => call("actions.list", { sourceId: r.id, pageSize: 200 }) });
  const canRaise = user.role !== "viewer" && r.status !== "closed" && !r.archivedAt;
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">Containment, corrective and preventive actions raised from this incident. It cannot close while any of them is open.</Text>
        {canRaise && <Button onClick={() => setRaising(true)} data-testid="raise-action">Raise action</Button>}
      </Group>
      {actions.error && <ErrorAlert error={actions.error} />}
      {actions.data && actions.data.total === 0 ? <Text size="sm">No actions yet.</Text> : actions.data && <ActionTable items={actions.data.items} user={user} />}
      {raising && <RaiseActionDialog sourceType="incident" sourceId={r.id} sourceReference={r.reference} onClose={() => setRaising(false)} />}
    </Stack>
  );
}

export function IncidentDetail({ id, navigate, user }: { id: string; navigate: Navigate; user: UserView }) {
  const q = useQuery({ queryKey: ["incidents.get", id], queryFn: () => call("incidents.get", { id }) });
  const [transition, setTransition] = useState<TransitionOption | null>(null);
  const [archiveOpen, setArchiveOpen] = useState(false);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const v = q.data;
  const r = v.record;
  const readOnly = !!r.archivedAt || r.status === "closed" || user.role === "viewer";
  const canArchive = user.role === "admin" || user.role === "manager";

  return (
    <Stack>
      <Group justify="space-between" align="start">
        <Stack gap={4}>
          <Group gap="sm">
            <CopyRef value={r.reference} />
            <StatusBadge value={r.status} />
            <SeverityBadge value={r.severity} />
            {r.archivedAt && <Badge color="gray">Archived</Badge>}
            {v.riddor.overdue && <Badge color="red">RIDDOR report overdue</Badge>}
          </Group>
          <Title order={2} data-testid="incident-title">{r.title}</Title>
        </Stack>
        <Group>
          <RecordOutputs outputs={[
            { label: "Incident report (PDF)", command: "reports.generate", input: { kind: "incident", id: r.id }, testId: "incident-report" },
            { label: "Evidence pack (signed ZIP)", command: "packs.create", input: { subject: { kind: "incidents", incidentIds: [r.id] } }, testId: "incident-pack" },
          ]} />
          {!readOnly && <Button variant="default" onClick={() => navigate({ name: "incident-edit", id })} data-testid="edit-incident">Edit</Button>}
          {user.role !== "viewer" && (
            <TransitionButtons options={v.transitions} label={(t) => (r.status === "closed" ? "Reopen" : `Move to ${humanise(t.to)}`)} onChoose={setTransition} />
          )}
          {canArchive && <Button variant="light" color={r.archivedAt ? "blue" : "red"} onClick={() => setArchiveOpen(true)} data-testid="archive-incident">{r.archivedAt ? "Restore" : "Archive"}</Button>}
        </Group>
      </Group>
      <Tabs defaultValue="details" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="people">People ({v.people.length})</Tabs.Tab>
          <Tabs.Tab value="actions" data-testid="tab-actions">Actions</Tabs.Tab>
          <Tabs.Tab value="investigations" data-testid="tab-investigations">Investigations</Tabs.Tab>
          <Tabs.Tab value="history" data-testid="tab-history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <Stack>
            <Paper withBorder p="md">
              <SimpleGrid cols={4}>
                <Field label="Incident date" value={`${r.incidentDate}${r.incidentTime ? ` ${r.incidentTime}` : ""}`} />
                <Field label="Type" value={humanise(r.incidentType)} />
                <Field label="Location" value={r.location} />
                <Field label="Department" value={r.department} />
                <Field label="Reported" value={`${formatInstant(r.reportedAt)} by ${v.createdByName ?? ""}`} />
                <Field label="On behalf of" value={r.reportedOnBehalfOf} />
                <Field label="Source" value={humanise(r.source)} />
                <Field label="Legacy reference" value={r.legacyReference} />
              </SimpleGrid>
              <Field label="Description" value={r.description} />
            </Paper>
            <Paper withBorder p="md">
              <SimpleGrid cols={3}>
                <Field label="First aid given" value={r.firstAidGiven ? "Yes" : "No"} />
                <Field label="Emergency services called" value={r.emergencyServicesCalled ? "Yes" : "No"} />
                <Field label="Investigator" value={v.investigatorName} />
              </SimpleGrid>
              <Field label="Immediate actions" value={r.immediateActions} />
              <Field label="Witnesses" value={r.witnesses} />
              <Field label="Root cause" value={r.rootCause} />
              <Field label="Contributing factors" value={r.contributingFactors} />
              <Field label="Lessons learned" value={r.lessonsLearned} />
              <Field label="Closure notes" value={r.closureNotes} />
            </Paper>
            <LinkedRisksPanel kind="incident" id={r.id} reference={r.reference} risks={v.linkedRisks} canLink={user.role !== "viewer" && !r.archivedAt} navigate={navigate} />
            <Paper withBorder p="md">
              <Title order={5} mb="xs">RIDDOR</Title>
              <SimpleGrid cols={4}>
                <Field label="Reportable" value={yesNo(r.riddorReportable)} />
                <Field label="Category" value={humanise(r.riddorCategory)} />
                <Field label="Deadline (advisory)" value={v.riddor.deadline} />
                <Field label="Reported on" value={r.riddorReportedOn} />
                <Field label="Reference" value={r.riddorReference} />
                <Field label="Record only (over 3 days lost)" value={v.riddor.recordOnly ? "Yes" : "No"} />
              </SimpleGrid>
              <Field label="Rationale" value={r.riddorRationale} />
            </Paper>
            <EvidencePanel entityType="incident" entityId={r.id} editable={!r.archivedAt && user.role !== "viewer"} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="people" pt="md">
          <Table>
            <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Role</Table.Th><Table.Th>Injured</Table.Th><Table.Th>Injury</Table.Th><Table.Th>Body part</Table.Th><Table.Th>Hospital</Table.Th><Table.Th>Days lost</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {v.people.map((p, i) => (
                <Table.Tr key={i}><Table.Td>{p.name}</Table.Td><Table.Td>{humanise(p.personType)}</Table.Td><Table.Td>{p.injured ? "Yes" : "No"}</Table.Td><Table.Td>{p.injuryNature}</Table.Td><Table.Td>{p.bodyPart}</Table.Td><Table.Td>{p.hospitalised ? "Yes" : "No"}</Table.Td><Table.Td>{p.daysLost ?? ""}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="actions" pt="md"><Actions view={v} user={user} /></Tabs.Panel>
        <Tabs.Panel value="investigations" pt="md"><InvestigationsOfSubject subjectType="incident" subject={r} user={user} navigate={navigate} /></Tabs.Panel>
        <Tabs.Panel value="history" pt="md"><HistoryTable command="incidents.history" id={id} /></Tabs.Panel>
      </Tabs>
      {transition && <TransitionDialog view={v} option={transition} onClose={() => setTransition(null)} />}
      {archiveOpen && (
        <ArchiveDialog reference={r.reference} kind="incident" archived={!!r.archivedAt} onClose={() => setArchiveOpen(false)}
          run={(reason) => call(r.archivedAt ? "incidents.restore" : "incidents.archive", { id: r.id, rowVersion: r.rowVersion, reason })} />
      )}
    </Stack>
  );
}
