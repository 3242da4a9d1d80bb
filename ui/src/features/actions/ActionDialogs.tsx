import { useState } from "react";
import { Button, Group, Modal, PasswordInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { ActionSourceType, ActionSummary, ActionTransitionOption, ActionType, ActionPriority } from "../../api/bindings";
import { humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { DialogFooter } from "../../components/DialogFooter";
import { DraftNotice, useDialogDraft } from "../../components/drafts";

const TYPES: ActionType[] = ["containment", "corrective", "preventive", "improvement"];
const PRIORITIES: ActionPriority[] = ["critical", "high", "medium", "low"];
const opts = (v: string[]) => v.map((value) => ({ value, label: humanise(value) }));

/** Raise an action from a source record (owner, due date, priority). */
export function RaiseActionDialog({ sourceType, sourceId, sourceReference, onClose }: { sourceType: ActionSourceType; sourceId: string; sourceReference: string; onClose: () => void }) {
  const users = useQuery({ queryKey: ["users.list"], queryFn: () => call("users.list", {}) });
  const [form, setForm] = useState({ title: "", description: "", actionType: "corrective" as ActionType, priority: "medium" as ActionPriority, ownerId: "", dueDate: "", requiresVerification: true });
  const title = `Raise an action from ${sourceReference}`;
  const kept = useDialogDraft(title, form, setForm);
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => call("actions.create", { sourceType, sourceId, ...form, ownerId: form.ownerId || undefined, dueDate: form.dueDate || undefined }),
    onSuccess: (a) => {
      kept.forget();
      qc.invalidateQueries();
      notifications.show({ color: "green", message: `${a.record.reference} raised` });
      onClose();
    },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm((f) => ({ ...f, [k]: v }));
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          <DraftNotice restored={kept.restored} onDiscard={kept.discard} />
          <TextInput label="Title" required value={form.title} onChange={(e) => set("title", e.currentTarget.value)} error={fields.title} data-testid="action-title" autoFocus />
          <Textarea label="Description" required autosize minRows={2} value={form.description} onChange={(e) => set("description", e.currentTarget.value)} error={fields.description} data-testid="action-description" />
          <SimpleGrid cols={2}>
            <Select label="Type" data={opts(TYPES)} value={form.actionType} allowDeselect={false}
              onChange={(v) => { const t = (v ?? "corrective") as ActionType; setForm((f) => ({ ...f, actionType: t, requiresVerification: t === "corrective" || t === "preventive" })); }} />
            <Select label="Priority" data={opts(PRIORITIES)} value={form.priority} allowDeselect={false} onChange={(v) => set("priority", (v ?? "medium") as ActionPriority)} />
            <Select label="Owner" required searchable data={(users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }))} value={form.ownerId || null}
              onChange={(v) => set("ownerId", v ?? "")} error={fields.ownerId} data-testid="action-owner" />
            <TextInput label="Due date" required placeholder="YYYY-MM-DD" value={form.dueDate} onChange={(e) => set("dueDate", e.currentTarget.value)} error={fields.dueDate} data-testid="action-due" />
          </SimpleGrid>
          <Switch label="Effectiveness must be verified after completion" checked={form.requiresVerification} onChange={(e) => set("requiresVerification", e.currentTarget.checked)} />
          <DialogFooter error={save.error} fields={fields} onCancel={onClose} loading={save.isPending} testId="action-save">Raise action</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

const STEP_LABELS: Record<string, string> = { in_progress: "Start", completed: "Complete", verified: "Verify effective", cancelled: "Cancel action" };

export function stepLabel(from: string, to: string) {
  return from === "completed" && to === "in_progress" ? "Not effective" : STEP_LABELS[to] ?? humanise(to);
}

/** One workflow step of an action; verification is a signature and asks for the passphrase again. */
export function ActionStepDialog({ action, option, onClose }: { action: ActionSummary; option: ActionTransitionOption; onClose: () => void }) {
  const [values, setValues] = useState({ reason: "", completionNotes: "", verificationNotes: "" });
  // The notes are kept if the dialog goes before the step is done; the passphrase is held apart and never kept.
  const [passphrase, setPassphrase] = useState("");
  const title = `${stepLabel(action.status, option.to)}: ${action.reference}`;
  const kept = useDialogDraft(title, values, setValues);
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () =>
      call("actions.transition", {
        id: action.id,
        rowVersion: action.rowVersion,
        to: option.to,
        reason: values.reason.trim() || undefined,
        completionNotes: values.completionNotes.trim() || undefined,
        verificationNotes: values.verificationNotes.trim() || undefined,
        passphrase: passphrase || undefined,
      }),
    onSuccess: (a) => {
      kept.forget();
      qc.invalidateQueries();
      notifications.show({ color: "green", message: `${a.record.reference} is now ${humanise(a.record.status)}` });
      onClose();
    },
  });
  const err = run.error as AppError | null;
  const fields = err?.fieldErrors() ?? {};
  const needs = (k: string) => option.needs.includes(k);
  // Read the value now: React clears currentTarget before a state updater runs.
  const set = (k: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [k]: value }));
  };
  return (
    <Modal opened onClose={onClose} title={title}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
        <Stack>
          <DraftNotice restored={kept.restored} onDiscard={kept.discard} />
          {option.signature && (
            <Text size="sm" fw={600} data-testid="signature-meaning">
              I verify that {action.reference} “{action.title}” was completed and is effective.
            </Text>
          )}
          {needs("completionNotes") && <Text size="xs" c="dimmed">Attach photos or documents that show the work was done with the row's Evidence button.</Text>}
          {needs("completionNotes") && <Textarea label="Completion notes" required value={values.completionNotes} onChange={set("completionNotes")} error={fields.completionNotes} data-testid="step-completion-notes" autoFocus />}
          {needs("verificationNotes") && <Textarea label="Verification notes" required value={values.verificationNotes} onChange={set("verificationNotes")} error={fields.verificationNotes} data-testid="step-verification-notes" autoFocus />}
          {needs("reason") && <Textarea label="Reason" required value={values.reason} onChange={set("reason")} error={fields.reason} data-testid="step-reason" />}
          {needs("passphrase") && (
            <PasswordInput label="Your passphrase" description="Signing records your name, the time and a fingerprint of the action." required value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)}
              error={fields.passphrase ?? (err?.kind === "reauth_failed" ? err.message : undefined)} data-testid="step-passphrase" />
          )}
          {err && !Object.keys(fields).length && err.kind !== "reauth_failed" && <ErrorAlert error={err} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Back</Button>
            <Button type="submit" loading={run.isPending} data-testid="step-confirm">{option.signature ? "Sign and verify" : stepLabel(action.status, option.to)}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Edit an open action. Moving the due date later asks for a reason, which is kept with the old and new dates. */
export function EditActionDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const q = useQuery({ queryKey: ["actions.get", id], queryFn: () => call("actions.get", { id }) });
  const users = useQuery({ queryKey: ["users.list"], queryFn: () => call("users.list", {}) });
  const [form, setForm] = useState<{ title: string; description: string; priority: ActionPriority; ownerId: string; dueDate: string; reason: string } | null>(null);
  const qc = useQueryClient();
  const r = q.data?.record;
  const f = form ?? (r ? { title: r.title, description: r.description, priority: r.priority, ownerId: r.ownerId, dueDate: r.dueDate, reason: "" } : null);
  const save = useMutation({
    mutationFn: () => {
      if (!r || !f) throw new Error("not loaded");
      const changes: Record<string, unknown> = {};
      for (const k of ["title", "description", "priority", "ownerId", "dueDate"] as const) if (f[k] !== r[k]) changes[k] = f[k];
      return call("actions.update", { id, rowVersion: r.rowVersion, changes, dueDateChangeReason: f.reason.trim() || undefined });
    },
    onSuccess: (a) => { qc.invalidateQueries(); notifications.show({ color: "green", message: `${a.record.reference} saved` }); onClose(); },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  if (!f || !r) return null;
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setForm({ ...f, [k]: v });
  const later = f.dueDate > r.dueDate;
  return (
    <Modal opened onClose={onClose} title={`Edit ${r.reference}`} size="lg">
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          <TextInput label="Title" required value={f.title} onChange={(e) => set("title", e.currentTarget.value)} error={fields.title} />
          <Textarea label="Description" required autosize minRows={2} value={f.description} onChange={(e) => set("description", e.currentTarget.value)} error={fields.description} />
          <SimpleGrid cols={3}>
            <Select label="Priority" data={opts(PRIORITIES)} value={f.priority} allowDeselect={false} onChange={(v) => set("priority", (v ?? "medium") as ActionPriority)} />
            <Select label="Owner" searchable data={(users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }))} value={f.ownerId} allowDeselect={false} onChange={(v) => set("ownerId", v ?? f.ownerId)} error={fields.ownerId} />
            <TextInput label="Due date" placeholder="YYYY-MM-DD" value={f.dueDate} onChange={(e) => set("dueDate", e.currentTarget.value)} error={fields.dueDate} data-testid="edit-action-due" />
          </SimpleGrid>
          {later && (
            <Textarea label="Why is the due date moving later?" description={`Originally due ${r.originalDueDate}. The reason is kept with the change.`} required value={f.reason}
              onChange={(e) => set("reason", e.currentTarget.value)} error={fields.dueDateChangeReason} data-testid="edit-action-reason" />
          )}
          {r.dueDateChanges.length > 0 && (
            <Text size="xs" c="dimmed">Earlier changes: {r.dueDateChanges.map((c) => `${c.old} → ${c.new} (${c.reason})`).join("; ")}</Text>
          )}
          <DialogFooter error={save.error} fields={fields} onCancel={onClose} loading={save.isPending} testId="edit-action-save">Save</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}
