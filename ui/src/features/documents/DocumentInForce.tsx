import { useState } from "react";
import { Alert, Badge, Button, Group, Modal, PasswordInput, Progress, SegmentedControl, Select, Stack, Table, Text, TextInput, Textarea } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { DocumentView, ReviewOutcome, ReviewView, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { ActionTable } from "../actions/ActionTable";
import { RaiseActionDialog } from "../actions/ActionDialogs";
import { formatInstant, formatInstantDate } from "../../components/time";

const when = (t: string | null) => formatInstant(t);

/** Who has and has not acknowledged the version in force. */
export function AcknowledgementPanel({ doc }: { doc: DocumentView }) {
  const rows = doc.acknowledgements;
  if (!doc.record.acknowledgementRequired) return <Text size="sm">This document does not ask its readers to acknowledge it.</Text>;
  const done = rows.filter((a) => a.status === "acknowledged").length;
  const audience = [...doc.ackRoles.map((r) => `every ${humanise(r).toLowerCase()}`), ...doc.ackUsers.map((u) => u.name)].join(", ");
  return (
    <Stack>
      <Text size="sm">Asked: {audience || "nobody"} · within {doc.record.ackWithinDays} days of publication.</Text>
      {rows.length > 0 && (
        <Group gap="sm">
          <Progress value={(100 * done) / rows.length} w={240} color={done === rows.length ? "green" : "blue"} />
          <Text size="sm" data-testid="ack-progress">{done} of {rows.length} acknowledged</Text>
        </Group>
      )}
      <Table striped data-testid="ack-table">
        <Table.Thead><Table.Tr><Table.Th>Person</Table.Th><Table.Th>Status</Table.Th><Table.Th>Asked</Table.Th><Table.Th>Due</Table.Th><Table.Th>Acknowledged</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {rows.map((a) => (
            <Table.Tr key={a.id} data-testid="ack-row">
              <Table.Td>{a.userName}{!a.userActive && <Badge ml={6} color="gray" variant="light">Deactivated</Badge>}</Table.Td>
              <Table.Td>
                {a.status === "acknowledged" ? <Badge color="green" variant="light">Acknowledged</Badge> : <Badge color={a.overdue ? "red" : "yellow"} variant="light">{a.overdue ? "Overdue" : "Pending"}</Badge>}
                {a.carriedFromLabel && <Text span size="xs" c="dimmed" ml={6}>carried over from version {a.carriedFromLabel}</Text>}
              </Table.Td>
              <Table.Td>{when(a.requestedAt)}</Table.Td>
              <Table.Td>{a.dueDate ?? "—"}</Table.Td>
              <Table.Td>{when(a.acknowledgedAt)}</Table.Td>
            </Table.Tr>
          ))}
          {!rows.length && <Table.Tr><Table.Td colSpan={5}><Text size="sm" c="dimmed">Nobody is asked yet; requests open when a version is published.</Text></Table.Td></Table.Tr>}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** The signed-in person acknowledges the version in force (a signature). */
export function AcknowledgeDialog({ doc, onClose }: { doc: DocumentView; onClose: () => void }) {
  const version = doc.versions.find((v) => v.id === doc.publishedVersionId);
  const [passphrase, setPassphrase] = useState("");
  const [comment, setComment] = useState("");
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () => call("documents.acknowledge", { versionId: version!.id, passphrase, comment: comment.trim() || undefined }),
    onSuccess: () => { qc.invalidateQueries(); onClose(); },
  });
  const err = run.error as AppError | null;
  const fields = err?.fieldErrors() ?? {};
  return (
    <Modal opened onClose={onClose} title={`Acknowledge ${doc.record.reference}`}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
        <Stack>
          <Text size="sm" fw={600} data-testid="signature-meaning">I have read and understood version {version?.versionLabel} of {doc.record.reference} “{doc.record.title}” and will work to it.</Text>
          <Textarea label="Comment" value={comment} onChange={(e) => setComment(e.currentTarget.value)} error={fields.comment} />
          <PasswordInput label="Your passphrase" description="Signing records your name, the time and a fingerprint of the version." required value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)} error={fields.passphrase ?? (err?.kind === "reauth_failed" ? err.message : undefined)} data-testid="ack-passphrase" autoFocus />
          {err && !Object.keys(fields).length && err.kind !== "reauth_failed" && <ErrorAlert error={err} />}
          <Group justify="flex-end"><Button variant="default" onClick={onClose}>Back</Button><Button type="submit" loading={run.isPending} data-testid="ack-confirm">Sign</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}

