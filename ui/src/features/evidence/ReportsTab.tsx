import { useState } from "react";
import { Button, Group, Select, Stack, Text, TextInput } from "@mantine/core";
import type { ReportKind } from "../../api/bindings";
import { useJob } from "../../components/useJob";
import { JobStatus } from "../../components/JobStatus";
import { PathInput } from "../../components/PathInput";
import { IncidentPicker, RunPicker, StandardPicker } from "./pickers";

const KINDS: { value: ReportKind; label: string; needs: "run" | "incident" | "standard" | "soa" | "period" | null }[] = [
  { value: "audit_run", label: "Audit report", needs: "run" },
  { value: "incident", label: "Incident report", needs: "incident" },
  { value: "incident_summary", label: "Incident summary for a period", needs: "period" },
  { value: "risk_register", label: "Risk register", needs: null },
  { value: "actions", label: "Actions and CAPA status", needs: null },
  { value: "compliance", label: "Compliance report for a standard", needs: "standard" },
  { value: "soa", label: "ISO 27001 Statement of Applicability", needs: "soa" },
  { value: "complaints", label: "Complaints summary for a period", needs: "period" },
  { value: "collisions", label: "Collision summary for a period", needs: "period" },
];

/** Choose a report and what it covers; it is typeset in the background and saved as PDF. */
export function ReportsTab({ initialKind, initialId }: { initialKind?: ReportKind; initialId?: string }) {
  const [kind, setKind] = useState<ReportKind>(initialKind ?? "audit_run");
  const [id, setId] = useState<string | null>(initialId ?? null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [path, setPath] = useState("");
  const { job, start, cancel, failure, running } = useJob();
  const needs = KINDS.find((k) => k.value === kind)?.needs;
  const ready = !needs || needs === "period" || !!id;
  return (
    <Stack maw={640}>
      <Select label="Report" data={KINDS} value={kind} onChange={(v) => { if (v) { setKind(v as ReportKind); setId(null); } }} allowDeselect={false} data-testid="report-kind" />
      {needs === "run" && <RunPicker value={id} onChange={setId} />}
      {needs === "incident" && <IncidentPicker single value={id ? [id] : []} onChange={(ids) => setId(ids[0] ?? null)} />}
      {(needs === "standard" || needs === "soa") && <StandardPicker value={id} onChange={setId} soaOnly={needs === "soa"} />}
      {needs === "period" && (
        <Group grow>
          <TextInput label="From" placeholder="YYYY-MM-DD (default: a year ago)" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput label="To" placeholder="YYYY-MM-DD (default: today)" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </Group>
      )}
      <PathInput label="Save as" description="Browse…, or type a file name or full path; empty saves to the exports folder under a standard name."
        placeholder="e.g. board-report.pdf" value={path} onChange={setPath} mode="save"
        dialog={{ title: "Save the report as", kind: "PDF report", extensions: ["pdf"], suggested: "report.pdf" }} testId="report-path" />
      <Group>
        <Button disabled={!ready || running} loading={running} data-testid="report-generate"
          onClick={() => start("reports.generate", { kind, id: id ?? undefined, from: from || undefined, to: to || undefined, path: path || undefined })}>
          Generate PDF
        </Button>
        <Text size="xs" c="dimmed">Cover, page numbers, your organisation's name and logo, and an appendix of evidence fingerprints.</Text>
      </Group>
      <JobStatus job={job} failure={failure} onCancel={cancel} />
    </Stack>
  );
}
