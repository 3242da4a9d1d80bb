import { useState } from "react";
import { Alert, Badge, Button, Code, Group, Stack, Table, Text } from "@mantine/core";
import type { PackVerification } from "../../api/bindings";
import { useJob } from "../../components/useJob";
import { ErrorAlert } from "../../components/ErrorAlert";
import { PathInput } from "../../components/PathInput";

const STATUS_COLOUR = { ok: "green", altered: "red", missing: "red" } as const;

/** The headline: intact and by whom, intact but by an unknown key, or altered. */
function verdictOf(result: PackVerification): { colour: string; title: string; testId: string } {
  if (result.ok && result.signer === "this_installation") return { colour: "green", title: "The pack is intact and was signed by this installation", testId: "verify-ok" };
  if (result.ok) return { colour: "green", title: `The pack is intact and was signed by a known key: ${result.signerLabel ?? ""}`, testId: "verify-ok" };
  if (result.intact) return { colour: "yellow", title: "The files are intact, but the signer is not known to this installation", testId: "verify-unknown-signer" };
  return { colour: "red", title: "The pack has been altered or is incomplete", testId: "verify-bad" };
}

/** Checks a pack's signature and every file, and says exactly what is missing, altered or added. */
export function VerifyPack() {
  const [path, setPath] = useState("");
  const { job, start, failure, running } = useJob();
  const result = job?.state === "succeeded" ? (job.result as PackVerification) : null;
  return (
    <Stack>
      <Group align="end" maw={720}>
        <PathInput label="Pack file" description="The .zip file you were given: Browse…, or type its full path" placeholder="/home/…/pack-AUD-2026-0001.zip"
          value={path} onChange={setPath} mode="open" dialog={{ title: "Choose the evidence pack to verify", kind: "Evidence pack", extensions: ["zip"] }} testId="verify-path" />
        <Button disabled={!path.trim() || running} loading={running} onClick={() => start("packs.verify", { path: path.trim() })} data-testid="verify-run">Verify</Button>
      </Group>
      <ErrorAlert error={failure} />
      {result && (
        <Stack data-testid="verify-result">
          <Alert color={verdictOf(result).colour} title={verdictOf(result).title} data-testid={verdictOf(result).testId}>
            <Stack gap={4}>
              <Text size="sm">{result.subjectTitle} · {result.organisation ?? "organisation not set"} · made {result.createdAt?.replace("T", " ").slice(0, 16)} UTC by {result.createdBy}</Text>
              <Text size="sm">Signature: <b data-testid="verify-signature">{result.signature}</b>{result.signedByThisInstallation ? " — signed by this installation's key" : " — not this installation's key"}</Text>
              {result.fingerprint && <Text size="xs">Key fingerprint (compare with the one you were given): <Code>{result.fingerprint}</Code></Text>}
              {result.problems.map((p) => <Text key={p} size="sm" c="red" data-testid="verify-problem">{p}</Text>)}
            </Stack>
          </Alert>
          <Table striped withTableBorder>
            <Table.Thead><Table.Tr><Table.Th>File</Table.Th><Table.Th>Status</Table.Th><Table.Th>SHA-256 in the manifest</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {result.files.map((f) => (
                <Table.Tr key={f.path}>
                  <Table.Td>{f.path}</Table.Td>
                  <Table.Td><Badge color={STATUS_COLOUR[f.status]}>{f.status}</Badge></Table.Td>
                  <Table.Td><Text size="xs" ff="monospace">{f.expectedSha256.slice(0, 24)}…</Text></Table.Td>
                </Table.Tr>
              ))}
              {result.unexpected.map((u) => (
                <Table.Tr key={u}><Table.Td>{u}</Table.Td><Table.Td><Badge color="red">added</Badge></Table.Td><Table.Td /></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Stack>
  );
}