const OUTCOMES: { value: ReviewOutcome; label: string }[] = [
  { value: "no_change", label: "No change" }, { value: "minor_revision", label: "Minor revision" },
  { value: "major_revision", label: "Major revision" }, { value: "retire", label: "Retire" },
];

const OUTCOME_HELP: Record<ReviewOutcome, string> = {
  no_change: "You sign that the document is still right; it stays in force and its next review is set.",
  minor_revision: "A draft minor revision opens (x.y+1); the document stays in force and returns to published when the revision is.",
  major_revision: "A draft major revision opens (x+1.0, to be acknowledged again); the document stays in force meanwhile.",
  retire: "The document leaves force; your notes are the reason.",
};

/** Records the outcome of the periodic review in progress. */
export function RecordReviewDialog({ doc, onClose }: { doc: DocumentView; onClose: () => void }) {
  const [outcome, setOutcome] = useState<ReviewOutcome>("no_change");
  const [notes, setNotes] = useState("");
  const [next, setNext] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const qc = useQueryClient();
  const signing = outcome === "no_change";
  const run = useMutation({
    mutationFn: () => call("documents.record_review", {
      id: doc.record.id, rowVersion: doc.record.rowVersion, outcome, notes,
      passphrase: signing ? passphrase : undefined, nextReviewDate: signing && next.trim() ? next.trim() : undefined,
    }),
    onSuccess: () => { qc.invalidateQueries(); onClose(); },
  });
  const err = run.error as AppError | null;
  const fields = err?.fieldErrors() ?? {};
  return (
    <Modal opened onClose={onClose} title={`Record the review of ${doc.record.reference}`} size="lg">
      <form noValidate onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
        <Stack>
          <SegmentedControl value={outcome} onChange={(v) => setOutcome(v as ReviewOutcome)} data={OUTCOMES} data-testid="review-outcome" />
          <Text size="sm" c="dimmed">{OUTCOME_HELP[outcome]}</Text>
          <Textarea label="Review notes" required autosize minRows={3} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} error={fields.notes} data-testid="review-notes" autoFocus />
          {signing && (
            <>
              <TextInput label="Next review" description="Leave empty for the usual cycle; you can bring it forward, not later" placeholder="YYYY-MM-DD" w={260}
                value={next} onChange={(e) => setNext(e.currentTarget.value)} error={fields.nextReviewDate} />
              <Text size="sm" fw={600} data-testid="signature-meaning">I have reviewed {doc.record.reference} “{doc.record.title}” and it remains fit for use without change.</Text>
              <PasswordInput label="Your passphrase" required value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)}
                error={fields.passphrase ?? (err?.kind === "reauth_failed" ? err.message : undefined)} data-testid="review-passphrase" />
            </>
          )}
          {err && !Object.keys(fields).length && err.kind !== "reauth_failed" && <ErrorAlert error={err} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Back</Button>
            <Button type="submit" loading={run.isPending} data-testid="review-confirm">{signing ? "Sign the review" : "Record the review"}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ReviewActions({ review, reference, user, canRaise }: { review: ReviewView; reference: string; user: UserView; canRaise: boolean }) {
  const [raising, setRaising] = useState(false);
  const actions = useQuery({ queryKey: ["actions.list", { sourceId: review.id }], queryFn: () => call("actions.list", { sourceId: review.id, pageSize: 200 }) });
  const items = actions.data?.items ?? [];
  return (
    <Stack gap={4}>
      {items.length > 0 && <ActionTable items={items} user={user} />}
      {canRaise && <Group><Button size="compact-xs" variant="light" onClick={() => setRaising(true)} data-testid="review-raise-action">Raise an action</Button></Group>}
      {raising && <RaiseActionDialog sourceType="document_review" sourceId={review.id} sourceReference={`${reference} review of ${review.reviewedOn}`} onClose={() => setRaising(false)} />}
    </Stack>
  );
}

/** The periodic reviews recorded, newest first, each with the actions raised from it. */
export function ReviewsPanel({ doc, user }: { doc: DocumentView; user: UserView }) {
  const r = doc.record;
  const canRaise = user.role !== "viewer" && !r.archivedAt && (r.status === "published" || r.status === "under_review");
  return (
    <Stack>
      <Text size="sm">
        Reviewed every {r.reviewFrequencyMonths} months. {r.nextReviewDate ? `Next review ${r.nextReviewDate}.` : ""}
        {r.status === "under_review" && r.reviewStartedAt ? ` Review in progress since ${formatInstantDate(r.reviewStartedAt)}.` : ""}
      </Text>
      {!doc.reviews.length && <Text size="sm" c="dimmed">No periodic review has been recorded yet.</Text>}
      {doc.reviews.map((rv) => (
        <Stack key={rv.id} gap={4} p="sm" style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 6 }} data-testid="review-row">
          <Group gap="sm">
            <Text fw={600}>{rv.reviewedOn}</Text>
            <Badge variant="light" color={rv.outcome === "no_change" ? "green" : rv.outcome === "retire" ? "gray" : "blue"}>{humanise(rv.outcome)}</Badge>
            <Text size="sm">by {rv.reviewerName}{rv.versionLabel ? ` · version ${rv.versionLabel} reviewed` : ""}</Text>
            {rv.signatureId && <Badge variant="outline" color="green" size="sm">Signed</Badge>}
          </Group>
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>{rv.notes}</Text>
          <ReviewActions review={rv} reference={r.reference} user={user} canRaise={canRaise} />
        </Stack>
      ))}
    </Stack>
  );
}

