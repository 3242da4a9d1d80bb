// Pieces every record page shares: a labelled read-only field, the history table, the archive/restore dialog,
// workflow buttons with their unmet guards on hover, and the list of signatures.
import { useCallback, useMemo, useState } from "react";
import { Badge, Button, Group, Modal, Paper, PasswordInput, Stack, Switch, Table, Text, Textarea, Tooltip } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../api/backend";
import type { SignatureView } from "../api/bindings";
import { humanise } from "./badges";
import { ErrorAlert } from "./ErrorAlert";
import { DialogFooter } from "./DialogFooter";
import { formatInstant } from "./time";
import { DraftNotice, useDialogDraft } from "./drafts";

export function Field({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>{value === null || value === undefined || value === "" ? "—" : value}</Text>
    </div>
  );
}

/** A recorded value as a reader wants it: text as typed (no JSON quotes), yes/no, a dash for none; lists and
 *  objects as compact JSON. The stored event is unchanged — this is only how the history screen shows it. */
export function historyValue(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v === "" ? "(empty)" : v;
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "number") return String(v);
  return JSON.stringify(v);
}

type HistoryCommand = "incidents.history" | "actions.history" | "risks.history" | "investigations.history" | "complaints.history" | "collisions.history" | "documents.history" | "runs.history" | "findings.history" | "templates.history";

/** The record's history. By default in words (labels, names, references, local times, worked out by the backend);
 *  "As recorded" shows the stored event exactly: field codes, ids and values as the hash chain holds them. */
