import { useState } from "react";
import { Button, Group, Modal, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { LinkedRecord, LinkedType, RiskControl, RiskView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LevelBadge, useMatrix } from "./HeatMap";
import { ASSESSMENT_TYPE_OPTIONS, CONTROL_TYPE_OPTIONS, EFFECTIVENESS_OPTIONS, IMPACT_LABELS, IMPLEMENTATION_OPTIONS, LIKELIHOOD_LABELS } from "./options";
import { DialogFooter } from "../../components/DialogFooter";

const scale = (labels: string[]) => labels.map((l, i) => ({ value: String(i + 1), label: `${i + 1} · ${l}` }));

function Pair({ label, l, i, setL, setI, optional, testid, errors }: {
  label: string; l: string | null; i: string | null; setL: (v: string | null) => void; setI: (v: string | null) => void; optional?: boolean; testid: string; errors: [string?, string?];
}) {
  const matrix = useMatrix();
  const cell = l && i ? matrix(Number(l), Number(i)) : undefined;
  return (
    <Group align="end" wrap="nowrap">
      <Select label={`${label} likelihood`} data={scale(LIKELIHOOD_LABELS)} value={l} onChange={setL} clearable={optional} allowDeselect={!!optional} w={200} error={errors[0]} data-testid={`${testid}-likelihood`} />
      <Select label={`${label} impact`} data={scale(IMPACT_LABELS)} value={i} onChange={setI} clearable={optional} allowDeselect={!!optional} w={200} error={errors[1]} data-testid={`${testid}-impact`} />
      <div style={{ paddingBottom: 8 }}>{cell && <LevelBadge level={cell.level} colour={cell.colour} score={cell.score} />}</div>
    </Group>
  );
}

/** Record an assessment: inherent, residual (≤ inherent) and an optional target (≤ residual). */
export function AssessDialog({ view, today, onClose }: { view: RiskView; today: string; onClose: () => void }) {
  const latest = view.assessments[0];
  const [f, setF] = useState({
    assessmentDate: today, assessmentType: "periodic",
    il: String(latest?.inherentLikelihood ?? view.record.likelihood), ii: String(latest?.inherentImpact ?? view.record.impact),
    rl: String(view.record.likelihood), ri: String(view.record.impact),
    tl: latest?.targetLikelihood ? String(latest.targetLikelihood) : null as string | null, ti: latest?.targetImpact ? String(latest.targetImpact) : null as string | null,
    notes: "", controlEffectivenessNotes: "",
  });
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => call("risks.assess", {
      id: view.record.id, rowVersion: view.record.rowVersion, assessmentDate: f.assessmentDate, assessmentType: f.assessmentType as never,
      inherentLikelihood: Number(f.il), inherentImpact: Number(f.ii), residualLikelihood: Number(f.rl), residualImpact: Number(f.ri),
      targetLikelihood: f.tl ? Number(f.tl) : undefined, targetImpact: f.ti ? Number(f.ti) : undefined,
      notes: f.notes.trim() || undefined, controlEffectivenessNotes: f.controlEffectivenessNotes.trim() || undefined,
    }),
    onSuccess: (v) => { qc.invalidateQueries(); notifications.show({ color: "green", message: `${v.record.reference} assessed: ${v.record.score} (${v.record.level.replace("_", " ")})` }); onClose(); },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  const set = (k: keyof typeof f) => (v: string | null) => setF((x) => ({ ...x, [k]: v }));
  return (
    <Modal opened onClose={onClose} title={`Assess ${view.record.reference}`} size="lg">
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          <SimpleGrid cols={2}>
            <TextInput label="Assessment date" required placeholder="YYYY-MM-DD" value={f.assessmentDate} onChange={(e) => { const v = e.currentTarget.value; setF((x) => ({ ...x, assessmentDate: v })); }} error={fields.assessmentDate} data-testid="assess-date" />
            <Select label="Type" data={ASSESSMENT_TYPE_OPTIONS} value={f.assessmentType} onChange={(v) => set("assessmentType")(v ?? "periodic")} allowDeselect={false} />
          </SimpleGrid>
          <Pair label="Inherent" l={f.il} i={f.ii} setL={set("il")} setI={set("ii")} testid="assess-inherent" errors={[fields.inherentLikelihood, fields.inherentImpact]} />
          <Pair label="Residual" l={f.rl} i={f.ri} setL={set("rl")} setI={set("ri")} testid="assess-residual" errors={[fields.residualLikelihood, fields.residualImpact]} />
          <Pair label="Target" l={f.tl} i={f.ti} setL={set("tl")} setI={set("ti")} optional testid="assess-target" errors={[fields.targetLikelihood, fields.targetImpact]} />
          <Text size="xs" c="dimmed">The residual rating of the latest assessment becomes the risk's current rating, and the next review is counted from its date.</Text>
          <Textarea label="Notes" autosize value={f.notes} onChange={(e) => { const v = e.currentTarget.value; setF((x) => ({ ...x, notes: v })); }} />
          <Textarea label="Control effectiveness" autosize value={f.controlEffectivenessNotes} onChange={(e) => { const v = e.currentTarget.value; setF((x) => ({ ...x, controlEffectivenessNotes: v })); }} />
          <DialogFooter error={save.error} fields={fields} onCancel={onClose} loading={save.isPending} testId="assess-save">Record assessment</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

/** Add a control, or edit one (controls are never deleted: mark them not applicable). */
export function ControlDialog({ riskId, control, onClose }: { riskId: string; control?: RiskControl; onClose: () => void }) {
  const users = useQuery({ queryKey: ["users.list"], queryFn: () => call("users.list", {}) });
  const [f, setF] = useState({
    title: control?.title ?? "", description: control?.description ?? "", controlType: control?.controlType ?? "preventive",
    implementationStatus: control?.implementationStatus ?? "planned", effectiveness: control?.effectiveness ?? "not_tested", ownerId: control?.ownerId ?? "",
    testFrequencyMonths: (control?.testFrequencyMonths ?? "") as number | "", lastTestedOn: control?.lastTestedOn ?? "",
  });
  const qc = useQueryClient();
  const values = () => ({
    title: f.title, description: f.description.trim() || null, controlType: f.controlType, implementationStatus: f.implementationStatus, effectiveness: f.effectiveness,
    ownerId: f.ownerId || null, testFrequencyMonths: f.testFrequencyMonths === "" ? null : f.testFrequencyMonths, lastTestedOn: f.lastTestedOn.trim() || null,
  });
  const save = useMutation({
    mutationFn: () => control
      ? call("risks.update_control", { id: control.id, rowVersion: control.rowVersion, changes: values() as never })
      : call("risks.add_control", { riskId, control: values() as never }),
    onSuccess: () => { qc.invalidateQueries(); onClose(); },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((x) => ({ ...x, [k]: v }));
  return (
    <Modal opened onClose={onClose} title={control ? `Edit control` : "Add a control"} size="lg">
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          <TextInput label="Title" required value={f.title} onChange={(e) => set("title", e.currentTarget.value)} error={fields.title} data-testid="control-title" autoFocus />
          <Textarea label="Description" autosize value={f.description} onChange={(e) => set("description", e.currentTarget.value)} />
          <SimpleGrid cols={3}>
            <Select label="Type" data={CONTROL_TYPE_OPTIONS} value={f.controlType} onChange={(v) => set("controlType", (v ?? "preventive") as never)} allowDeselect={false} />
            <Select label="Implementation" data={IMPLEMENTATION_OPTIONS} value={f.implementationStatus} onChange={(v) => set("implementationStatus", (v ?? "planned") as never)} allowDeselect={false} />
            <Select label="Effectiveness" data={EFFECTIVENESS_OPTIONS} value={f.effectiveness} onChange={(v) => set("effectiveness", (v ?? "not_tested") as never)} allowDeselect={false} />
          </SimpleGrid>
          <SimpleGrid cols={3}>
            <Select label="Owner" data={(users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }))} value={f.ownerId || null} onChange={(v) => set("ownerId", v ?? "")} clearable searchable error={fields.ownerId} />
            <NumberInput label="Test every (months)" min={1} max={60} value={f.testFrequencyMonths} onChange={(v) => set("testFrequencyMonths", v === "" ? "" : Number(v))} error={fields.testFrequencyMonths} />
            <TextInput label="Last tested on" placeholder="YYYY-MM-DD" value={f.lastTestedOn} onChange={(e) => set("lastTestedOn", e.currentTarget.value)} error={fields.lastTestedOn} />
          </SimpleGrid>
          <DialogFooter error={save.error} fields={fields} onCancel={onClose} loading={save.isPending} testId="control-save">{control ? "Save control" : "Add control"}</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

type LinkedKind = LinkedType;

const KIND_LABELS: Record<LinkedKind, string> = {
  incident: "Incident", collision: "Collision", complaint: "Complaint", finding: "Finding", audit_run: "Audit", document: "Document",
};

async function pick(kind: LinkedKind | "risk", q: string) {
  const search = q || undefined;
  const page =
    kind === "incident" ? await call("incidents.list", { search, pageSize: 10 })
    : kind === "collision" ? await call("collisions.list", { search, pageSize: 10 })
    : kind === "complaint" ? await call("complaints.list", { search, pageSize: 10 })
    : kind === "finding" ? await call("findings.list", { search, pageSize: 10 })
    : kind === "audit_run" ? await call("runs.list", { search, pageSize: 10 })
    : kind === "document" ? await call("documents.list", { search, pageSize: 10 })
    : await call("risks.list", { search, pageSize: 10 });
  return page.items.map((i) => ({ id: i.id, reference: i.reference, title: i.title }));
}

/** Link a risk with an incident, collision, complaint, finding, audit or document, picking the other end by search. From a risk the kind is
 * chosen; from another record the other end is a risk. */
export function LinkDialog({ from, id, reference, onClose }: { from: "risk" | LinkedKind; id: string; reference: string; onClose: () => void }) {
  const [search, setSearch] = useState("");
  const [kind, setKind] = useState<LinkedKind>("incident");
  const [q] = useDebouncedValue(search, 200);
  const target = from === "risk" ? kind : "risk";
  const results = useQuery({ queryKey: ["link-picker", target, q], queryFn: () => pick(target, q) });
  const qc = useQueryClient();
  const link = useMutation({
    mutationFn: (otherId: string) =>
      call("risks.link", from === "risk" ? { riskId: id, recordType: kind, recordId: otherId } : { riskId: otherId, recordType: from, recordId: id }),
    onSuccess: () => { qc.invalidateQueries(); onClose(); },
  });
  return (
    <Modal opened onClose={onClose} title={`Link ${reference} to ${from === "risk" ? "a record" : "a risk"}`} size="lg">
      <Stack>
        {from === "risk" && (
          <SegmentedControl value={kind} onChange={(v) => setKind(v as LinkedKind)} data={(Object.keys(KIND_LABELS) as LinkedKind[]).map((k) => ({ value: k, label: KIND_LABELS[k] }))} data-testid="link-kind" />
        )}
        <TextInput placeholder={`Search ${target === "risk" ? "risks" : `${KIND_LABELS[target].toLowerCase()}s`} by reference or text`} value={search} onChange={(e) => setSearch(e.currentTarget.value)} data-testid="link-search" autoFocus />
        {link.error && <ErrorAlert error={link.error} />}
        <Table highlightOnHover>
          <Table.Tbody>
            {results.data?.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td ff="monospace">{r.reference}</Table.Td>
                <Table.Td>{r.title}</Table.Td>
                <Table.Td><Button size="compact-xs" onClick={() => link.mutate(r.id)} data-testid="link-pick">Link</Button></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Modal>
  );
}

/** The risks linked to an incident, collision, complaint, finding, audit or document, with linking from this side. */
export function LinkedRisksPanel({ kind, id, reference, risks, canLink, navigate }: {
  kind: LinkedKind; id: string; reference: string; risks: LinkedRecord[]; canLink: boolean; navigate: Navigate;
}) {
  const [linking, setLinking] = useState(false);
  if (!risks.length && !canLink) return null;
  return (
    <Paper withBorder p="md" data-testid="linked-risks">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Linked risks</Title>
        {canLink && <Button size="compact-sm" variant="light" onClick={() => setLinking(true)} data-testid="link-risk">Link risk</Button>}
      </Group>
      {risks.length === 0 && <Text size="sm" c="dimmed">No risks linked. Link the risks this {KIND_LABELS[kind].toLowerCase()} {kind === "document" ? "controls" : "shows materialising"}.</Text>}
      {risks.map((l) => (
        <Group key={l.id} gap="xs">
          <Button variant="subtle" size="compact-sm" onClick={() => navigate({ name: "risk", id: l.id })}>{l.reference}</Button>
          <Text size="sm">{l.title}</Text>
          <Text size="xs" c="dimmed">{humanise(l.status)}</Text>
        </Group>
      ))}
      {linking && <LinkDialog from={kind} id={id} reference={reference} onClose={() => setLinking(false)} />}
    </Paper>
  );
}
