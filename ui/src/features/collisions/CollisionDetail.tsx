import { useState } from "react";
import { Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Tabs, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { CollisionTransitionOption, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, SeverityBadge, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { EvidencePanel } from "../../components/EvidencePanel";
import { ArchiveDialog, Field, HistoryTable, StepDialog, TransitionButtons } from "../../components/RecordParts";
import { RaiseActionDialog } from "../actions/ActionDialogs";
import { ActionTable } from "../actions/ActionTable";
import { InvestigationsOfSubject } from "../investigations/InvestigationsOfSubject";
import { LinkedRisksPanel } from "../risks/RiskDialogs";
import { money } from "./options";

const yes = (b: boolean) => (b ? "Yes" : "No");

function stepLabel(from: string, to: string) {
  if (from === "closed") return "Reopen";
  if (to === "closed") return "Close";
  return `Move to ${humanise(to)}`;
}

export function CollisionDetail({ id, navigate, user }: { id: string; navigate: Navigate; user: UserView }) {
  const q = useQuery({ queryKey: ["collisions.get", id], queryFn: () => call("collisions.get", { id }) });
  const actions = useQuery({ queryKey: ["actions.list", { sourceId: id }], queryFn: () => call("actions.list", { sourceId: id, pageSize: 200 }) });
  const [step, setStep] = useState<CollisionTransitionOption | null>(null);
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
            <SeverityBadge value={r.severity} />
            {r.archivedAt && <Badge color="gray">Archived</Badge>}
          </Group>
          <Title order={2} data-testid="collision-title">{r.title}</Title>
          <Text size="sm" c="dimmed">{r.collisionDate}{r.collisionTime ? ` ${r.collisionTime}` : ""} · {r.location}{r.vehicleRegistration ? ` · ${r.vehicleRegistration}` : ""}</Text>
        </Stack>
        <Group>
          {editable && <Button variant="default" onClick={() => navigate({ name: "collision-edit", id })} data-testid="edit-collision">Edit</Button>}
          {writer && <TransitionButtons options={v.transitions} label={(t) => stepLabel(r.status, t.to)} onChoose={setStep} />}
          {(user.role === "admin" || user.role === "manager") && (
            <Button variant="light" color={r.archivedAt ? "blue" : "red"} onClick={() => setDialog("archive")} data-testid="archive-collision">{r.archivedAt ? "Restore" : "Archive"}</Button>
          )}
        </Group>
      </Group>
      <Tabs defaultValue="details" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details" data-testid="tab-details">Details</Tabs.Tab>
          <Tabs.Tab value="parties" data-testid="tab-parties">Third parties ({v.thirdParties.length})</Tabs.Tab>
          <Tabs.Tab value="actions" data-testid="tab-actions">Actions ({actions.data?.total ?? 0})</Tabs.Tab>
          <Tabs.Tab value="investigations" data-testid="tab-investigations">Investigations</Tabs.Tab>
          <Tabs.Tab value="history" data-testid="tab-history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <Stack>
            <LinkedRisksPanel kind="collision" id={r.id} reference={r.reference} risks={v.linkedRisks} canLink={writer && !r.archivedAt} navigate={navigate} />
            <Paper withBorder p="md">
              <SimpleGrid cols={4}>
                <Field label="Reported" value={r.reportedDate} />
                <Field label="Road" value={[r.roadName, r.postcode].filter(Boolean).join(", ")} />
                <Field label="Weather" value={humanise(r.weather)} />
                <Field label="Road surface / lighting" value={[humanise(r.roadSurface), humanise(r.lighting)].filter(Boolean).join(" / ")} />
              </SimpleGrid>
              <Field label="Description" value={r.description} />
            </Paper>
            <Paper withBorder p="md">
              <Title order={5} mb="xs">Vehicle and driver</Title>
              <SimpleGrid cols={4}>
                <Field label="Registration" value={r.vehicleRegistration} />
                <Field label="Make and model" value={r.vehicleMakeModel} />
                <Field label="Estimated cost" value={money(r.estimatedCost)} />
                <Field label="Driver" value={v.driverDisplay} />
              </SimpleGrid>
              <Field label="Damage" value={r.vehicleDamage} />
              <Field label="Driver's statement" value={r.driverStatement} />
              <Field label="Driver injured" value={r.driverInjured ? `Yes: ${r.driverInjuryDetails ?? ""}` : "No"} />
            </Paper>
            <Paper withBorder p="md">
              <SimpleGrid cols={4}>
                <Field label="Police attended" value={r.policeAttended ? `Yes${r.policeReference ? `, ${r.policeReference}` : ""}${r.policeStation ? ` (${r.policeStation})` : ""}` : "No"} />
                <Field label="Insurer notified" value={yes(r.insuranceNotified)} />
                <Field label="Insurance reference" value={r.insuranceReference} />
                <Field label="Fault" value={humanise(r.faultDetermination)} />
              </SimpleGrid>
              <Field label="Insurance notes" value={r.insuranceNotes} />
              <Field label="Witnesses" value={r.witnesses} />
              <Field label="Investigator" value={v.investigatorName} />
              <Field label="Investigation notes" value={r.investigationNotes} />
              <Field label="Root cause" value={r.rootCause} />
              <Field label="Closure notes" value={r.closureNotes} />
            </Paper>
            <EvidencePanel entityType="collision" entityId={r.id} editable={writer && !r.archivedAt} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="parties" pt="md">
          {v.thirdParties.length === 0 ? <Text size="sm">No third parties.</Text> : (
            <Table striped>
              <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Contact</Table.Th><Table.Th>Vehicle</Table.Th><Table.Th>Insurer</Table.Th><Table.Th>Damage</Table.Th><Table.Th>Injured</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {v.thirdParties.map((p, i) => (
                  <Table.Tr key={i} data-testid="third-party-row">
                    <Table.Td>{p.name}</Table.Td><Table.Td>{p.contact}</Table.Td><Table.Td>{[p.vehicleRegistration, p.vehicleMakeModel].filter(Boolean).join(" ")}</Table.Td>
                    <Table.Td>{p.insurer}</Table.Td><Table.Td>{p.damage}</Table.Td><Table.Td>{p.injured ? `Yes${p.injuryDetails ? `: ${p.injuryDetails}` : ""}` : "No"}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="actions" pt="md">
          <Stack>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">Actions from this collision. It cannot close while any of them is open.</Text>
              {editable && <Button onClick={() => setDialog("action")} data-testid="raise-action">Raise action</Button>}
            </Group>
            {actions.data && (actions.data.total === 0 ? <Text size="sm">No actions yet.</Text> : <ActionTable items={actions.data.items} user={user} />)}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="investigations" pt="md"><InvestigationsOfSubject subjectType="collision" subject={r} user={user} navigate={navigate} /></Tabs.Panel>
        <Tabs.Panel value="history" pt="md"><HistoryTable command="collisions.history" id={id} /></Tabs.Panel>
      </Tabs>
      {step && (
        <StepDialog title={`${stepLabel(r.status, step.to)}: ${r.reference}`} needs={step.needs} labels={{ reason: "Reason", closureNotes: "Closure notes" }}
          initial={{ closureNotes: r.closureNotes }}
          run={(values) => call("collisions.transition", { id: r.id, rowVersion: r.rowVersion, to: step.to, ...values })} onClose={() => setStep(null)} />
      )}
      {dialog === "action" && <RaiseActionDialog sourceType="collision" sourceId={r.id} sourceReference={r.reference} onClose={() => setDialog(null)} />}
      {dialog === "archive" && (
        <ArchiveDialog reference={r.reference} kind="collision" archived={!!r.archivedAt} onClose={() => setDialog(null)}
          run={(reason) => call(r.archivedAt ? "collisions.restore" : "collisions.archive", { id: r.id, rowVersion: r.rowVersion, reason })} />
      )}
    </Stack>
  );
}
