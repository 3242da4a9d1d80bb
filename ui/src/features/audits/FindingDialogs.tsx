// Adding a finding by hand to a run (§6).
import { useState } from "react";
import { Button, Group, Modal, Select, SimpleGrid, Stack, TextInput, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { FindingSeverity, FindingType } from "../../api/bindings";
import { humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ClausePicker } from "../standards/ClausePicker";

export const FINDING_TYPES: FindingType[] = ["nonconformity", "observation", "opportunity", "positive"];
export const SEVERITIES: FindingSeverity[] = ["critical", "high", "medium", "low", "observation"];

export function AddFindingDialog({ runId, reference, onClose }: { runId: string; reference: string; onClose: () => void }) {
  const [form, setForm] = useState({ title: "", description: "", findingType: "nonconformity" as FindingType, severity: "medium" as FindingSeverity, actionDueDate: "", clauseIds: [] as string[], controlIds: [] as string[] });
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => call("findings.create", { runId, ...form, actionDueDate: form.actionDueDate || undefined }),
    onSuccess: () => { qc.invalidateQueries(); onClose(); },
  });
  const err = save.error as AppError | null;
  const fields = err?.fieldErrors() ?? {};
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm((f) => ({ ...f, [k]: v }));
  return (
    <Modal opened onClose={onClose} title={`Add a finding to ${reference}`} size="lg">
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          <TextInput label="Title" required value={form.title} onChange={(e) => set("title", e.currentTarget.value)} error={fields.title} data-testid="finding-title" autoFocus />
          <Textarea label="Description" required autosize minRows={3} value={form.description} onChange={(e) => set("description", e.currentTarget.value)} error={fields.description} data-testid="finding-description" />
          <SimpleGrid cols={3}>
            <Select label="Type" data={FINDING_TYPES.map((t) => ({ value: t, label: humanise(t) }))} value={form.findingType} allowDeselect={false}
              onChange={(v) => { const t = (v ?? "nonconformity") as FindingType; set("findingType", t); if (t !== "nonconformity") set("severity", "observation"); else if (form.severity === "observation") set("severity", "medium"); }} />
            <Select label="Severity" data={SEVERITIES.filter((s) => form.findingType !== "nonconformity" || s !== "observation").map((s) => ({ value: s, label: humanise(s) }))}
              value={form.severity} allowDeselect={false} onChange={(v) => set("severity", (v ?? "medium") as FindingSeverity)} error={fields.severity} />
            <TextInput label="Action due" description="Empty: by severity" placeholder="YYYY-MM-DD" value={form.actionDueDate} onChange={(e) => set("actionDueDate", e.currentTarget.value)} error={fields.actionDueDate} />
          </SimpleGrid>
          <ClausePicker clauseIds={form.clauseIds} controlIds={form.controlIds} onChange={(clauseIds, controlIds) => setForm((f) => ({ ...f, clauseIds, controlIds }))} />
          {err && !Object.keys(fields).length && <ErrorAlert error={err} />}
          <Group justify="flex-end"><Button variant="default" onClick={onClose}>Cancel</Button><Button type="submit" loading={save.isPending} data-testid="finding-save">Add finding</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}
