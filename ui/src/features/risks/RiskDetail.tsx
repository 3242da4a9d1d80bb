import { useState } from "react";
import { Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Tabs, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { LinkedRecord, LinkedType, RiskControl, RiskTransitionOption, RiskView, UserView } from "../../api/bindings";
import { recordView, type Navigate } from "../../app/nav";
import { CopyRef, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { EvidencePanel } from "../../components/EvidencePanel";
import { ArchiveDialog, Field, HistoryTable, SignatureList, StepDialog, TransitionButtons } from "../../components/RecordParts";
import { RaiseActionDialog } from "../actions/ActionDialogs";
import { ActionTable } from "../actions/ActionTable";
import { LevelBadge } from "./HeatMap";
import { AssessDialog, ControlDialog, LinkDialog } from "./RiskDialogs";
import { formatInstant, todayInZone } from "../../components/time";

const localToday = todayInZone;

function stepLabel(from: string, to: string) {
  if (from === "closed") return "Reopen";
  if (from === "assessed" && to === "monitoring") return "Accept risk (sign)";
  if (to === "closed") return "Close";
  return `Move to ${humanise(to)}`;
}

function Assessments({ view }: { view: RiskView }) {
  const rating = (l: number | null, i: number | null, s: number | null, level: string | null) => (l && i && s && level ? `${l} × ${i} = ${s} (${humanise(level)})` : "—");
  return (
    <Table striped data-testid="assessment-table">
      <Table.Thead>
        <Table.Tr><Table.Th>Date</Table.Th><Table.Th>Type</Table.Th><Table.Th>Inherent</Table.Th><Table.Th>Residual</Table.Th><Table.Th>Target</Table.Th><Table.Th>Notes</Table.Th></Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {view.assessments.map((a, n) => (
          <Table.Tr key={a.id} data-testid="assessment-row">
            <Table.Td>{a.assessmentDate}{n === 0 && <Badge ml={6} size="xs" variant="light">Current</Badge>}</Table.Td>
            <Table.Td>{humanise(a.assessmentType)}</Table.Td>
            <Table.Td>{rating(a.inherentLikelihood, a.inherentImpact, a.inherentScore, a.inherentLevel)}</Table.Td>
            <Table.Td><b>{rating(a.residualLikelihood, a.residualImpact, a.residualScore, a.residualLevel)}</b></Table.Td>
            <Table.Td>{rating(a.targetLikelihood, a.targetImpact, a.targetScore, a.targetLevel)}</Table.Td>
            <Table.Td style={{ whiteSpace: "pre-wrap" }}>{[a.notes, a.controlEffectivenessNotes].filter(Boolean).join("\n")}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Controls({ view, editable }: { view: RiskView; editable: boolean }) {
  const [editing, setEditing] = useState<RiskControl | "new" | null>(null);
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">Measures that reduce the likelihood or impact. A retired control is marked not applicable; none is deleted.</Text>
        {editable && <Button onClick={() => setEditing("new")} data-testid="add-control">Add control</Button>}
      </Group>
      {view.controls.length === 0 ? <Text size="sm">No controls yet.</Text> : (
        <Table striped data-testid="control-table">
          <Table.Thead>
            <Table.Tr><Table.Th>Control</Table.Th><Table.Th>Type</Table.Th><Table.Th>Implementation</Table.Th><Table.Th>Effectiveness</Table.Th><Table.Th>Next test</Table.Th><Table.Th /></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.controls.map((c) => (
              <Table.Tr key={c.id} data-testid="control-row">
                <Table.Td>{c.title}</Table.Td>
                <Table.Td>{humanise(c.controlType)}</Table.Td>
                <Table.Td>{humanise(c.implementationStatus)}</Table.Td>
                <Table.Td>{humanise(c.effectiveness)}</Table.Td>
                <Table.Td>{c.nextTestDate ?? "—"}</Table.Td>
                <Table.Td>{editable && <Button size="compact-xs" variant="subtle" onClick={() => setEditing(c)}>Edit</Button>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && <ControlDialog riskId={view.record.id} control={editing === "new" ? undefined : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

export function RiskDetail({ id, navigate, user }: { id: string; navigate: Navigate; user: UserView }) {
  const q = useQuery({ queryKey: ["risks.get", id], queryFn: () => call("risks.get", { id }) });
  const actions = useQuery({ queryKey: ["actions.list", { sourceId: id }], queryFn: () => call("actions.list", { sourceId: id, pageSize: 200 }) });
  const [step, setStep] = useState<RiskTransitionOption | null>(null);
  const [dialog, setDialog] = useState<"assess" | "archive" | "link" | "action" | null>(null);
  const qc = useQueryClient();
  const unlink = useMutation({
    mutationFn: (l: LinkedRecord) => call("risks.unlink", { riskId: id, recordType: l.entityType as LinkedType, recordId: l.id }),
    onSuccess: () => qc.invalidateQueries(),
  });
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
            <LevelBadge level={r.level} colour={v.colour} score={r.score} />
            {r.archivedAt && <Badge color="gray">Archived</Badge>}
            {v.flags.reviewOverdue && <Badge color="red">Review overdue</Badge>}
            {v.flags.reviewDueSoon && <Badge color="orange">Review due soon</Badge>}
            {v.flags.treatmentOverdue && <Badge color="red">Treatment overdue</Badge>}
          </Group>
          <Title order={2} data-testid="risk-title">{r.title}</Title>
        </Stack>
        <Group>
          {editable && <Button variant="default" onClick={() => navigate({ name: "risk-edit", id })} data-testid="edit-risk">Edit</Button>}
          {editable && <Button variant="default" onClick={() => setDialog("assess")} data-testid="assess-risk">Assess</Button>}
          {writer && <TransitionButtons options={v.transitions} label={(t) => stepLabel(r.status, t.to)} onChoose={setStep} />}
          {(user.role === "admin" || user.role === "manager") && (
            <Button variant="light" color={r.archivedAt ? "blue" : "red"} onClick={() => setDialog("archive")} data-testid="archive-risk">{r.archivedAt ? "Restore" : "Archive"}</Button>
          )}
        </Group>
      </Group>
      <Tabs defaultValue="details" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="assessments" data-testid="tab-assessments">Assessments ({v.assessments.length})</Tabs.Tab>
          <Tabs.Tab value="controls" data-testid="tab-controls">Controls ({v.controls.length})</Tabs.Tab>
          <Tabs.Tab value="actions" data-testid="tab-actions">Actions ({actions.data?.total ?? 0})</Tabs.Tab>
          <Tabs.Tab value="links" data-testid="tab-links">Linked records ({v.linkedRecords.length})</Tabs.Tab>
          <Tabs.Tab value="history" data-testid="tab-history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <Stack>
            <Paper withBorder p="md">
              <SimpleGrid cols={4}>
                <Field label="Category" value={humanise(r.category)} />
                <Field label="Subcategory" value={r.subcategory} />
                <Field label="Department" value={r.department} />
                <Field label="Owner" value={v.ownerName} />
                <Field label="Likelihood × impact" value={`${r.likelihood} × ${r.impact}`} />
                <Field label="Review every" value={`${r.reviewFrequencyMonths} months`} />
                <Field label="Next review" value={r.nextReviewDate} />
                <Field label="Legacy reference" value={r.legacyReference} />
              </SimpleGrid>
              <Field label="Description" value={r.description} />
              <SimpleGrid cols={3} mt="sm">
                <Field label="Cause" value={r.cause} />
                <Field label="Event" value={r.event} />
                <Field label="Consequence" value={r.consequence} />
              </SimpleGrid>
            </Paper>
            <Paper withBorder p="md">
              <SimpleGrid cols={3}>
                <Field label="Treatment strategy" value={humanise(r.treatmentStrategy)} />
                <Field label="Treatment due" value={r.treatmentDueDate} />
                <Field label="Accepted" value={r.acceptedAt ? formatInstant(r.acceptedAt) : null} />
              </SimpleGrid>
              <Field label="Treatment plan" value={r.treatmentPlan} />
              {r.closureReason && <Field label="Closure reason" value={r.closureReason} />}
            </Paper>
            <SignatureList signatures={v.signatures} />
            <EvidencePanel entityType="risk" entityId={r.id} editable={writer && !r.archivedAt} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="assessments" pt="md"><Assessments view={v} /></Tabs.Panel>
        <Tabs.Panel value="controls" pt="md"><Controls view={v} editable={editable} /></Tabs.Panel>
        <Tabs.Panel value="actions" pt="md">
          <Stack>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">Treatment actions. The risk cannot close while any of them is open.</Text>
              {editable && <Button onClick={() => setDialog("action")} data-testid="raise-action">Raise action</Button>}
            </Group>
            {actions.data && (actions.data.total === 0 ? <Text size="sm">No actions yet.</Text> : <ActionTable items={actions.data.items} user={user} />)}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="links" pt="md">
          <Stack>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">Incidents, collisions and complaints where this risk materialised or was a factor.</Text>
              {writer && !r.archivedAt && <Button onClick={() => setDialog("link")} data-testid="link-record">Link record</Button>}
            </Group>
            {unlink.error && <ErrorAlert error={unlink.error} />}
            {v.linkedRecords.map((l) => (
              <Group key={`${l.entityType}-${l.id}`} gap="xs" data-testid="linked-record">
                <Badge variant="light" size="sm">{humanise(l.entityType)}</Badge>
                <Button variant="subtle" size="compact-sm" onClick={() => { const view = recordView(l.entityType, l.id); if (view) navigate(view); }}>{l.reference}</Button>
                <Text size="sm">{l.title}</Text>
                <StatusBadge value={l.status} />
                {writer && !r.archivedAt && (
                  <Button size="compact-xs" variant="subtle" color="red" loading={unlink.isPending} onClick={() => unlink.mutate(l)}>Unlink</Button>
                )}
              </Group>
            ))}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md"><HistoryTable command="risks.history" id={id} /></Tabs.Panel>
      </Tabs>
      {step && (
        <StepDialog
          title={`${stepLabel(r.status, step.to)}: ${r.reference}`}
          needs={step.needs}
          signatureText={step.signature ? `I accept the residual risk of ${r.reference} “${r.title}” at ${r.score} (${humanise(r.level)}) and put it under monitoring.` : undefined}
          run={(values) => call("risks.transition", { id: r.id, rowVersion: r.rowVersion, to: step.to, ...values })}
          onClose={() => setStep(null)}
        />
      )}
      {dialog === "assess" && <AssessDialog view={v} today={localToday()} onClose={() => setDialog(null)} />}
      {dialog === "link" && <LinkDialog from="risk" id={r.id} reference={r.reference} onClose={() => setDialog(null)} />}
      {dialog === "action" && <RaiseActionDialog sourceType="risk" sourceId={r.id} sourceReference={r.reference} onClose={() => setDialog(null)} />}
      {dialog === "archive" && (
        <ArchiveDialog reference={r.reference} kind="risk" archived={!!r.archivedAt} onClose={() => setDialog(null)}
          run={(reason) => call(r.archivedAt ? "risks.restore" : "risks.archive", { id: r.id, rowVersion: r.rowVersion, reason })} />
      )}
    </Stack>
  );
}