export function HistoryTable({ command, id }: { command: HistoryCommand; id: string }) {
  const history = useQuery({ queryKey: [command, id], queryFn: () => call(command, { id }) });
  const [asRecorded, setAsRecorded] = useState(false);
  if (history.error) return <ErrorAlert error={history.error} />;
  return (
    <Stack gap="xs">
      <Switch size="xs" label="As recorded (field codes, ids and UTC, exactly as the audit trail holds them)" checked={asRecorded} onChange={(e) => setAsRecorded(e.currentTarget.checked)} data-testid="history-as-recorded" />
      <Table data-testid="history-table">
        <Table.Thead>
          <Table.Tr><Table.Th>When</Table.Th><Table.Th>Who</Table.Th><Table.Th>What</Table.Th><Table.Th>Changes</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.data?.map((e) => (
            <Table.Tr key={e.id} data-testid="history-row">
              <Table.Td>{asRecorded ? e.occurredAt : formatInstant(e.occurredAt, { seconds: true })}</Table.Td>
              <Table.Td>{e.actorName}</Table.Td>
              <Table.Td>{asRecorded ? e.action : humanise(e.action)}{e.reason && <Text size="xs" c="dimmed">Reason: {e.reason}</Text>}</Table.Td>
              <Table.Td>
                {asRecorded || e.shown.length !== e.changes.length
                  ? e.changes.map((c) => (
                    <Text size="xs" key={c.field} style={{ wordBreak: "break-word" }}>
                      <b>{asRecorded ? c.field : humanise(c.field)}</b>: {c.old === null && e.action === "create" ? "" : `${asRecorded ? JSON.stringify(c.old) : historyValue(c.old)} → `}{asRecorded ? JSON.stringify(c.new) : historyValue(c.new)}
                    </Text>
                  ))
                  : e.shown.map((c, i) => (
                    <Text size="xs" key={i} style={{ wordBreak: "break-word" }}>
                      <b>{c.field}</b>: {c.old === null && e.action === "create" ? "" : `${c.old ?? "—"} → `}{c.new ?? "—"}
                    </Text>
                  ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** Archive (reason required) or restore (reason optional) one record. */
export function ArchiveDialog({ reference, kind, archived, run, onClose }: {
  reference: string;
  kind: string;
  archived: boolean;
  run: (reason: string | undefined) => Promise<unknown>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const title = archived ? `Restore ${reference}` : `Archive ${reference}`;
  const kept = useDialogDraft(title, reason, setReason);
  const qc = useQueryClient();
  const mutation = useMutation({ mutationFn: () => run(reason.trim() || undefined), onSuccess: () => { kept.forget(); qc.invalidateQueries(); onClose(); } });
  const fields = (mutation.error as AppError | null)?.fieldErrors() ?? {};
  return (
    <Modal opened onClose={onClose} title={title}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); mutation.mutate(); }}>
        <Stack>
          <DraftNotice restored={kept.restored} onDiscard={kept.discard} />
          <Text size="sm">
            {archived
              ? `The ${kind} returns to the register and can be edited again.`
              : `The ${kind} is hidden from the register and dashboards and becomes read-only. It is never deleted and can be restored.`}
          </Text>
          <Textarea label="Reason" required={!archived} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fields.reason} data-testid="archive-reason" autoFocus />
          <DialogFooter error={mutation.error} fields={fields} onCancel={onClose} loading={mutation.isPending} testId="archive-confirm" color={archived ? "blue" : "red"}>{archived ? "Restore" : "Archive"}</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

type Option = { to: string; unmetGuards: string[] };

/** Steps that end, undo or refuse: offered, never the primary button. */
const CAUTION = /^(Cancel|Close|Reopen|Reject|Withdraw|Defer|Escalate)/;

/** One button per allowed transition; blocked ones are disabled and explain why on hover. The first step that is not
 * a cautionary one is the primary button; a step that ends, undoes or refuses is never primary (a red outline). */
export function TransitionButtons<T extends Option>({ options, label, onChoose }: { options: T[]; label: (o: T) => string; onChoose: (o: T) => void }) {
  const primary = options.find((t) => t.unmetGuards.length === 0 && !CAUTION.test(label(t))) ?? options.find((t) => !CAUTION.test(label(t)));
  return (
    <>
      {options.map((t) => {
        const blocked = t.unmetGuards.length > 0;
        const caution = CAUTION.test(label(t));
        const variant = t === primary ? "filled" : caution ? "outline" : "light";
        const button = (
          <Button key={t.to} disabled={blocked} variant={variant} color={caution ? "red" : undefined} onClick={() => onChoose(t)} data-testid={`transition-${t.to}`}>{label(t)}</Button>
        );
        return blocked ? <Tooltip key={t.to} label={t.unmetGuards.join(" ")} multiline w={320} withArrow><span>{button}</span></Tooltip> : button;
      })}
    </>
  );
}

/** A workflow step: the notes it needs (named by `labels`), a reason, and for a signature the passphrase again,
 * with the signature's meaning spelled out. Notes already on the record are offered in `initial`. */
export function StepDialog({ title, needs, signatureText, labels = {}, initial = {}, run, onClose }: {
  title: string;
  needs: string[];
  signatureText?: string;
  labels?: Record<string, string>;
  initial?: Record<string, string | null | undefined>;
  run: (values: Record<string, string | undefined>) => Promise<unknown>;
  onClose: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(needs.filter((n) => n !== "passphrase").map((n) => [n, initial[n] ?? ""])),
  );
  const [passphrase, setPassphrase] = useState("");
  const [comment, setComment] = useState("");
  // The notes and comment are kept if the dialog goes before the step is done; the passphrase never is.
  const text = useMemo(() => ({ values, comment }), [values, comment]);
  const restoreText = useCallback((t: { values: Record<string, string>; comment: string }) => { setValues(t.values); setComment(t.comment); }, []);
  const kept = useDialogDraft(title, text, restoreText);
  const qc = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => {
      const out: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(values)) out[k] = v.trim() || undefined;
      if (needs.includes("passphrase")) {
        out.passphrase = passphrase || undefined;
        out.comment = comment.trim() || undefined;
      }
      return run(out);
    },
    onSuccess: () => { kept.forget(); qc.invalidateQueries(); onClose(); },
  });
  const err = mutation.error as AppError | null;
  const fields = err?.fieldErrors() ?? {};
  const signing = needs.includes("passphrase");
  const textNeeds = needs.filter((n) => n !== "passphrase");
  return (
    <Modal opened onClose={onClose} title={title}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); mutation.mutate(); }}>
        <Stack>
          <DraftNotice restored={kept.restored} onDiscard={kept.discard} />
          {signatureText && <Text size="sm" fw={600} data-testid="signature-meaning">{signatureText}</Text>}
          {textNeeds.map((n, i) => (
            <Textarea key={n} label={labels[n] ?? humanise(n.replace(/([A-Z])/g, "_$1").toLowerCase())} required autosize value={values[n] ?? ""}
              onChange={(e) => { const v = e.currentTarget.value; setValues((x) => ({ ...x, [n]: v })); }} error={fields[n]} data-testid={`step-${n}`} autoFocus={i === 0} />
          ))}
          {signing && (
            <>
              <Textarea label="Comment" value={comment} onChange={(e) => setComment(e.currentTarget.value)} error={fields.comment} data-testid="step-comment" />
              <PasswordInput label="Your passphrase" description="Signing records your name, the time and a fingerprint of the record." required value={passphrase}
                onChange={(e) => setPassphrase(e.currentTarget.value)} error={fields.passphrase ?? (err?.kind === "reauth_failed" ? err.message : undefined)} data-testid="step-passphrase" autoFocus={!textNeeds.length} />
            </>
          )}
          {!needs.length && <Text size="sm">This step is recorded in the history with your name.</Text>}
          {err && !Object.keys(fields).length && err.kind !== "reauth_failed" && <ErrorAlert error={err} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Back</Button>
            <Button type="submit" loading={mutation.isPending} data-testid="step-confirm">{signing ? "Sign" : "Confirm"}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function SignatureList({ signatures }: { signatures: SignatureView[] }) {
  if (!signatures.length) return null;
  return (
    <Paper withBorder p="sm">
      <Text fw={600} size="sm" mb={4}>Signatures</Text>
      {signatures.map((s) => (
        <Group key={s.id} gap="xs" data-testid="signature-row">
          <Badge variant="light" color="green">{humanise(s.meaning)}</Badge>
          <Text size="sm">{s.signerName} · {formatInstant(s.signedAt, { seconds: true })}</Text>
          {s.comment && <Text size="sm" c="dimmed">“{s.comment}”</Text>}
          <Tooltip label={`SHA-256 of what was signed: ${s.contentHash}`} multiline w={360}><Text size="xs" ff="monospace" c="dimmed">{s.contentHash.slice(0, 12)}…</Text></Tooltip>
        </Group>
      ))}
    </Paper>
  );
}
