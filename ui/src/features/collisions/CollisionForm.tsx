import { useEffect, useMemo, useRef, useState } from "react";
import { ActionIcon, Button, Checkbox, Fieldset, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { AppError, call } from "../../api/backend";
import type { CollisionInput, CollisionView, ThirdPartyInput } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { ErrorAlert } from "../../components/ErrorAlert";
import { FAULT_OPTIONS, LIGHTING_OPTIONS, SEVERITY_OPTIONS, SURFACE_OPTIONS, WEATHER_OPTIONS } from "./options";
import { todayInZone } from "../../components/time";
import { DraftNotice, recordFormDraft, useFormDraft } from "../../components/drafts";
import { useFieldErrors } from "../../components/useFieldErrors";

const TEXT = [
  "title", "description", "location", "collisionDate", "collisionTime", "reportedDate", "roadName", "postcode", "vehicleRegistration", "vehicleMakeModel",
  "vehicleDamage", "driverUserId", "driverName", "driverStatement", "driverInjuryDetails", "witnesses", "policeReference", "policeStation",
  "insuranceReference", "insuranceNotes", "investigatorId", "investigationNotes", "rootCause", "closureNotes", "legacyReference",
] as const;
type TextKey = (typeof TEXT)[number];
type Form = Record<TextKey, string> & {
  severity: string; weather: string | null; roadSurface: string | null; lighting: string | null; faultDetermination: string;
  driverInjured: boolean; policeAttended: boolean; insuranceNotified: boolean; costPounds: number | ""; thirdParties: ThirdPartyInput[];
};

const localToday = todayInZone;
const EMPTY = (): Form => ({
  ...(Object.fromEntries(TEXT.map((k) => [k, ""])) as Record<TextKey, string>), reportedDate: localToday(), severity: "damage_only", weather: null,
  roadSurface: null, lighting: null, faultDetermination: "undetermined", driverInjured: false, policeAttended: false, insuranceNotified: false, costPounds: "", thirdParties: [],
});

function fromView(v: CollisionView): Form {
  const r = v.record as unknown as Record<string, unknown>;
  const f = EMPTY();
  for (const k of TEXT) f[k] = (r[k] as string | null) ?? "";
  Object.assign(f, {
    severity: v.record.severity, weather: v.record.weather, roadSurface: v.record.roadSurface, lighting: v.record.lighting,
    faultDetermination: v.record.faultDetermination, driverInjured: v.record.driverInjured, policeAttended: v.record.policeAttended,
    insuranceNotified: v.record.insuranceNotified, costPounds: v.record.estimatedCost === null ? "" : v.record.estimatedCost / 100,
    thirdParties: v.thirdParties.map((p) => ({ ...p })),
  });
  return f;
}

/** Blank text is null; money goes as integer pence; on edit only what changed is sent. */
function toInput(f: Form, initial: Form | null): CollisionInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (initial && JSON.stringify(initial[k as keyof Form]) === JSON.stringify(v)) continue;
    if (k === "costPounds") out.estimatedCost = v === "" ? null : Math.round(Number(v) * 100);
    else out[k] = typeof v === "string" && v.trim() === "" ? null : v;
  }
  return out as CollisionInput;
}

