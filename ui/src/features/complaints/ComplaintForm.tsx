import { useEffect, useMemo, useRef, useState } from "react";
import { Button, Fieldset, Group, SegmentedControl, Select, SimpleGrid, Stack, TextInput, Textarea, Title, Input } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { ComplaintInput, ComplaintView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { ErrorAlert } from "../../components/ErrorAlert";
import { PRIORITY_OPTIONS, SOURCE_OPTIONS, TYPE_OPTIONS } from "./options";
import { todayInZone } from "../../components/time";
import { DraftNotice, recordFormDraft, useFormDraft } from "../../components/drafts";
import { useFieldErrors } from "../../components/useFieldErrors";

const TEXT = [
  "title", "description", "complainantName", "complainantEmail", "complainantPhone", "complainantCompany", "complainantAddress", "receivedDate",
  "targetResolutionDate", "relatedReference", "relatedProductService", "ownerId", "department", "investigationNotes", "rootCause", "resolutionSummary",
  "compensationOffered", "originalEmailSubject", "originalEmailBody", "closureNotes", "legacyReference",
] as const;
type Form = Record<(typeof TEXT)[number], string> & { complaintType: string; priority: string; source: string; customerSatisfied: boolean | null };

const localToday = todayInZone;
const EMPTY = (): Form => ({ ...(Object.fromEntries(TEXT.map((k) => [k, ""])) as Record<(typeof TEXT)[number], string>), complaintType: "other", priority: "medium", source: "manual", customerSatisfied: null, receivedDate: localToday() });

function fromView(v: ComplaintView): Form {
  const r = v.record as unknown as Record<string, unknown>;
  const f = EMPTY();
  for (const k of TEXT) f[k] = (r[k] as string | null) ?? "";
  f.complaintType = v.record.complaintType;
  f.priority = v.record.priority;
  f.source = v.record.source;
  f.customerSatisfied = v.record.customerSatisfied;
  return f;
}

/** Blank text is sent as null (cleared); on edit only what changed is sent. */
function toInput(f: Form, initial: Form | null): ComplaintInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (initial && JSON.stringify(initial[k as keyof Form]) === JSON.stringify(v)) continue;
    out[k] = typeof v === "string" && v.trim() === "" ? null : v;
  }
  return out as ComplaintInput;
}

