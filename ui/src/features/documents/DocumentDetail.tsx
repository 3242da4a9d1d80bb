import { useEffect, useState } from "react";
import { Alert, Badge, Button, Group, Modal, Paper, SegmentedControl, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { DocumentVersion, DocumentView, RevisionKind, UserView, VersionTransitionOption } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { EvidencePanel } from "../../components/EvidencePanel";
import { ArchiveDialog, Field, HistoryTable, SignatureList, StepDialog, TransitionButtons } from "../../components/RecordParts";
import { AcknowledgeDialog, AcknowledgementPanel, RecordReviewDialog, ReviewsPanel, SupersedeDialog } from "./DocumentInForce";
import { formatInstant, formatInstantDate } from "../../components/time";
import { LinkedRisksPanel } from "../risks/RiskDialogs";

/** Documents open by id, or by reference when reached from an action raised in a review. */
const getInput = (id: string) => (/^[A-Z]+-\d{4}-\d+$/.test(id) ? { reference: id } : { id });

const STEP: Record<string, string> = { in_review: "Send for review", draft: "Return to author", approved: "Approve (sign)", published: "Publish" };

/** The version being prepared: its content while a draft, its effective date until it is published, its files. */
function WorkingVersion({ doc, ver, editable }: { doc: DocumentView; ver: DocumentVersion; editable: boolean }) {
  const draft = ver.status === "draft";
  const [body, setBody] = useState(ver.body ?? "");
  const [summary, setSummary] = useState(ver.changeSummary ?? "");
  const [effective, setEffective] = useState(ver.effectiveDate ?? "");
  useEffect(() => { setBody(ver.body ?? ""); setSummary(ver.changeSummary ?? ""); setEffective(ver.effectiveDate ?? ""); }, [ver]);
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => {
      const changes: Record<string, string | null> = {};
      if (draft && body !== (ver.body ?? "")) changes.body = body.trim() ? body : null;
      if (draft && summary !== (ver.changeSummary ?? "")) changes.changeSummary = summary.trim() ? summary : null;
      if (effective !== (ver.effectiveDate ?? "")) changes.effectiveDate = effective.trim() || null;
      return call("documents.edit_version", { versionId: ver.id, rowVersion: ver.rowVersion, changes });
    },
    onSuccess: () => qc.invalidateQueries(),
  });
  const [discarding, setDiscarding] = useState(false);
  const discard = useMutation({
    mutationFn: () => call("documents.discard_draft", { versionId: ver.id, rowVersion: ver.rowVersion }),
    onSuccess: () => { setDiscarding(false); qc.invalidateQueries(); },
  });
  const err = save.error as AppError | null;
  const fields = err?.fieldErrors() ?? {};
  const dirty = body !== (ver.body ?? "") || summary !== (ver.changeSummary ?? "") || effective !== (ver.effectiveDate ?? "");
  return (
    <Stack>
      <Group gap="sm"><Title order={4}>Version {ver.versionLabel}</Title><StatusBadge value={ver.status} /></Group>
      {err && !Object.keys(fields).length && <ErrorAlert error={err} />}
      {(ver.major > 1 || ver.minor > 0) && <Textarea label="What changed" required autosize value={summary} onChange={(e) => setSummary(e.currentTarget.value)} disabled={!editable || !draft} error={fields.changeSummary} data-testid="version-summary" />}
      <Textarea label="Content (Markdown)" autosize minRows={10} maxRows={30} value={body} onChange={(e) => setBody(e.currentTarget.value)} disabled={!editable || !draft} error={fields.body} data-testid="version-body" />
      {(draft || ver.status === "approved") && (
        <TextInput label="Effective date" description="Needed to publish; today or later, not before the approval" placeholder="YYYY-MM-DD" w={260} value={effective}
          onChange={(e) => setEffective(e.currentTarget.value)} disabled={!editable} error={fields.effectiveDate} data-testid="version-effective" />
      )}
      {editable && (
        <Group>
          <Button onClick={() => save.mutate()} disabled={!dirty} loading={save.isPending} data-testid="version-save">Save version</Button>
          {/* Only a revision never sent for review, beside a version in force, can go (§1.5); the history keeps it. */}
          {draft && !ver.submittedAt && doc.versions.length > 1 && (
            <Button variant="subtle" color="red" onClick={() => setDiscarding(true)} data-testid="version-discard">Discard this revision</Button>
          )}
        </Group>
      )}
      <EvidencePanel entityType="document_version" entityId={ver.id} editable={editable && draft && !doc.record.archivedAt} />
      {discarding && (
        <Modal opened onClose={() => setDiscarding(false)} title={`Discard version ${ver.versionLabel}?`}>
          <Stack>
            <Text size="sm">The draft and its links to attached files are removed; the files stay in the evidence store, the document's
              history keeps the draft's last content, and version {doc.versions.find((x) => x.status === "published")?.versionLabel ?? ""} stays in force.</Text>
            {discard.error && <ErrorAlert error={discard.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDiscarding(false)}>Keep it</Button>
              <Button color="red" loading={discard.isPending} onClick={() => discard.mutate()} data-testid="version-discard-confirm">Discard</Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}

function RevisionDialog({ doc, onClose }: { doc: DocumentView; onClose: () => void }) {
  const [kind, setKind] = useState<RevisionKind>("minor");
  const [summary, setSummary] = useState("");
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () => call("documents.new_revision", { id: doc.record.id, rowVersion: doc.record.rowVersion, kind, changeSummary: summary }),
    onSuccess: () => { qc.invalidateQueries(); onClose(); },
  });
  const fields = (run.error as AppError | null)?.fieldErrors() ?? {};
  return (
    <Modal opened onClose={onClose} title={`Revise ${doc.record.reference}`}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
        <Stack>
          <Text size="sm">The published version stays in force until the revision is approved and published.</Text>
          <SegmentedControl value={kind} onChange={(v) => setKind(v as RevisionKind)} data={[{ value: "minor", label: "Minor (x.y+1)" }, { value: "major", label: "Major (x+1.0, re-acknowledged)" }]} />
          <Textarea label="What will change" required value={summary} onChange={(e) => setSummary(e.currentTarget.value)} error={fields.changeSummary} data-testid="revision-summary" autoFocus />
          {run.error && !Object.keys(fields).length && <ErrorAlert error={run.error} />}
          <Group justify="flex-end"><Button variant="default" onClick={onClose}>Cancel</Button><Button type="submit" loading={run.isPending} data-testid="revision-save">Start revision</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function DocumentDetail({ id, navigate, user }: { id: string; navigate: Navigate; user: UserView }) {
  const q = useQuery({ queryKey: ["documents.get", id], queryFn: () => call("documents.get", getInput(id)) });
  const [step, setStep] = useState<VersionTransitionOption | null>(null);
  const [dialog, setDialog] = useState<"revise" | "retire" | "archive" | "start-review" | "review" | "supersede" | "acknowledge" | null>(null);
  const [tab, setTab] = useState<string | null>(null);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const v = q.data;
  const r = v.record;
  const author = user.role === "admin" || user.role === "manager";
  const working = v.versions.find((x) => x.id === v.workingVersionId) ?? null;
  const published = v.versions.find((x) => x.id === v.publishedVersionId) ?? null;
  const inForce = r.status === "published" || r.status === "under_review";
  const myAck = v.acknowledgements.find((a) => a.userId === user.id && a.status === "pending");
  const acked = v.acknowledgements.filter((a) => a.status === "acknowledged").length;
  return (
    <Stack>
      <Group justify="space-between" align="start">
        <Stack gap={4}>
          <Group gap="sm">
            <CopyRef value={r.reference} />
            <StatusBadge value={r.status} />
            {published && <Badge variant="light">In force: version {published.versionLabel}</Badge>}
            {v.reviewOverdue && <Badge color="red">Review overdue</Badge>}
            {r.archivedAt && <Badge color="gray">Archived</Badge>}
          </Group>
          <Title order={2} data-testid="document-title">{r.title}</Title>
          <Text size="sm" c="dimmed">{humanise(r.documentType)} · owner {v.ownerName ?? "—"} · {humanise(r.confidentiality)}{r.nextReviewDate ? ` · next review ${r.nextReviewDate}` : ""}</Text>
        </Stack>
        <Group>
          {author && !r.archivedAt && <Button variant="default" onClick={() => navigate({ name: "document-edit", id: r.id })} data-testid="edit-document">Edit</Button>}
          {author && <TransitionButtons options={v.transitions} label={(t) => STEP[t.to] ?? humanise(t.to)} onChoose={setStep} />}
          {author && inForce && !working && !r.archivedAt && <Button variant="light" onClick={() => setDialog("revise")} data-testid="new-revision">Revise</Button>}
          {myAck && inForce && !r.archivedAt && <Button color="green" onClick={() => setDialog("acknowledge")} data-testid="acknowledge">Acknowledge</Button>}
          {author && r.status === "published" && !r.archivedAt && <Button variant="light" onClick={() => setDialog("start-review")} data-testid="start-review">Start review</Button>}
          {author && r.status === "under_review" && !r.archivedAt && <Button onClick={() => setDialog("review")} data-testid="record-review">Record review</Button>}
          {author && inForce && !r.archivedAt && <Button variant="light" color="orange" onClick={() => setDialog("supersede")} data-testid="supersede">Supersede</Button>}
          {author && inForce && !r.archivedAt && <Button variant="light" color="orange" onClick={() => setDialog("retire")}>Retire</Button>}
          {author && <Button variant="light" color={r.archivedAt ? "blue" : "red"} onClick={() => setDialog("archive")}>{r.archivedAt ? "Restore" : "Archive"}</Button>}
        </Group>
      </Group>
      {v.supersededBy && (
        <Alert color="orange" title="Superseded" data-testid="superseded-by">
          Replaced by <Button variant="subtle" size="compact-sm" onClick={() => navigate({ name: "document", id: v.supersededBy!.id })}>{v.supersededBy.reference} · {v.supersededBy.title}</Button>
          {r.supersededAt ? ` on ${formatInstantDate(r.supersededAt)}` : ""}.
        </Alert>
      )}
      {v.supersedes.length > 0 && (
        <Text size="sm">Replaces {v.supersedes.map((d) => (
          <Button key={d.id} variant="subtle" size="compact-sm" onClick={() => navigate({ name: "document", id: d.id })}>{d.reference} · {d.title}</Button>
        ))}</Text>
      )}
      {myAck && <Alert color="blue" title="Please read and acknowledge">You are asked to acknowledge version {myAck.versionLabel} by {myAck.dueDate}{myAck.overdue ? " (overdue)" : ""}.</Alert>}
      <SignatureList signatures={v.signatures} />
      {/* The working tab goes away once its version is published; fall back to what is in force. */}
      <Tabs value={tab && (tab !== "working" || working) ? tab : working ? "working" : "published"} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          {working && <Tabs.Tab value="working" data-testid="tab-working">Version {working.versionLabel} ({humanise(working.status)})</Tabs.Tab>}
          <Tabs.Tab value="published">In force</Tabs.Tab>
          <Tabs.Tab value="versions">Versions ({v.versions.length})</Tabs.Tab>
          {r.acknowledgementRequired && <Tabs.Tab value="acks" data-testid="tab-acks">Acknowledgements ({acked}/{v.acknowledgements.length})</Tabs.Tab>}
          <Tabs.Tab value="reviews" data-testid="tab-reviews">Reviews ({v.reviews.length})</Tabs.Tab>
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="history" data-testid="tab-history">History</Tabs.Tab>
        </Tabs.List>
        {working && <Tabs.Panel value="working" pt="md"><WorkingVersion doc={v} ver={working} editable={author && !r.archivedAt} /></Tabs.Panel>}
        <Tabs.Panel value="published" pt="md">
          {published ? (
            <Stack>
              <Text size="sm" c="dimmed">Version {published.versionLabel}, effective {published.effectiveDate ?? "—"}, published {formatInstant(published.publishedAt)}.</Text>
              <Paper withBorder p="md"><Text style={{ whiteSpace: "pre-wrap" }} data-testid="published-body">{published.body ?? "(content in the attached files)"}</Text></Paper>
              <EvidencePanel entityType="document_version" entityId={published.id} editable={false} />
            </Stack>
          ) : <Text size="sm">Nothing is published yet.</Text>}
        </Tabs.Panel>
        <Tabs.Panel value="versions" pt="md">
          <Table striped>
            <Table.Thead><Table.Tr><Table.Th>Version</Table.Th><Table.Th>Status</Table.Th><Table.Th>What changed</Table.Th><Table.Th>Approved</Table.Th><Table.Th>Effective</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {v.versions.map((x) => (
                <Table.Tr key={x.id}>
                  <Table.Td>{x.versionLabel}</Table.Td><Table.Td><StatusBadge value={x.status} /></Table.Td><Table.Td>{x.changeSummary ?? (x.major === 1 && x.minor === 0 ? "First issue" : "")}</Table.Td>
                  <Table.Td>{formatInstantDate(x.approvedAt)}</Table.Td><Table.Td>{x.effectiveDate ?? "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="acks" pt="md"><AcknowledgementPanel doc={v} /></Tabs.Panel>
        <Tabs.Panel value="reviews" pt="md"><ReviewsPanel doc={v} user={user} /></Tabs.Panel>
        <Tabs.Panel value="details" pt="md">
          <Paper withBorder p="md">
            <SimpleGrid cols={4}>
              <Field label="Category" value={r.category} /><Field label="Department" value={r.department} /><Field label="Review every" value={`${r.reviewFrequencyMonths} months`} />
              <Field label="Acknowledgement" value={r.acknowledgementRequired ? `Required within ${r.ackWithinDays} days` : "Not required"} />
              <Field label="Acknowledged by" value={[...v.ackRoles.map((x) => `every ${humanise(x).toLowerCase()}`), ...v.ackUsers.map((u) => u.name)].join(", ")} />
              <Field label="Tags" value={v.tags.join(", ")} /><Field label="Legacy reference" value={r.legacyReference} />
            </SimpleGrid>
            <Field label="Description" value={r.description} />
          </Paper>
          <LinkedRisksPanel kind="document" id={r.id} reference={r.reference} risks={v.linkedRisks} canLink={author && !r.archivedAt} navigate={navigate} />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md"><HistoryTable command="documents.history" id={r.id} /></Tabs.Panel>
      </Tabs>
      {step && working && (
        <StepDialog title={`${STEP[step.to] ?? humanise(step.to)}: ${r.reference} version ${working.versionLabel}`} needs={step.needs}
          signatureText={step.signature ? `I approve version ${working.versionLabel} of ${r.reference} “${r.title}”, its content and attached files, for publication.` : undefined}
          run={(values) => call("documents.version_transition", { versionId: working.id, rowVersion: working.rowVersion, to: step.to, ...values })} onClose={() => setStep(null)} />
      )}
      {dialog === "revise" && <RevisionDialog doc={v} onClose={() => setDialog(null)} />}
      {dialog === "acknowledge" && <AcknowledgeDialog doc={v} onClose={() => setDialog(null)} />}
      {dialog === "review" && <RecordReviewDialog doc={v} onClose={() => setDialog(null)} />}
      {dialog === "supersede" && <SupersedeDialog doc={v} onClose={() => setDialog(null)} />}
      {dialog === "start-review" && (
        <StepDialog title={`Start the periodic review of ${r.reference}`} needs={[]}
          run={() => call("documents.start_review", { id: r.id, rowVersion: r.rowVersion })} onClose={() => setDialog(null)} />
      )}
      {dialog === "retire" && (
        <StepDialog title={`Retire ${r.reference}`} needs={["reason"]} labels={{ reason: "Why it is withdrawn" }}
          run={(values) => call("documents.retire", { id: r.id, rowVersion: r.rowVersion, reason: values.reason ?? "" })} onClose={() => setDialog(null)} />
      )}
      {dialog === "archive" && (
        <ArchiveDialog reference={r.reference} kind="document" archived={!!r.archivedAt} onClose={() => setDialog(null)}
          run={(reason) => call(r.archivedAt ? "documents.restore" : "documents.archive", { id: r.id, rowVersion: r.rowVersion, reason })} />
      )}
    </Stack>
  );
}
