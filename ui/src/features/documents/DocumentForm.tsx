import { useEffect, useMemo, useState } from "react";
import { Button, Checkbox, Fieldset, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, TagsInput, TextInput, Textarea, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { DocumentInput } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { DOCUMENT_TYPES } from "./DocumentRegister";
import { DraftNotice, recordFormDraft, useFormDraft } from "../../components/drafts";

type Form = {
  title: string; description: string; documentType: string; category: string; department: string; tags: string[]; ownerId: string;
  defaultApproverId: string; confidentiality: string; reviewFrequencyMonths: number | ""; acknowledgementRequired: boolean; ackWithinDays: number | "";
  legacyReference: string; body: string; ackRoles: string[]; ackUserIds: string[];
};
const EMPTY: Form = {
  title: "", description: "", documentType: "policy", category: "", department: "", tags: [], ownerId: "", defaultApproverId: "", confidentiality: "internal",
  reviewFrequencyMonths: 12, acknowledgementRequired: false, ackWithinDays: 14, legacyReference: "", body: "", ackRoles: [], ackUserIds: [],
};
const ROLES = ["admin", "manager", "auditor", "contributor", "viewer"];

export function DocumentFormPage({ id, navigate }: { id?: string; navigate: Navigate }) {
  const existing = useQuery({ queryKey: ["documents.get", id], queryFn: () => call("documents.get", { id: id! }), enabled: !!id });
  const users = useQuery({ queryKey: ["users.list"], queryFn: () => call("users.list", {}) });
  const [form, setForm] = useState<Form>(EMPTY);
  const [initial, setInitial] = useState<Form>(EMPTY);
  const qc = useQueryClient();
  useEffect(() => {
    if (!existing.data) return;
    const r = existing.data.record;
    const f: Form = {
      ...EMPTY, title: r.title, description: r.description ?? "", documentType: r.documentType, category: r.category ?? "", department: r.department ?? "",
      tags: existing.data.tags, ownerId: r.ownerId, defaultApproverId: r.defaultApproverId ?? "", confidentiality: r.confidentiality,
      reviewFrequencyMonths: r.reviewFrequencyMonths, acknowledgementRequired: r.acknowledgementRequired, ackWithinDays: r.ackWithinDays, legacyReference: r.legacyReference ?? "",
      ackRoles: existing.data.ackRoles, ackUserIds: existing.data.ackUsers.map((u) => u.id),
    };
    setForm(f);
    setInitial(f);
  }, [existing.data]);
  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(initial), [form, initial]);
  // Unsaved changes are kept as a draft until saved or discarded (the idle lock or a closed window loses nothing).
  const draft = useFormDraft({
    ...recordFormDraft("document", id, existing.data?.record.reference),
    form, setForm, dirty, ready: !id || !!existing.data, rowVersion: existing.data?.record.rowVersion,
  });
  const leave = () => {
    if (dirty && !window.confirm("Leave without saving? Your changes will be lost.")) return;
    draft.forget();
    navigate(id ? { name: "document", id } : { name: "documents" });
  };
  const save = useMutation({
    mutationFn: () => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(form)) {
        if (id && (k === "body" || JSON.stringify(initial[k as keyof Form]) === JSON.stringify(v))) continue;
        out[k] = (typeof v === "string" && !v.trim()) || v === "" ? null : v;
        if (!id && Array.isArray(v) && !v.length) delete out[k];
      }
      if (id && existing.data) return call("documents.update", { id, rowVersion: draft.baseRowVersion ?? existing.data.record.rowVersion, changes: out as DocumentInput });
      return call("documents.create", out as DocumentInput);
    },
    onSuccess: (d) => { draft.forget(); setInitial(form); qc.invalidateQueries(); notifications.show({ color: "green", message: `${d.record.reference} saved` }); navigate({ name: "document", id: d.record.id }); },
  });
  const err = save.error as AppError | null;
  const fields = err?.fieldErrors() ?? {};
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const text = (k: "title" | "description" | "category" | "department" | "legacyReference" | "body") => ({
    value: form[k], onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => { const v = e.currentTarget.value; set(k, v); }, error: fields[k],
  });
  const people = (users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }));
  return (
    <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <Stack maw={960}>
        <Group justify="space-between">
          <Title order={2}>{id ? `Edit ${existing.data?.record.reference ?? ""}` : "New controlled document"}</Title>
          <Group>
            <Button variant="default" onClick={leave}>Cancel</Button>
            <Button type="submit" loading={save.isPending} data-testid="save-document">Save</Button>
          </Group>
        </Group>
        <DraftNotice restored={draft.restored} currentRowVersion={existing.data?.record.rowVersion} onDiscard={() => { draft.forget(); setForm(initial); }} />
        {err && <ErrorAlert error={err} title={err.kind === "validation_failed" ? "Some fields need attention" : undefined} />}
        <Fieldset legend="The document">
          <Stack>
            <TextInput label="Title" required {...text("title")} data-testid="document-field-title" />
            <Textarea label="Description" autosize {...text("description")} />
            <SimpleGrid cols={3}>
              <Select label="Type" data={DOCUMENT_TYPES.map((t) => ({ value: t, label: humanise(t) }))} value={form.documentType} onChange={(v) => set("documentType", v ?? "policy")} allowDeselect={false} />
              <TextInput label="Category" {...text("category")} />
              <TextInput label="Department" {...text("department")} />
            </SimpleGrid>
            <TagsInput label="Tags" description="Up to 20" value={form.tags} onChange={(v) => set("tags", v)} error={fields.tags} maxTags={20} />
            <SimpleGrid cols={3}>
              <Select label="Owner" required data={people} value={form.ownerId || null} onChange={(v) => set("ownerId", v ?? "")} error={fields.ownerId} searchable data-testid="document-field-owner" />
              <Select label="Usual approver" description="Pre-fills nothing else; any manager may approve" data={people} value={form.defaultApproverId || null} onChange={(v) => set("defaultApproverId", v ?? "")} clearable searchable />
              <Select label="Confidentiality" data={["public", "internal", "confidential", "restricted"].map((c) => ({ value: c, label: humanise(c) }))} value={form.confidentiality} onChange={(v) => set("confidentiality", v ?? "internal")} allowDeselect={false} />
            </SimpleGrid>
            <SimpleGrid cols={3}>
              <NumberInput label="Review every (months)" min={1} max={60} value={form.reviewFrequencyMonths} onChange={(v) => set("reviewFrequencyMonths", v === "" ? "" : Number(v))} error={fields.reviewFrequencyMonths} />
              <Checkbox mt="xl" label="Readers must acknowledge it" checked={form.acknowledgementRequired} onChange={(e) => set("acknowledgementRequired", e.currentTarget.checked)} data-testid="document-field-ack" />
              <NumberInput label="Acknowledge within (days)" min={1} max={365} value={form.ackWithinDays} onChange={(v) => set("ackWithinDays", v === "" ? "" : Number(v))} error={fields.ackWithinDays} />
            </SimpleGrid>
            {form.acknowledgementRequired && (
              <SimpleGrid cols={2}>
                <MultiSelect label="Every active person in these roles" data={ROLES.map((r) => ({ value: r, label: humanise(r) }))} value={form.ackRoles}
                  onChange={(v) => set("ackRoles", v)} error={fields.ackRoles} searchable data-testid="document-field-ack-roles" />
                <MultiSelect label="And these people" data={people} value={form.ackUserIds} onChange={(v) => set("ackUserIds", v)} searchable
                  error={Object.entries(fields).find(([k]) => k.startsWith("ackUserIds"))?.[1]} data-testid="document-field-ack-users" />
              </SimpleGrid>
            )}
            <TextInput label="Legacy reference" {...text("legacyReference")} />
          </Stack>
        </Fieldset>
        {!id && (
          <Fieldset legend="Version 1.0">
            <Textarea label="Content (Markdown)" description="Or attach the document file after saving" autosize minRows={8} {...text("body")} data-testid="document-field-body" />
          </Fieldset>
        )}
      </Stack>
    </form>
  );
}
