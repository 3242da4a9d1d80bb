import { useEffect, useMemo, useRef, useState } from "react";
import { Button, Fieldset, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { RiskInput, RiskView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LevelBadge, useMatrix } from "./HeatMap";
import { CATEGORY_OPTIONS, IMPACT_LABELS, LIKELIHOOD_LABELS, STRATEGY_OPTIONS } from "./options";
import { DraftNotice, recordFormDraft, useFormDraft } from "../../components/drafts";
import { useFieldErrors } from "../../components/useFieldErrors";

type Form = {
  title: string; description: string; category: string; subcategory: string; department: string; cause: string; event: string; consequence: string;
  ownerId: string; treatmentStrategy: string; treatmentPlan: string; treatmentDueDate: string; reviewFrequencyMonths: number | ""; nextReviewDate: string;
  legacyReference: string; likelihood: number; impact: number;
};

const EMPTY: Form = {
  title: "", description: "", category: "operational", subcategory: "", department: "", cause: "", event: "", consequence: "", ownerId: "",
  treatmentStrategy: "mitigate", treatmentPlan: "", treatmentDueDate: "", reviewFrequencyMonths: "", nextReviewDate: "", legacyReference: "", likelihood: 3, impact: 3,
};

function fromView(v: RiskView): Form {
  const r = v.record;
  return {
    title: r.title, description: r.description, category: r.category, subcategory: r.subcategory ?? "", department: r.department ?? "", cause: r.cause ?? "",
    event: r.event ?? "", consequence: r.consequence ?? "", ownerId: r.ownerId ?? "", treatmentStrategy: r.treatmentStrategy, treatmentPlan: r.treatmentPlan ?? "",
    treatmentDueDate: r.treatmentDueDate ?? "", reviewFrequencyMonths: r.reviewFrequencyMonths, nextReviewDate: r.nextReviewDate, legacyReference: r.legacyReference ?? "",
    likelihood: r.likelihood, impact: r.impact,
  };
}

/** What is sent: blank text is null (cleared); on edit only changed fields, and never the rating (assessments set it). */
function toInput(f: Form, initial: Form | null): RiskInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (initial && (k === "likelihood" || k === "impact" || initial[k as keyof Form] === v)) continue;
    out[k] = typeof v === "string" && v.trim() === "" ? null : v;
  }
  return out as RiskInput;
}

