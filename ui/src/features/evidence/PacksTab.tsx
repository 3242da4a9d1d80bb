import { useState } from "react";
import { Button, Group, SegmentedControl, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import { useJob } from "../../components/useJob";
import { JobStatus } from "../../components/JobStatus";
import { PathInput } from "../../components/PathInput";
import { IncidentPicker, RunPicker, StandardPicker } from "./pickers";

type Kind = "audit_run" | "incidents" | "standard";

/** Build a signed evidence pack: the report, the records as JSON, every evidence file and a signed manifest. */
export function PacksTab({ initialRunId }: { initialRunId?: string }) {
  const [kind, setKind] = useState<Kind>("audit_run");
  const [runId, setRunId] = useState<string | null>(initialRunId ?? null);
  const [incidents, setIncidents] = useState<string[]>([]);
  const [standardId, setStandardId] = useState<string | null>(null);
  const [path, setPath] = useState("");
  const key = useQuery({ queryKey: ["keys.installation"], queryFn: () => call("keys.installation", {}) });
  const { job, start, cancel, failure, running } = useJob();
  const subject =
    kind === "audit_run" ? (runId ? { kind, runId } : null)
    : kind === "incidents" ? (incidents.length ? { kind, incidentIds: incidents } : null)
    : standardId ? { kind, standardId } : null;
  return (
    <Stack maw={640}>
      <SegmentedControl value={kind} onChange={(v) => setKind(v as Kind)} data-testid="pack-kind"
        data={[{ value: "audit_run", label: "An audit" }, { value: "incidents", label: "Incidents" }, { value: "standard", label: "A standard's evidence" }]} />
      {kind === "audit_run" && <RunPicker value={runId} onChange={setRunId} />}
      {kind === "incidents" && <IncidentPicker value={incidents} onChange={setIncidents} />}
      {kind === "standard" && <StandardPicker value={standardId} onChange={setStandardId} />}
      <PathInput label="Save as" description="Browse…, or type a file name or full path; empty saves to the exports folder." placeholder="e.g. certification-audit.zip"
        value={path} onChange={setPath} mode="save"
        dialog={{ title: "Save the evidence pack as", kind: "Evidence pack", extensions: ["zip"], suggested: "evidence-pack.zip" }} testId="pack-path" />
      <Group>
        <Button disabled={!subject || running} loading={running} data-testid="pack-create"
          onClick={() => start("packs.create", { subject, path: path || undefined })}>
          Create evidence pack
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        Signed with this installation's key. Give the recipient its fingerprint separately (it is on the report's cover too):
      </Text>
      <Text size="xs" ff="monospace" data-testid="pack-fingerprint">{key.data?.fingerprint ?? "…"}</Text>
      <JobStatus job={job} failure={failure} onCancel={cancel} />
    </Stack>
  );
}
