import { Badge, Button, Card, CopyButton, Group, Stack, Table, Text, Title, Code } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { CheckStatus } from "../../api/bindings";
import { ErrorAlert } from "../../components/ErrorAlert";
import { JobStatus } from "../../components/JobStatus";
import { useJob } from "../../components/useJob";
import type { BackupInfo } from "../../api/bindings";
import { BackupsCard } from "./BackupsCard";

const COLOURS: Record<CheckStatus, string> = { ok: "green", warn: "yellow", fail: "red" };
const LABELS: Record<CheckStatus, string> = { ok: "OK", warn: "Warning", fail: "Failed" };

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;

export function HealthPanel({ admin = false }: { admin?: boolean }) {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ["health.report"], queryFn: () => call("health.report", {}) });
  const bundle = useMutation({
    mutationFn: () => call("health.support_bundle", {}),
    onSuccess: (b) => notifications.show({ color: "green", title: "Support bundle saved", message: b.path, autoClose: false }),
  });
  // A backup set copies every evidence file: it runs as a job, with progress and Cancel.
  const backup = useJob();
  const { job: backupJob, reset: resetBackup } = backup;
  useEffect(() => {
    if (backupJob?.state !== "succeeded") return;
    const taken = backupJob.result as BackupInfo;
    qc.invalidateQueries({ queryKey: ["health.report"] });
    qc.invalidateQueries({ queryKey: ["backup.list"] });
    notifications.show({ color: "green", title: "Backup taken", message: taken.path });
    resetBackup();
  }, [backupJob, qc, resetBackup]);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const r = q.data;
  return (
    <Stack maw={1000}>
      <Group justify="space-between">
        <Group>
          <Title order={2}>Health</Title>
          <Badge size="lg" color={COLOURS[r.overall]} data-testid="health-overall">{LABELS[r.overall]}</Badge>
        </Group>
        <Group>
          <Button variant="default" onClick={() => q.refetch()} loading={q.isFetching} data-testid="health-rerun">
            Run checks again
          </Button>
          <Button variant="default" onClick={() => void backup.start("backup.create", {})} loading={backup.running}>Back up now</Button>
          <CopyButton value={JSON.stringify(r, null, 2)}>
            {({ copied, copy }) => <Button variant="default" onClick={copy}>{copied ? "Copied" : "Copy report as JSON"}</Button>}
          </CopyButton>
          <Button onClick={() => bundle.mutate()} loading={bundle.isPending}>Save support bundle</Button>
        </Group>
      </Group>
      {bundle.error && <ErrorAlert error={bundle.error} />}
      {/* A finished backup is announced by the notification above; the panel shows only one that runs or failed. */}
      <JobStatus job={backup.job?.state === "succeeded" ? null : backup.job} failure={backup.failure} onCancel={() => void backup.cancel()} />
      <Card withBorder p={0}>
        <Table data-testid="health-checks">
          <Table.Tbody>
            {r.checks.map((c) => (
              <Table.Tr key={c.id} data-testid={`check-${c.id}`}>
                <Table.Td w={110}><Badge color={COLOURS[c.status]}>{LABELS[c.status]}</Badge></Table.Td>
                <Table.Td w={200}><Text fw={600} size="sm">{c.title}</Text></Table.Td>
                <Table.Td>
                  <Text size="sm">{c.detail}</Text>
                  {c.action && <Text size="sm" c="dimmed">What to do: {c.action}</Text>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {admin && <BackupsCard />}
      <Card withBorder>
        <Title order={5} mb="xs">For support</Title>
        <Table>
          <Table.Tbody>
            <Table.Tr><Table.Td>Version</Table.Td><Table.Td>{r.app.version} · {r.app.build} · {r.app.os}/{r.app.arch}</Table.Td></Table.Tr>
            <Table.Tr><Table.Td>Data folder</Table.Td><Table.Td><Code>{r.paths.dataDir}</Code></Table.Td></Table.Tr>
            <Table.Tr><Table.Td>Database</Table.Td><Table.Td><Code>{r.paths.database}</Code> · {mb(r.database.fileSizeBytes)} · WAL {mb(r.database.walSizeBytes)} · SQLite {r.database.sqliteVersion}</Table.Td></Table.Tr>
            <Table.Tr><Table.Td>Schema</Table.Td><Table.Td>version {r.database.schemaVersion}; applied {r.database.appliedMigrations.join(", ") || "none"}; pending {r.database.pendingMigrations.join(", ") || "none"}</Table.Td></Table.Tr>
            <Table.Tr><Table.Td>Logs</Table.Td><Table.Td><Code>{r.paths.logs}</Code>{r.storage.newestLogFile && <> · newest <Code>{r.storage.newestLogFile}</Code></>}</Table.Td></Table.Tr>
            <Table.Tr><Table.Td>Backups</Table.Td><Table.Td><Code>{r.paths.backups}</Code> · {r.storage.backupCount} kept{r.storage.newestBackupAgeHours !== null && ` · newest ${r.storage.newestBackupAgeHours} h old`}</Table.Td></Table.Tr>
            <Table.Tr><Table.Td>Free disk</Table.Td><Table.Td>{r.storage.freeDiskBytes === null ? "unknown" : mb(r.storage.freeDiskBytes)}</Table.Td></Table.Tr>
            <Table.Tr><Table.Td>Records</Table.Td><Table.Td>{r.records.map((c) => `${c.kind}: ${c.count}`).join(" · ")}</Table.Td></Table.Tr>
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
