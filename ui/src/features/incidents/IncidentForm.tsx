import { useEffect, useMemo, useRef, useState } from "react";
import { ActionIcon, Button, Checkbox, Fieldset, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title, Input } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { AppError, call } from "../../api/backend";
import type { IncidentInput, IncidentView, PersonInput } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { ErrorAlert } from "../../components/ErrorAlert";
import { PERSON_TYPE_OPTIONS, RIDDOR_OPTIONS, SEVERITY_OPTIONS, SOURCE_OPTIONS, TYPE_OPTIONS } from "./options";
import { DraftNotice, recordFormDraft, useFormDraft } from "../../components/drafts";
import { useFieldErrors } from "../../components/useFieldErrors";

type Form = Required<Omit<IncidentInput, "people">> & { people: PersonInput[] };

const EMPTY: Form = {
  title: "", description: "", incidentType: "other", severity: "medium", incidentDate: "", incidentTime: "", reportedOnBehalfOf: "",
  location: "", department: "", witnesses: "", immediateActions: "", firstAidGiven: false, emergencyServicesCalled: false,
  investigatorId: "", rootCause: "", contributingFactors: "", source: "manual", closureNotes: "", lessonsLearned: "",
  riddorReportable: null as unknown as boolean, riddorCategory: null as unknown as Form["riddorCategory"], riddorRationale: "",
  riddorReportedOn: "", riddorReference: "", riddorDiagnosisDate: "", legacyReference: "", people: [],
};

function fromView(v: IncidentView): Form {
  const r = v.record as unknown as Record<string, unknown>;
  const form = { ...EMPTY } as Record<string, unknown>;
  for (const key of Object.keys(EMPTY)) if (key in r) form[key] = r[key] ?? (typeof EMPTY[key as keyof Form] === "string" ? "" : r[key]);
  form.people = v.people.map((p) => ({ ...p }));
  return form as Form;
}

/** Blank text becomes null so optional fields are cleared, not stored empty. */
function toInput(f: Form): IncidentInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) out[k] = typeof v === "string" && v.trim() === "" ? null : v;
  return out as IncidentInput;
}