export function ComplaintFormPage({ id, navigate }: { id?: string; navigate: Navigate }) {
  const existing = useQuery({ queryKey: ["complaints.get", id], queryFn: () => call("complaints.get", { id: id! }), enabled: !!id });
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
    ...recordFormDraft("complaint", id, existing.data?.record.reference),
    form, setForm, dirty, ready: !id || !!existing.data, rowVersion: existing.data?.record.rowVersion,
  });
  const save = useMutation({
    mutationFn: async () => {
      if (id && existing.data) return call("complaints.update", { id, rowVersion: draft.baseRowVersion ?? existing.data.record.rowVersion, changes: toInput(form, initial) });
      return call("complaints.create", toInput(form, null));
    },
    onSuccess: (view) => {
      draft.forget();
      qc.invalidateQueries();
      notifications.show({ color: "green", message: `${view.record.reference} saved` });
      setInitial(form);
      navigate({ name: "complaint", id: view.record.id });
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
  const text = (key: (typeof TEXT)[number]) => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => { const v = e.currentTarget.value; set(key, v); },
    error: fields[key],
    "data-field": key,
  });
  const leave = () => {
    if (dirty && !window.confirm("Leave without saving? Your changes will be lost.")) return;
    draft.forget();
    navigate(id ? { name: "complaint", id } : { name: "complaints" });
  };
  const satisfied = form.customerSatisfied === true ? "yes" : form.customerSatisfied === false ? "no" : "unknown";
  return (
    <form ref={formRef} noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <Stack maw={960}>
        <Group justify="space-between">
          <Title order={2}>{id ? `Edit ${existing.data?.record.reference ?? ""}` : "Record a complaint"}</Title>
          <Group>
            <Button variant="default" onClick={leave}>Cancel</Button>
            <Button type="submit" loading={save.isPending} data-testid="save-complaint">Save (Ctrl+S)</Button>
          </Group>
        </Group>
        <DraftNotice restored={draft.restored} currentRowVersion={existing.data?.record.rowVersion} onDiscard={() => { draft.forget(); setForm(initial); }} />
        {error && <ErrorAlert error={error} title={error.kind === "validation_failed" ? "Some fields need attention" : undefined} />}
        <Fieldset legend="The complaint">
          <Stack>
            <TextInput label="Title" required {...text("title")} data-testid="complaint-field-title" />
            <Textarea label="Description" required autosize minRows={3} {...text("description")} data-testid="complaint-field-description" />
            <SimpleGrid cols={3}>
              <Select label="Type" data={TYPE_OPTIONS} value={form.complaintType} onChange={(v) => set("complaintType", v ?? "other")} allowDeselect={false} />
              <Select label="Priority" data={PRIORITY_OPTIONS} value={form.priority} onChange={(v) => set("priority", v ?? "medium")} allowDeselect={false} />
              <Select label="Received by" data={SOURCE_OPTIONS} value={form.source} onChange={(v) => set("source", v ?? "manual")} allowDeselect={false} error={fields.source} />
            </SimpleGrid>
            <SimpleGrid cols={3}>
              <TextInput label="Received" required placeholder="YYYY-MM-DD" description="Not in the future" {...text("receivedDate")} data-testid="complaint-field-received" />
              <TextInput label="Target resolution" placeholder="YYYY-MM-DD" description="Defaults to received + the target days" {...text("targetResolutionDate")} />
              <Select label="Owner" description="Required to acknowledge" data={(users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }))} value={form.ownerId || null}
                onChange={(v) => set("ownerId", v ?? "")} error={fields.ownerId} data-field="ownerId" clearable searchable data-testid="complaint-field-owner" />
            </SimpleGrid>
            <SimpleGrid cols={3}>
              <TextInput label="Order or contract no." {...text("relatedReference")} />
              <TextInput label="Product or service" {...text("relatedProductService")} />
              <TextInput label="Department" {...text("department")} />
            </SimpleGrid>
            {form.source === "email" && (
              <>
                <TextInput label="Original email subject" {...text("originalEmailSubject")} />
                <Textarea label="Original email" autosize minRows={3} maxRows={12} {...text("originalEmailBody")} />
              </>
            )}
          </Stack>
        </Fieldset>
        <Fieldset legend="Complainant (personal data)">
          <SimpleGrid cols={2}>
            <TextInput label="Name" required {...text("complainantName")} data-testid="complaint-field-complainant" />
            <TextInput label="Company" {...text("complainantCompany")} />
            <TextInput label="Email" {...text("complainantEmail")} />
            <TextInput label="Phone" {...text("complainantPhone")} />
          </SimpleGrid>
          <Textarea label="Address" autosize mt="sm" {...text("complainantAddress")} />
        </Fieldset>
        <Fieldset legend="Investigation and resolution">
          <Stack>
            <Textarea label="Investigation notes" autosize {...text("investigationNotes")} />
            <Textarea label="Root cause" autosize {...text("rootCause")} />
            <Textarea label="Resolution summary" description="Required to resolve" autosize {...text("resolutionSummary")} />
            <SimpleGrid cols={2}>
              <Input.Wrapper label="Customer satisfied?">
                <SegmentedControl mt={4} value={satisfied} onChange={(v) => set("customerSatisfied", v === "yes" ? true : v === "no" ? false : null)}
                  data={[{ value: "unknown", label: "Not known" }, { value: "yes", label: "Satisfied" }, { value: "no", label: "Not satisfied" }]} />
              </Input.Wrapper>
              <TextInput label="Compensation offered" {...text("compensationOffered")} />
            </SimpleGrid>
            <Textarea label="Closure notes" autosize {...text("closureNotes")} />
            <TextInput label="Legacy reference" {...text("legacyReference")} />
          </Stack>
        </Fieldset>
      </Stack>
    </form>
  );
}
