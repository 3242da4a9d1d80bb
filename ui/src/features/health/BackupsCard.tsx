import { useState } from "react";
import { Alert, Badge, Button, Card, Group, Modal, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { call, SESSION_ENDED } from "../../api/backend";
import type { BackupVerification } from "../../api/bindings";
import { ErrorAlert } from "../../components/ErrorAlert";
import { count } from "../../components/plural";
import { BACKUP_FILE_DIALOG, PathInput } from "../../components/PathInput";
import { formatInstant } from "../../components/time";

const mb = (n: number) => (n < 1_048_576 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1_048_576).toFixed(1)} MB`);

/** What a checked backup holds besides the records: the files a set carries, or that it is the database alone. */
export function heldFiles(v: BackupVerification): string {
  if (v.kind === "database") return "database only (evidence files and the signing key are not in it)";
  return `${count(v.evidenceFiles, "evidence file")} (${mb(v.evidenceBytes)}) · ${count(v.keyFiles, "key")}`;
}

/**
 * The backups in the backup folder (administrators): check one, see what it holds, and restore it from the app.
 * Nothing changes until the restore is confirmed; the current data is backed up first and everyone signs in again.
 */
export function BackupsCard() {
  const list = useQuery({ queryKey: ["backup.list"], queryFn: () => call("backup.list", {}) });
  const [checked, setChecked] = useState<BackupVerification | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [elsewhere, setElsewhere] = useState("");
  const verify = useMutation({ mutationFn: (path: string) => call("backup.verify", { path }), onSuccess: setChecked });
  const restore = useMutation({
    mutationFn: (path: string) => call("backup.restore", { path }),
    onSuccess: (r) => {
      setConfirming(false);
      const when = r.restoredFrom.createdAt ? formatInstant(r.restoredFrom.createdAt) : r.restoredFrom.path;
      const files = r.files.evidenceWritten > 0 ? ` ${count(r.files.evidenceWritten, "evidence file was", "evidence files were")} put back.` : "";
      window.dispatchEvent(new CustomEvent(SESSION_ENDED, { detail: `The data was restored from the backup of ${when}.${files} Everyone signs in again.` }));
    },
  });
  return (
    <Card withBorder data-testid="backups-card">
      <Stack gap="xs">
        <Title order={5}>Backups</Title>
        <ErrorAlert error={list.error ?? verify.error} />
        {list.data?.length === 0 && <Text size="sm" c="dimmed">No backup has been taken yet.</Text>}
        {!!list.data?.length && (
          <Table>
            <Table.Thead><Table.Tr><Table.Th>Taken</Table.Th><Table.Th>Holds</Table.Th><Table.Th>Size</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {list.data.slice(0, 10).map((b) => (
                <Table.Tr key={b.path} data-testid="backup-row">
                  <Table.Td>{formatInstant(b.createdAt)}</Table.Td>
                  <Table.Td>{b.kind === "set" ? <Badge variant="light">Database, files and key</Badge> : <Badge variant="light" color="gray">Database only</Badge>}</Table.Td>
                  <Table.Td>{mb(b.sizeBytes)}</Table.Td>
                  <Table.Td><Button size="compact-xs" variant="light" loading={verify.isPending && verify.variables === b.path} onClick={() => verify.mutate(b.path)} data-testid="backup-check">Check…</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group align="end" gap="xs" wrap="nowrap">
          <PathInput label="A backup elsewhere" description="A backup set on a USB stick or network folder" value={elsewhere} onChange={setElsewhere}
            mode="open" dialog={BACKUP_FILE_DIALOG} testId="backup-elsewhere" />
          <Button variant="light" disabled={!elsewhere.trim()} loading={verify.isPending && verify.variables === elsewhere}
            onClick={() => verify.mutate(elsewhere.trim())} data-testid="backup-elsewhere-check">Check a file…</Button>
        </Group>
        {checked && (
          <Alert color={checked.ok ? "green" : "red"} title={checked.ok ? "This backup verifies" : "This backup cannot be restored"} data-testid="backup-checked">
            <Stack gap={4}>
              <Text size="sm">{checked.createdAt ? `Taken ${formatInstant(checked.createdAt)}` : checked.path} · schema {checked.schemaVersion} · audit trail up to event {checked.trailHead} ({checked.auditTrail.eventsChecked} verified)</Text>
              <Text size="sm">{checked.records.filter((r) => r.kind !== "audit events").map((r) => `${r.kind}: ${r.count}`).join(" · ")}</Text>
              <Text size="sm" data-testid="backup-files">{heldFiles(checked)}</Text>
              {checked.problems.map((p) => <Text key={p} size="sm" c="red">{p}</Text>)}
              {checked.warnings.map((w) => <Text key={w} size="sm" c="orange">{w}</Text>)}
              {checked.ok && <Group><Button color="red" variant="light" onClick={() => setConfirming(true)} data-testid="backup-restore">Restore this backup…</Button></Group>}
            </Stack>
          </Alert>
        )}
        <Modal opened={confirming && !!checked} onClose={() => setConfirming(false)} title="Restore this backup?">
          {checked && (
            <Stack>
              <Text size="sm">The data goes back to the backup of <b>{checked.createdAt ? formatInstant(checked.createdAt) : checked.path}</b>. Whatever was recorded after it is taken out of the registers, and kept: a safety backup of the data as it is now is taken first, and the audit trail records the restore and which events it rolled back.</Text>
              {checked.kind === "set" && <Text size="sm">Evidence files the backup holds that are missing here are put back; files added since stay in the evidence store.</Text>}
              <Text size="sm">Everyone is signed out and signs in again with the profiles and roles of the backup.</Text>
              <ErrorAlert error={restore.error} />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>Keep the data as it is</Button>
                <Button color="red" loading={restore.isPending} onClick={() => restore.mutate(checked.path)} data-testid="backup-restore-confirm">Restore</Button>
              </Group>
            </Stack>
          )}
        </Modal>
      </Stack>
    </Card>
  );
}
