// The standards library (§3): each standard's clause tree with our paraphrases, exclusions with their
// justification, licensed text pasted from the organisation's own copy, equivalent clauses in other standards, and
// the ISO/IEC 27001 Statement of Applicability with its signed approval.
import { useState } from "react";
import { Alert, Badge, Button, Checkbox, Group, Modal, SegmentedControl, Select, Stack, Switch, Table, Tabs, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { ClauseView, ComplianceItem, SoaEntryView, SoaImplementationStatus, UserView } from "../../api/bindings";
import { humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { StepDialog } from "../../components/RecordParts";
import { count } from "../../components/plural";
import { OpenRow } from "../../components/OpenRow";

const STATUSES: SoaImplementationStatus[] = ["not_started", "planned", "partial", "implemented"];
const COVERAGE_COLOURS: Record<string, string> = { covered: "green", partial: "yellow", not_covered: "red", nonconforming: "grape", not_applicable: "gray" };
const LINKABLE = ["incident", "collision", "complaint", "risk", "finding", "audit_run", "document"];

/** Finds a record by reference or words and links it to the clause or control (audited on both ends). */
function LinkEvidence({ clauseId, controlId }: { clauseId?: string; controlId?: string }) {
  const [query, setQuery] = useState("");
  const hits = useQuery({ queryKey: ["search.global", query], queryFn: () => call("search.global", { query, limit: 10 }), enabled: query.trim().length > 1 });
  const qc = useQueryClient();
  const link = useMutation({
    mutationFn: (h: { entityType: string; id: string }) => call("compliance.link", { clauseId, controlId, entityType: h.entityType, entityId: h.id }),
    onSuccess: () => { qc.invalidateQueries({ queryKey: ["compliance.view"] }); setQuery(""); },
  });
  return (
    <Stack gap={4}>
      <TextInput label="Link a record as evidence" placeholder="Reference or words, e.g. RSK-2026-0001" value={query} onChange={(e) => setQuery(e.currentTarget.value)} data-testid="link-evidence-search" />
      {(hits.data ?? []).filter((h) => LINKABLE.includes(h.entityType)).map((h) => (
        <Group key={h.id} justify="space-between" wrap="nowrap">
          <Text size="sm" truncate>{h.reference} · {h.title}</Text>
          <Button size="compact-xs" variant="light" onClick={() => link.mutate(h)} data-testid="link-evidence">Link</Button>
        </Group>
      ))}
      {link.error && <ErrorAlert error={link.error} />}
    </Stack>
  );
}

function CompliancePanel({ standardId, canLink }: { standardId: string; canLink: boolean }) {
  const q = useQuery({ queryKey: ["compliance.view", standardId], queryFn: () => call("compliance.view", { standardId }) });
  const [open, setOpen] = useState<ComplianceItem | null>(null);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const v = q.data;
  return (
    <Stack>
      <Group gap="md">
        <Text fw={600} data-testid="coverage-percent">Coverage {v.coveragePercent != null ? `${v.coveragePercent} %` : "—"}</Text>
        {v.counts.map((c) => <Badge key={c.value} color={COVERAGE_COLOURS[c.value]} variant="light">{humanise(c.value)}: {c.count}</Badge>)}
      </Group>
      <Text size="sm" c="dimmed">Covered = current evidence: a published document not overdue for review, an answer or file from the last 12 months, or an active risk assessed in that time. Incidents, collisions, complaints and runs are listed but never make an item current.</Text>
      <Table highlightOnHover>
        <Table.Tbody>
          {v.items.map((i) => (
            <OpenRow key={i.id} onOpen={() => setOpen(i)} data-testid="compliance-row">
              <Table.Td style={{ paddingLeft: 8 + (i.level - 1) * 20, whiteSpace: "nowrap" }} fw={i.level === 1 ? 700 : undefined}>{i.number}</Table.Td>
              <Table.Td>{i.title}</Table.Td>
              <Table.Td><Badge color={COVERAGE_COLOURS[i.coverage]} variant="light">{humanise(i.coverage)}</Badge></Table.Td>
              <Table.Td><Text size="sm" c="dimmed">{i.evidenceTotal ? `${i.evidenceTotal} item${i.evidenceTotal === 1 ? "" : "s"}, ${i.currentTotal} current` : ""}</Text></Table.Td>
            </OpenRow>
          ))}
        </Table.Tbody>
      </Table>
      {open && (
        <Modal opened onClose={() => setOpen(null)} title={`${open.number} ${open.title}`} size="lg">
          <Stack>
            <Group gap="xs"><Text size="sm">Own status:</Text><Badge color={COVERAGE_COLOURS[open.own]} variant="light">{humanise(open.own)}</Badge></Group>
            <Table>
              <Table.Tbody>
                {open.evidence.map((e) => (
                  <Table.Tr key={`${e.entityType}-${e.id}`}><Table.Td>{humanise(e.entityType)}</Table.Td><Table.Td>{e.reference}</Table.Td><Table.Td>{e.title}</Table.Td><Table.Td>{e.date ?? ""}</Table.Td>
                    <Table.Td>{e.contextOnly ? <Badge variant="outline" color="gray">context</Badge> : e.current ? <Badge color="green" variant="light">current</Badge> : <Badge color="yellow" variant="light">old</Badge>}</Table.Td></Table.Tr>
                ))}
                {!open.evidence.length && <Table.Tr><Table.Td><Text size="sm" c="dimmed">No evidence linked yet.</Text></Table.Td></Table.Tr>}
                {open.evidenceTotal > open.evidence.length && <Table.Tr><Table.Td colSpan={5}><Text size="sm" c="dimmed">and {open.evidenceTotal - open.evidence.length} more</Text></Table.Td></Table.Tr>}
              </Table.Tbody>
            </Table>
            {canLink && <LinkEvidence clauseId={open.isControl ? undefined : open.id} controlId={open.isControl ? open.id : undefined} />}
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}

function ClauseDialog({ clause, code, editable, onClose }: { clause: ClauseView; code: string; editable: boolean; onClose: () => void }) {
  const [excluded, setExcluded] = useState(clause.excluded);
  const [why, setWhy] = useState(clause.exclusionJustification ?? "");
  const [licensed, setLicensed] = useState(clause.licensedText ?? "");
  const mapped = useQuery({ queryKey: ["standards.mappings", clause.id], queryFn: () => call("standards.mappings", { id: clause.id }) });
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => call("standards.update_clause", { id: clause.id, rowVersion: clause.rowVersion, changes: { excluded, exclusionJustification: why.trim() || null, licensedText: licensed.trim() || null } }),
    onSuccess: () => { qc.invalidateQueries(); onClose(); },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  return (
    <Modal opened onClose={onClose} title={`${code} ${clause.number} ${clause.title}`} size="lg">
      <Stack>
        <Text>{clause.paraphrase}</Text>
        <Text size="xs" c="dimmed">Our own one-line summary, not the standard's text.</Text>
        {mapped.data && mapped.data.length > 0 && (
          <Text size="sm">Equivalent in: {mapped.data.map((m) => `${m.standardCode} ${m.number}`).join(", ")}</Text>
        )}
        <Checkbox label="Excluded from our management system" checked={excluded} disabled={!editable} onChange={(e) => setExcluded(e.currentTarget.checked)} data-testid="clause-excluded" />
        {excluded && <Textarea label="Why it does not apply" required value={why} disabled={!editable} onChange={(e) => setWhy(e.currentTarget.value)} error={fields.exclusionJustification} />}
        <Textarea label="Licensed text" description="Paste from your organisation's licensed copy; kept on this computer only." autosize minRows={3} value={licensed} disabled={!editable} onChange={(e) => setLicensed(e.currentTarget.value)} />
        {save.error && !Object.keys(fields).length && <ErrorAlert error={save.error} />}
        {editable && <Group justify="flex-end"><Button variant="default" onClick={onClose}>Cancel</Button><Button onClick={() => save.mutate()} loading={save.isPending}>Save</Button></Group>}
      </Stack>
    </Modal>
  );
}

function SoaRow({ e, editable }: { e: SoaEntryView; editable: boolean }) {
  const [editing, setEditing] = useState(false);
  const [why, setWhy] = useState(e.justification ?? "");
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (changes: Record<string, unknown>) => call("soa.update", { id: e.id, rowVersion: e.rowVersion, changes }),
    onSuccess: () => { qc.invalidateQueries({ queryKey: ["soa.get"] }); setEditing(false); },
  });
  return (
    <Table.Tr data-testid="soa-row">
      <Table.Td>{e.controlNumber}</Table.Td>
      <Table.Td>{e.controlTitle}</Table.Td>
      <Table.Td><Switch checked={e.applicable} disabled={!editable} onChange={(x) => save.mutate({ applicable: x.currentTarget.checked })} aria-label={`${e.controlNumber} applicable`} /></Table.Td>
      <Table.Td>
        <Select size="xs" w={140} data={STATUSES.map((s) => ({ value: s, label: humanise(s) }))} value={e.implementationStatus} disabled={!editable} allowDeselect={false}
          onChange={(v) => v && save.mutate({ implementationStatus: v })} aria-label={`${e.controlNumber} implementation`} />
      </Table.Td>
      <Table.Td>
        {editing ? (
          <Group gap={4} wrap="nowrap"><Textarea size="xs" autosize value={why} onChange={(x) => setWhy(x.currentTarget.value)} style={{ flex: 1 }} autoFocus />
            <Button size="compact-xs" onClick={() => save.mutate({ justification: why.trim() || null })}>Save</Button></Group>
        ) : (
          <Text size="sm" c={e.justification ? undefined : "orange"} onClick={() => editable && setEditing(true)} style={{ cursor: editable ? "pointer" : undefined }}>
            {e.justification ?? (editable ? "Add justification" : "—")}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{e.lastReviewedOn ?? "—"}{e.reviewDue && <Badge ml={4} size="xs" color="orange" variant="light">review due</Badge>}</Table.Td>
    </Table.Tr>
  );
}

function SoaPanel({ standardId, editable }: { standardId: string; editable: boolean }) {
  const q = useQuery({ queryKey: ["soa.get", standardId], queryFn: () => call("soa.get", { standardId }) });
  const [approving, setApproving] = useState(false);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const soa = q.data;
  const applicable = soa.entries.filter((e) => e.applicable).length;
  return (
    <Stack>
      <Group justify="space-between">
        <Group gap="sm">
          <Text size="sm">{applicable} of {soa.entries.length} controls applicable · {soa.entries.filter((e) => e.implementationStatus === "implemented").length} implemented</Text>
          {soa.approval && <Badge color={soa.changedSinceApproval ? "orange" : "green"}>{soa.changedSinceApproval ? "Changed since approval" : `Approved by ${soa.approval.signerName}`}</Badge>}
        </Group>
        {editable && <Button onClick={() => setApproving(true)} disabled={soa.missingJustifications.length > 0} data-testid="soa-approve">Approve the SoA (sign)</Button>}
      </Group>
      {soa.missingJustifications.length > 0 && <Alert color="orange">{count(soa.missingJustifications.length, "entry", "entries")} still need a justification before the SoA can be approved.</Alert>}
      <Table striped>
        <Table.Thead><Table.Tr><Table.Th>Control</Table.Th><Table.Th>Title</Table.Th><Table.Th>Applicable</Table.Th><Table.Th>Implementation</Table.Th><Table.Th>Justification</Table.Th><Table.Th>Reviewed</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>{soa.entries.map((e) => <SoaRow key={e.id} e={e} editable={editable} />)}</Table.Tbody>
      </Table>
      {approving && (
        <StepDialog title="Approve the Statement of Applicability" needs={["passphrase"]}
          signatureText="I approve this Statement of Applicability: every control's applicability, justification and implementation status as shown."
          run={(values) => call("soa.approve", { standardId, passphrase: values.passphrase ?? "", comment: values.comment })} onClose={() => setApproving(false)} />
      )}
    </Stack>
  );
}

export function StandardsPage({ user }: { user: UserView }) {
  const list = useQuery({ queryKey: ["standards.list"], queryFn: () => call("standards.list", {}) });
  const [code, setCode] = useState("ISO9001");
  const std = useQuery({ queryKey: ["standards.get", code], queryFn: () => call("standards.get", { id: code }) });
  const [open, setOpen] = useState<ClauseView | null>(null);
  const editable = user.role === "admin" || user.role === "manager";
  if (list.error) return <ErrorAlert error={list.error} />;
  const s = std.data;
  return (
    <Stack>
      <Title order={2}>Standards library</Title>
      <SegmentedControl value={code} onChange={setCode} data={(list.data ?? []).map((x) => ({ value: x.code, label: `${x.code.replace("ISO", "ISO ")}:${x.edition}` }))} data-testid="standard-picker" />
      {s && (
        <Tabs defaultValue="clauses" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="clauses">Clauses ({s.clauses.length})</Tabs.Tab>
            <Tabs.Tab value="compliance" data-testid="tab-compliance">Compliance</Tabs.Tab>
            {s.controls.length > 0 && <Tabs.Tab value="soa" data-testid="tab-soa">Statement of Applicability</Tabs.Tab>}
          </Tabs.List>
          <Tabs.Panel value="clauses" pt="md">
            <Text size="sm" c="dimmed" mb="sm">{s.standard.title}. Titles are the standard's; the one-line summaries are our own words.</Text>
            <Table highlightOnHover data-testid="clause-table">
              <Table.Tbody>
                {s.clauses.flatMap((c) => [
                  <OpenRow key={c.id} onOpen={() => setOpen(c)} data-testid="clause-row">
                    <Table.Td style={{ paddingLeft: 8 + (c.level - 1) * 20, whiteSpace: "nowrap" }} fw={c.level === 1 ? 700 : undefined}>{c.number}</Table.Td>
                    <Table.Td fw={c.level === 1 ? 700 : undefined}>{c.title}{c.excluded && <Badge ml={6} color="gray" size="sm">Excluded</Badge>}</Table.Td>
                    <Table.Td><Text size="sm" c="dimmed">{c.paraphrase}</Text></Table.Td>
                  </OpenRow>,
                  // Annex A controls sit under their theme.
                  ...s.controls.filter((k) => k.clauseId === c.id).map((k) => (
                    <Table.Tr key={k.id}>
                      <Table.Td style={{ paddingLeft: 28, whiteSpace: "nowrap" }}>{k.number}</Table.Td><Table.Td>{k.title}</Table.Td><Table.Td><Text size="sm" c="dimmed">{k.paraphrase}</Text></Table.Td>
                    </Table.Tr>
                  )),
                ])}
              </Table.Tbody>
            </Table>
          </Tabs.Panel>
          <Tabs.Panel value="compliance" pt="md"><CompliancePanel standardId={s.standard.id} canLink={user.role !== "viewer"} /></Tabs.Panel>
          <Tabs.Panel value="soa" pt="md"><SoaPanel standardId={s.standard.id} editable={editable} /></Tabs.Panel>
        </Tabs>
      )}
      {open && s && <ClauseDialog clause={open} code={s.standard.code} editable={editable} onClose={() => setOpen(null)} />}
    </Stack>
  );
}