/** Names the document that replaces this one. */
export function SupersedeDialog({ doc, onClose }: { doc: DocumentView; onClose: () => void }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 200);
  const [replacement, setReplacement] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const candidates = useQuery({
    queryKey: ["documents.list", { search: q, replacement: true }],
    queryFn: () => call("documents.list", { search: q || undefined, pageSize: 20, status: ["draft", "in_review", "approved", "published", "under_review"] }),
  });
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () => call("documents.supersede", { id: doc.record.id, rowVersion: doc.record.rowVersion, replacementId: replacement ?? "", reason }),
    onSuccess: () => { qc.invalidateQueries(); onClose(); },
  });
  const err = run.error as AppError | null;
  const fields = err?.fieldErrors() ?? {};
  const data = (candidates.data?.items ?? []).filter((d) => d.id !== doc.record.id).map((d) => ({ value: d.id, label: `${d.reference} · ${d.title}` }));
  return (
    <Modal opened onClose={onClose} title={`Supersede ${doc.record.reference}`} size="lg">
      <form noValidate onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
        <Stack>
          <Text size="sm">The document leaves force and points readers to its replacement. This cannot be undone.</Text>
          <Select label="Replaced by" required searchable data={data} value={replacement} onChange={setReplacement} searchValue={search} onSearchChange={setSearch}
            nothingFoundMessage="No document matches" error={fields.replacementId} data-testid="supersede-replacement" />
          <Textarea label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fields.reason} data-testid="supersede-reason" />
          {err && !Object.keys(fields).length && <ErrorAlert error={err} />}
          <Group justify="flex-end"><Button variant="default" onClick={onClose}>Back</Button><Button type="submit" color="orange" loading={run.isPending} data-testid="supersede-confirm">Supersede</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** What the signed-in person still has to read and acknowledge. */
export function MyAcknowledgements({ navigate }: { navigate: Navigate }) {
  const mine = useQuery({ queryKey: ["documents.my_acknowledgements"], queryFn: () => call("documents.my_acknowledgements", {}) });
  const items = mine.data ?? [];
  if (!items.length) return null;
  return (
    <Alert color="blue" title={`You have ${items.length} document${items.length === 1 ? "" : "s"} to read and acknowledge`} data-testid="my-acknowledgements">
      <Stack gap={4}>
        {items.map((a) => (
          <Group key={a.versionId} gap="sm">
            <CopyRef value={a.reference} />
            <Button variant="subtle" size="compact-sm" onClick={() => navigate({ name: "document", id: a.documentId })}>{a.title} — version {a.versionLabel}</Button>
            <Text size="sm" c={a.overdue ? "red" : "dimmed"}>{a.overdue ? "overdue since" : "by"} {a.dueDate}</Text>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}