export function IncidentFormPage({ id, navigate }: { id?: string; navigate: Navigate }) {
  const existing = useQuery({ queryKey: ["incidents.get", id], queryFn: () => call("incidents.get", { id: id! }), enabled: !!id });
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
    ...recordFormDraft("incident", id, existing.data?.record.reference),
    form, setForm, dirty, ready: !id || !!existing.data, rowVersion: existing.data?.record.rowVersion,
  });
  const save = useMutation({
    mutationFn: async () => {
      const input = toInput(form);
      if (id && existing.data) return call("incidents.update", { id, rowVersion: draft.baseRowVersion ?? existing.data.record.rowVersion, changes: input });
      return call("incidents.create", input);
    },
    onSuccess: (view) => {
      draft.forget();
      qc.invalidateQueries();
      notifications.show({ color: "green", message: `${view.record.reference} saved` });
      setInitial(form);
      navigate({ name: "incident", id: view.record.id });
    },
  });
  const error = save.error as AppError | null;
  const { fields, edited } = useFieldErrors(error);

  // Focus the first field the backend refused.
  useEffect(() => {
    const first = error?.envelope.fields?.[0]?.field;
    if (first) formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
  }, [error]);

  useHotkeys([["mod+S", () => save.mutate()]], [], true);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    edited(key as string);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const text = (key: keyof Form) => ({
    value: (form[key] as string) ?? "",
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(key, e.currentTarget.value as never),
    error: fields[key as string],
    "data-field": key,
  });
  const leave = () => {
    if (dirty && !window.confirm("Leave without saving? Your changes will be lost.")) return;
    draft.forget();
    navigate(id ? { name: "incident", id } : { name: "incidents" });
  };
  const setPerson = (i: number, patch: Partial<PersonInput>) => set("people", form.people.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const userOptions = (users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }));
  const riddorValue = form.riddorReportable === true ? "yes" : form.riddorReportable === false ? "no" : "unknown";

  return (
    <form ref={formRef} noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <Stack maw={960}>
        <Group justify="space-between">
          <Title order={2}>{id ? `Edit ${existing.data?.record.reference ?? ""}` : "Record an incident"}</Title>
          <Group>
            <Button variant="default" onClick={leave}>Cancel</Button>
            <Button type="submit" loading={save.isPending} data-testid="save-incident">Save (Ctrl+S)</Button>
          </Group>
        </Group>
        <DraftNotice restored={draft.restored} currentRowVersion={existing.data?.record.rowVersion} onDiscard={() => { draft.forget(); setForm(initial); }} />
        {error && <ErrorAlert error={error} title={error.kind === "validation_failed" ? "Some fields need attention" : undefined} />}
        <Fieldset legend="What happened">
          <Stack>
            <TextInput label="Title" required {...text("title")} data-testid="field-title" />
            <Textarea label="Description" required autosize minRows={3} {...text("description")} data-testid="field-description" />
            <SimpleGrid cols={3}>
              <Select label="Type" data={TYPE_OPTIONS} value={form.incidentType} onChange={(v) => set("incidentType", (v ?? "other") as Form["incidentType"])} error={fields.incidentType} data-field="incidentType" allowDeselect={false} data-testid="field-type" />
              <Select label="Severity" data={SEVERITY_OPTIONS} value={form.severity} onChange={(v) => set("severity", (v ?? "medium") as Form["severity"])} error={fields.severity} data-field="severity" allowDeselect={false} data-testid="field-severity" />
              <Select label="Source" data={SOURCE_OPTIONS} value={form.source} onChange={(v) => set("source", (v ?? "manual") as Form["source"])} allowDeselect={false} />
            </SimpleGrid>
            <SimpleGrid cols={3}>
              <TextInput label="Incident date" required placeholder="YYYY-MM-DD" description="Not in the future" {...text("incidentDate")} data-testid="field-date" />
              <TextInput label="Time" placeholder="HH:MM" {...text("incidentTime")} />
              <TextInput label="Reported on behalf of" {...text("reportedOnBehalfOf")} />
            </SimpleGrid>
            <SimpleGrid cols={2}>
              <TextInput label="Location" {...text("location")} data-testid="field-location" />
              <TextInput label="Department" {...text("department")} />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <Fieldset legend="People involved">
          <Stack>
            {form.people.length === 0 && <Text size="sm" c="dimmed">Nobody added. Add everyone injured or involved, so lost days and RIDDOR can be assessed.</Text>}
            {form.people.map((p, i) => (
              <Group key={i} align="end" wrap="nowrap">
                <TextInput label="Name" required value={p.name ?? ""} onChange={(e) => setPerson(i, { name: e.currentTarget.value })} error={fields[`people[${i}].name`]} data-field={`people[${i}].name`} w={200} />
                <Select label="Role" data={PERSON_TYPE_OPTIONS} value={p.personType ?? null} onChange={(v) => setPerson(i, { personType: (v ?? undefined) as PersonInput["personType"] })} w={160} clearable />
                <Checkbox label="Injured" checked={!!p.injured} onChange={(e) => setPerson(i, { injured: e.currentTarget.checked })} mb={8} />
                <TextInput label="Injury" value={p.injuryNature ?? ""} onChange={(e) => setPerson(i, { injuryNature: e.currentTarget.value })} w={150} />
                <TextInput label="Body part" value={p.bodyPart ?? ""} onChange={(e) => setPerson(i, { bodyPart: e.currentTarget.value })} w={120} />
                <Checkbox label="Hospital" checked={!!p.hospitalised} onChange={(e) => setPerson(i, { hospitalised: e.currentTarget.checked })} mb={8} />
                <NumberInput label="Days lost" min={0} value={p.daysLost ?? ""} onChange={(v) => setPerson(i, { daysLost: v === "" ? undefined : Number(v) })} error={fields[`people[${i}].daysLost`]} w={100} />
                <ActionIcon variant="subtle" color="red" aria-label="Remove person" mb={4} onClick={() => set("people", form.people.filter((_, j) => j !== i))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            <Button variant="light" leftSection={<IconPlus size={14} />} w="fit-content" onClick={() => set("people", [...form.people, { name: "" }])}>Add person</Button>
          </Stack>
        </Fieldset>
        <Fieldset legend="Immediate response">
          <Stack>
            <Group>
              <Checkbox label="First aid given" checked={form.firstAidGiven} onChange={(e) => set("firstAidGiven", e.currentTarget.checked)} />
              <Checkbox label="Emergency services called" checked={form.emergencyServicesCalled} onChange={(e) => set("emergencyServicesCalled", e.currentTarget.checked)} />
            </Group>
            <Textarea label="Immediate actions" autosize minRows={2} {...text("immediateActions")} />
            <Textarea label="Witnesses" autosize minRows={2} {...text("witnesses")} />
          </Stack>
        </Fieldset>
        <Fieldset legend="Investigation">
          <Stack>
            <Select label="Investigator" description="Required to start the investigation" data={userOptions} value={form.investigatorId || null} onChange={(v) => set("investigatorId", v ?? "")} error={fields.investigatorId} data-field="investigatorId" clearable searchable data-testid="field-investigator" />
            <Textarea label="Root cause" autosize minRows={2} {...text("rootCause")} />
            <Textarea label="Contributing factors" autosize minRows={2} {...text("contributingFactors")} />
            <Textarea label="Lessons learned" autosize minRows={2} {...text("lessonsLearned")} />
          </Stack>
        </Fieldset>
        <Fieldset legend="RIDDOR (UK)">
          <Stack>
            <Input.Wrapper label="Reportable under RIDDOR?" description="Injuries, ill health and dangerous occurrences must be assessed before they can close">
              <SegmentedControl
                mt={4}
                value={riddorValue}
                onChange={(v) => set("riddorReportable", (v === "yes" ? true : v === "no" ? false : null) as unknown as boolean)}
                data={[{ value: "unknown", label: "Not assessed" }, { value: "yes", label: "Reportable" }, { value: "no", label: "Not reportable" }]}
              />
            </Input.Wrapper>
            <SimpleGrid cols={2}>
              <Select label="Category" data={RIDDOR_OPTIONS} value={form.riddorCategory ?? null} onChange={(v) => set("riddorCategory", v as Form["riddorCategory"])} error={fields.riddorCategory} data-field="riddorCategory" clearable />
              <TextInput label="Diagnosis date" placeholder="YYYY-MM-DD" description="For occupational disease" {...text("riddorDiagnosisDate")} />
            </SimpleGrid>
            <Textarea label="Rationale" autosize minRows={2} {...text("riddorRationale")} />
            <SimpleGrid cols={2}>
              <TextInput label="Reported on" placeholder="YYYY-MM-DD" {...text("riddorReportedOn")} />
              <TextInput label="RIDDOR reference" {...text("riddorReference")} />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <Fieldset legend="Closure and records">
          <Stack>
            <Textarea label="Closure notes" autosize minRows={2} {...text("closureNotes")} />
            <TextInput label="Legacy reference" description="A number from paper forms or an older system" {...text("legacyReference")} />
          </Stack>
        </Fieldset>
      </Stack>
    </form>
  );
}