export function RiskFormPage({ id, navigate }: { id?: string; navigate: Navigate }) {
  const existing = useQuery({ queryKey: ["risks.get", id], queryFn: () => call("risks.get", { id: id! }), enabled: !!id });
  const users = useQuery({ queryKey: ["users.list"], queryFn: () => call("users.list", {}) });
  const matrix = useMatrix();
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
    ...recordFormDraft("risk", id, existing.data?.record.reference),
    form, setForm, dirty, ready: !id || !!existing.data, rowVersion: existing.data?.record.rowVersion,
  });
  const save = useMutation({
    mutationFn: async () => {
      if (id && existing.data) return call("risks.update", { id, rowVersion: draft.baseRowVersion ?? existing.data.record.rowVersion, changes: toInput(form, initial) });
      return call("risks.create", toInput(form, null));
    },
    onSuccess: (view) => {
      draft.forget();
      qc.invalidateQueries();
      notifications.show({ color: "green", message: `${view.record.reference} saved` });
      setInitial(form);
      navigate({ name: "risk", id: view.record.id });
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
  const text = (key: keyof Form) => ({
    value: (form[key] as string) ?? "",
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => set(key, e.currentTarget.value as never),
    error: fields[key as string],
    "data-field": key,
  });
  const leave = () => {
    if (dirty && !window.confirm("Leave without saving? Your changes will be lost.")) return;
    draft.forget();
    navigate(id ? { name: "risk", id } : { name: "risks" });
  };
  const preview = matrix(form.likelihood, form.impact);
  const scale = (labels: string[]) => labels.map((l, i) => ({ value: String(i + 1), label: `${i + 1} · ${l}` }));
  return (
    <form ref={formRef} noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <Stack maw={960}>
        <Group justify="space-between">
          <Title order={2}>{id ? `Edit ${existing.data?.record.reference ?? ""}` : "Record a risk"}</Title>
          <Group>
            <Button variant="default" onClick={leave}>Cancel</Button>
            <Button type="submit" loading={save.isPending} data-testid="save-risk">Save (Ctrl+S)</Button>
          </Group>
        </Group>
        <DraftNotice restored={draft.restored} currentRowVersion={existing.data?.record.rowVersion} onDiscard={() => { draft.forget(); setForm(initial); }} />
        {error && <ErrorAlert error={error} title={error.kind === "validation_failed" ? "Some fields need attention" : undefined} />}
        <Fieldset legend="The risk">
          <Stack>
            <TextInput label="Title" required {...text("title")} data-testid="risk-field-title" />
            <Textarea label="Description" required autosize minRows={3} {...text("description")} data-testid="risk-field-description" />
            <SimpleGrid cols={3}>
              <Select label="Category" data={CATEGORY_OPTIONS} value={form.category} onChange={(v) => set("category", v ?? "operational")} allowDeselect={false} error={fields.category} data-field="category" />
              <TextInput label="Subcategory" {...text("subcategory")} />
              <TextInput label="Department" {...text("department")} />
            </SimpleGrid>
            <SimpleGrid cols={3}>
              <Textarea label="Cause" autosize {...text("cause")} />
              <Textarea label="Event" autosize {...text("event")} />
              <Textarea label="Consequence" autosize {...text("consequence")} />
            </SimpleGrid>
            <Select label="Owner" description="Required before the risk is assessed" data={(users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
              value={form.ownerId || null} onChange={(v) => set("ownerId", v ?? "")} error={fields.ownerId} data-field="ownerId" clearable searchable data-testid="risk-field-owner" />
          </Stack>
        </Fieldset>
        {!id && (
          <Fieldset legend="Initial rating">
            <Group align="end">
              <Select label="Likelihood" data={scale(LIKELIHOOD_LABELS)} value={String(form.likelihood)} onChange={(v) => set("likelihood", Number(v ?? 3))} allowDeselect={false} w={220} error={fields.likelihood} data-testid="risk-field-likelihood" />
              <Select label="Impact" data={scale(IMPACT_LABELS)} value={String(form.impact)} onChange={(v) => set("impact", Number(v ?? 3))} allowDeselect={false} w={220} error={fields.impact} data-testid="risk-field-impact" />
              {preview && <LevelBadge level={preview.level} colour={preview.colour} score={preview.score} />}
            </Group>
            <Text size="xs" c="dimmed" mt="xs">Saved as the initial assessment (inherent and residual), dated today. Later ratings are recorded as assessments.</Text>
          </Fieldset>
        )}
        <Fieldset legend="Treatment and review">
          <Stack>
            <SimpleGrid cols={3}>
              <Select label="Strategy" data={STRATEGY_OPTIONS} value={form.treatmentStrategy} onChange={(v) => set("treatmentStrategy", v ?? "mitigate")} allowDeselect={false} data-testid="risk-field-strategy" />
              <TextInput label="Treatment due" placeholder="YYYY-MM-DD" {...text("treatmentDueDate")} />
              <NumberInput label="Review every (months)" description="Default from the level" min={1} max={60} value={form.reviewFrequencyMonths}
                onChange={(v) => set("reviewFrequencyMonths", v === "" ? "" : Number(v))} error={fields.reviewFrequencyMonths} data-field="reviewFrequencyMonths" />
            </SimpleGrid>
            <Textarea label="Treatment plan" description="Required to start treatment" autosize minRows={2} {...text("treatmentPlan")} data-testid="risk-field-plan" />
            {id && <TextInput label="Next review" placeholder="YYYY-MM-DD" description="Can be brought forward, not pushed later" {...text("nextReviewDate")} />}
            <TextInput label="Legacy reference" {...text("legacyReference")} />
          </Stack>
        </Fieldset>
      </Stack>
    </form>
  );
}
