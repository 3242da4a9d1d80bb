// The files attached to a record (§14): attach from the computer, see name, size, fingerprint and who attached it,
// detach (the file itself is kept). Bytes travel to the backend, which stores them once under their SHA-256.
import { Button, FileButton, Group, Paper, Stack, Table, Text, Title, Tooltip } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconPaperclip } from "@tabler/icons-react";
import { call, openEvidence } from "../api/backend";
import { ATTACHABLE_EXTENSIONS, type EvidenceTarget } from "../api/bindings";
import { ErrorAlert } from "./ErrorAlert";
import { formatInstant } from "./time";

function size(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The file's bytes as base64 (FileReader streams it; no string-building over large files). */
/** What the system's file chooser offers: the types the backend accepts as evidence. */
export const ATTACHABLE_ACCEPT = ATTACHABLE_EXTENSIONS.map((e) => `.${e}`).join(",");

export function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read"));
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.readAsDataURL(file);
  });
}

export function EvidencePanel({ entityType, entityId, editable }: { entityType: EvidenceTarget; entityId: string; editable: boolean }) {
  const key = ["evidence.list", entityType, entityId];
  const files = useQuery({ queryKey: key, queryFn: () => call("evidence.list", { entityType, entityId }) });
  const qc = useQueryClient();
  const attach = useMutation({
    mutationFn: async (file: File) =>
      call("evidence.attach", { entityType, entityId, contentBase64: await toBase64(file), originalName: file.name, source: "upload" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  const open = useMutation({ mutationFn: (evidenceId: string) => openEvidence(evidenceId) });
  const detach = useMutation({
    mutationFn: (evidenceId: string) => call("evidence.detach", { evidenceId, entityType, entityId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  return (
    <Paper withBorder p="md" data-testid="evidence-panel">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Evidence files</Title>
        {editable && (
          <FileButton onChange={(f) => f && attach.mutate(f)} accept={ATTACHABLE_ACCEPT}>
            {(props) => <Button {...props} size="compact-sm" variant="light" leftSection={<IconPaperclip size={14} />} loading={attach.isPending} data-testid="attach-file">Attach file</Button>}
          </FileButton>
        )}
      </Group>
      <Stack gap="xs">
        {attach.error && <ErrorAlert error={attach.error} />}
        {detach.error && <ErrorAlert error={detach.error} />}
        {open.error && <ErrorAlert error={open.error} />}
        {files.data?.length === 0 && <Text size="sm" c="dimmed">No files attached. Photos, statements, certificates: each is kept once, fingerprinted with SHA-256.</Text>}
        {!!files.data?.length && (
          <Table>
            <Table.Tbody>
              {files.data.map((a) => (
                <Table.Tr key={a.file.id} data-testid="evidence-row">
                  <Table.Td>
                    <Button variant="subtle" size="compact-sm" onClick={() => open.mutate(a.file.id)} data-testid="open-file">{a.file.originalName}</Button>
                    {a.file.caption && <Text size="xs" c="dimmed">{a.file.caption}</Text>}
                  </Table.Td>
                  <Table.Td>{a.file.mediaType}</Table.Td>
                  <Table.Td>{size(a.file.sizeBytes)}</Table.Td>
                  <Table.Td><Tooltip label={`SHA-256 ${a.file.sha256}`} multiline w={340}><Text size="xs" ff="monospace">{a.file.sha256.slice(0, 12)}…</Text></Tooltip></Table.Td>
                  <Table.Td><Text size="xs">{a.attachedByName} · {formatInstant(a.attachedAt)}</Text></Table.Td>
                  <Table.Td>{editable && <Button size="compact-xs" variant="subtle" color="red" onClick={() => detach.mutate(a.file.id)}>Detach</Button>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