export function CollisionFormPage({ id, navigate }: { id?: string; navigate: Navigate }) {
  const existing = useQuery({ queryKey: ["collisions.get", id], queryFn: () => call("collisions.get", { id: id! }), enabled: !!id });
  const users = useQuery({ queryKey: ["users.list"], queryFn: () => call("users.list", {}) });
  const [form, setForm] = useState<Form>(EMPTY);
  const [initial, setInitial] = useState<Form>(EMPTY);
  const formRef = useRef<HTMLFormElement>(null);
  const qc = useQueryClient();
  useEffect(() => {
    if (existing.data) {
      const f = fromView(existing.data);
      setForm(f);
      setInitial(f);
    }
  }, [existing.data]);
  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(initial), [form, initial]);
  // Unsaved changes are kept as a draft until saved or discarded (the idle lock or a closed window loses nothing).
  const draft = useFormDraft({
    ...recordFormDraft("collision", id, existing.data?.record.reference),
    form, setForm, dirty, ready: !id || !!existing.data, rowVersion: existing.data?.record.rowVersion,
  });
  const save = useMutation({
    mutationFn: async () => {
      if (id && existing.data) return call("collisions.update", { id, rowVersion: draft.baseRowVersion ?? existing.data.record.rowVersion, changes: toInput(form, initial) });
      return call("collisions.create", toInput(form, null));
    },
    onSuccess: (view) => {
      draft.forget();
      qc.invalidateQueries();
      notifications.show({ color: "green", message: `${view.record.reference} saved` });
      setInitial(form);
      navigate({ name: "collision", id: view.record.id });
    },
  });
  const error = save.error as AppError | null;
  const { fields, edited } = useFieldErrors(error);
  useEffect(() => {
    const first = error?.envelope.fields?.[0]?.field;
    if (first) formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
  }, [error]);
  useHotkeys([["mod+S", () => save.mutate()]], [], true);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    edited(key as string);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const text = (key: TextKey) => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => { const v = e.currentTarget.value; set(key, v); },
    error: fields[key],
    "data-field": key,
  });
  const userOptions = (users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }));
  const setParty = (i: number, patch: Partial<ThirdPartyInput>) => set("thirdParties", form.thirdParties.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const leave = () => {
    if (dirty && !window.confirm("Leave without saving? Your changes will be lost.")) return;
    draft.forget();
    navigate(id ? { name: "collision", id } : { name: "collisions" });
  };
  return (
    <form ref={formRef} noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <Stack maw={1000}>
        <Group justify="space-between">
          <Title order={2}>{id ? `Edit ${existing.data?.record.reference ?? ""}` : "Record a collision"}</Title>
          <Group>
            <Button variant="default" onClick={leave}>Cancel</Button>
            <Button type="submit" loading={save.isPending} data-testid="save-collision">Save (Ctrl+S)</Button>
          </Group>
        </Group>
        <DraftNotice restored={draft.restored} currentRowVersion={existing.data?.record.rowVersion} onDiscard={() => { draft.forget(); setForm(initial); }} />
        {error && <ErrorAlert error={error} title={error.kind === "validation_failed" ? "Some fields need attention" : undefined} />}
        <Fieldset legend="What happened">
          <Stack>
            <TextInput label="Title" required {...text("title")} data-testid="collision-field-title" />
            <Textarea label="Description" required autosize minRows={3} {...text("description")} data-testid="collision-field-description" />
            <SimpleGrid cols={4}>
              <TextInput label="Collision date" required placeholder="YYYY-MM-DD" {...text("collisionDate")} data-testid="collision-field-date" />
              <TextInput label="Time" placeholder="HH:MM" {...text("collisionTime")} />
              <TextInput label="Reported" required placeholder="YYYY-MM-DD" {...text("reportedDate")} />
              <Select label="Severity" data={SEVERITY_OPTIONS} value={form.severity} onChange={(v) => set("severity", v ?? "damage_only")} allowDeselect={false} />
            </SimpleGrid>
            <SimpleGrid cols={3}>
              <TextInput label="Location" required {...text("location")} data-testid="collision-field-location" />
              <TextInput label="Road" {...text("roadName")} />
              <TextInput label="Postcode" {...text("postcode")} />
            </SimpleGrid>
            <SimpleGrid cols={3}>
              <Select label="Weather" data={WEATHER_OPTIONS} value={form.weather} onChange={(v) => set("weather", v)} clearable />
              <Select label="Road surface" data={SURFACE_OPTIONS} value={form.roadSurface} onChange={(v) => set("roadSurface", v)} clearable />
              <Select label="Lighting" data={LIGHTING_OPTIONS} value={form.lighting} onChange={(v) => set("lighting", v)} clearable />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <Fieldset legend="Company vehicle and driver">
          <Stack>
            <SimpleGrid cols={3}>
              <TextInput label="Registration" {...text("vehicleRegistration")} data-testid="collision-field-registration" />
              <TextInput label="Make and model" {...text("vehicleMakeModel")} />
              <NumberInput label="Estimated cost (£)" min={0} decimalScale={2} fixedDecimalScale value={form.costPounds} onChange={(v) => set("costPounds", v === "" ? "" : Number(v))} error={fields.estimatedCost} data-field="estimatedCost" />
            </SimpleGrid>
            <Textarea label="Vehicle damage" autosize {...text("vehicleDamage")} />
            <SimpleGrid cols={2}>
              <Select label="Driver (profile)" data={userOptions} value={form.driverUserId || null} onChange={(v) => set("driverUserId", v ?? "")} clearable searchable error={fields.driverUserId} />
              <TextInput label="Driver name" description="If the driver has no profile" {...text("driverName")} data-testid="collision-field-driver" />
            </SimpleGrid>
            <Textarea label="Driver's statement" autosize {...text("driverStatement")} />
            <Checkbox label="The driver was injured" checked={form.driverInjured} onChange={(e) => set("driverInjured", e.currentTarget.checked)} />
            {form.driverInjured && <Textarea label="Driver's injuries" required autosize {...text("driverInjuryDetails")} />}
          </Stack>
        </Fieldset>
        <Fieldset legend="Third parties">
          <Stack>
            {form.thirdParties.length === 0 && <Text size="sm" c="dimmed">No one else involved. Add each other driver, vehicle or person.</Text>}
            {form.thirdParties.map((p, i) => (
              <Group key={i} align="end" wrap="nowrap">
                <TextInput label="Name" required value={p.name ?? ""} onChange={(e) => setParty(i, { name: e.currentTarget.value })} error={fields[`thirdParties[${i}].name`]} w={170} data-testid="third-party-name" />
                <TextInput label="Contact" value={p.contact ?? ""} onChange={(e) => setParty(i, { contact: e.currentTarget.value })} w={160} />
                <TextInput label="Registration" value={p.vehicleRegistration ?? ""} onChange={(e) => setParty(i, { vehicleRegistration: e.currentTarget.value })} w={120} />
                <TextInput label="Insurer" value={p.insurer ?? ""} onChange={(e) => setParty(i, { insurer: e.currentTarget.value })} w={140} />
                <TextInput label="Damage" value={p.damage ?? ""} onChange={(e) => setParty(i, { damage: e.currentTarget.value })} w={160} />
                <Checkbox label="Injured" checked={!!p.injured} onChange={(e) => setParty(i, { injured: e.currentTarget.checked })} mb={8} />
                <ActionIcon variant="subtle" color="red" aria-label="Remove third party" mb={4} onClick={() => set("thirdParties", form.thirdParties.filter((_, j) => j !== i))}><IconTrash size={16} /></ActionIcon>
              </Group>
            ))}
            <Button variant="light" leftSection={<IconPlus size={14} />} w="fit-content" onClick={() => set("thirdParties", [...form.thirdParties, { name: "" }])} data-testid="add-third-party">Add third party</Button>
            <Textarea label="Witnesses" autosize {...text("witnesses")} />
          </Stack>
        </Fieldset>
        <Fieldset legend="Police and insurance">
          <Stack>
            <Checkbox label="Police attended" checked={form.policeAttended} onChange={(e) => set("policeAttended", e.currentTarget.checked)} />
            {form.policeAttended && (
              <SimpleGrid cols={2}>
                <TextInput label="Police reference" {...text("policeReference")} />
                <TextInput label="Police station" {...text("policeStation")} />
              </SimpleGrid>
            )}
            <Checkbox label="Insurer notified" checked={form.insuranceNotified} onChange={(e) => set("insuranceNotified", e.currentTarget.checked)} />
            <SimpleGrid cols={2}>
              <TextInput label="Insurance reference" description="Required to close a notified claim" {...text("insuranceReference")} />
              <Textarea label="Insurance notes" autosize {...text("insuranceNotes")} />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <Fieldset legend="Investigation">
          <Stack>
            <SimpleGrid cols={2}>
              <Select label="Investigator" description="Required to investigate" data={userOptions} value={form.investigatorId || null} onChange={(v) => set("investigatorId", v ?? "")} clearable searchable error={fields.investigatorId} data-testid="collision-field-investigator" />
              <Select label="Fault" data={FAULT_OPTIONS} value={form.faultDetermination} onChange={(v) => set("faultDetermination", v ?? "undetermined")} allowDeselect={false} />
            </SimpleGrid>
            <Textarea label="Investigation notes" autosize {...text("investigationNotes")} />
            <Textarea label="Root cause" autosize {...text("rootCause")} />
            <Textarea label="Closure notes" autosize {...text("closureNotes")} />
            <TextInput label="Legacy reference" {...text("legacyReference")} />
          </Stack>
        </Fieldset>
      </Stack>
    </form>
  );
}
