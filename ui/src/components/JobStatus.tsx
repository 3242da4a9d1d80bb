import { Alert, Button, Code, Group, Progress, Stack, Text } from "@mantine/core";
import type { ExportOutcome, JobView } from "../api/bindings";
import { openOutput } from "../api/backend";
import { ErrorAlert } from "./ErrorAlert";

function human(bytes: number) {
  if (bytes >= 1 << 20) return `${(bytes / 1048576).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Progress of a running job with Cancel; once done, where the file is, with buttons to open it or its folder. */
export function JobStatus({ job, failure, onCancel }: { job: JobView | null; failure: unknown; onCancel: () => void }) {
  if (failure) return <ErrorAlert error={failure} />;
  if (!job) return null;
  if (job.state === "running") {
    const pct = job.total > 0 ? Math.min(100, (job.done / job.total) * 100) : undefined;
    return (
      <Stack gap={4} data-testid="job-running">
        <Group justify="space-between">
          <Text size="sm">{job.phase || "Starting"}…{job.total > 0 && ` ${Math.round(pct ?? 0)}%`}</Text>
          <Button size="xs" variant="default" onClick={onCancel} data-testid="job-cancel">Cancel</Button>
        </Group>
        <Progress value={pct ?? 100} animated={pct === undefined} striped={pct === undefined} />
      </Stack>
    );
  }
  if (job.state === "cancelled") {
    return <Alert color="gray" data-testid="job-cancelled">Cancelled. Nothing was written.</Alert>;
  }
  // Every file-writing command (export, report, pack) answers with an ExportOutcome.
  const result = job.result as ExportOutcome | undefined;
  if (job.state === "succeeded" && result?.path) {
    return (
      <Alert color="green" title="Saved" data-testid="job-done">
        <Stack gap={6}>
          <Code data-testid="job-path">{result.path}</Code>
          <Text size="xs" c="dimmed">
            {human(result.bytes)} · SHA-256 {result.sha256.slice(0, 16)}…
          </Text>
          {(result.warnings ?? []).map((warning) => (
            <Alert key={warning} color="yellow" variant="outline" p="xs" data-testid="job-warning">
              <Text size="sm">{warning}</Text>
            </Alert>
          ))}
          <Group gap="xs">
            <Button size="xs" onClick={() => openOutput(result.path, false)}>Open</Button>
            <Button size="xs" variant="default" onClick={() => openOutput(result.path, true)}>Show in folder</Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  return null;
}
