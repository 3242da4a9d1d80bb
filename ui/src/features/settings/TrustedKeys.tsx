import { useState } from "react";
import { Badge, Button, Card, Code, Group, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { AppError, call } from "../../api/backend";
import type { TrustedKey } from "../../api/bindings";
import { ErrorAlert } from "../../components/ErrorAlert";
import { formatInstant } from "../../components/time";

/**
 * Signing keys of the organisation's other installations (the office copy, colleagues' laptops): packs they sign
 * verify here as "signed by a known key". Administrators add a key from the public key the other installation shows
 * under Settings, and withdraw it with a reason; both are in the audit trail.
 */
export function TrustedKeys({ admin }: { admin: boolean }) {
  const qc = useQueryClient();
  const keys = useQuery({ queryKey: ["keys.trusted"], queryFn: () => call("keys.trusted", {}) });
  const [pem, setPem] = useState("");
  const [label, setLabel] = useState("");
  const [withdrawing, setWithdrawing] = useState<{ key: TrustedKey; reason: string } | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ["keys.trusted"] });
  const trust = useMutation({
    mutationFn: () => call("keys.trust", { publicKeyPem: pem, label }),
    onSuccess: (k) => { setPem(""); setLabel(""); refresh(); notifications.show({ color: "green", message: `Packs signed by ${k.label} now verify as signed by a known key` }); },
  });
  const distrust = useMutation({
    mutationFn: (w: { key: TrustedKey; reason: string }) => call("keys.distrust", { fingerprint: w.key.fingerprint, reason: w.reason }),
    onSuccess: () => { setWithdrawing(null); refresh(); },
  });
  const fields = trust.error instanceof AppError ? trust.error.fieldErrors() : {};
  return (
    <Card withBorder data-testid="trusted-keys">
      <Stack gap="xs">
        <Title order={4}>Known signing keys</Title>
        <Text size="sm">Evidence packs signed by one of these keys verify as <b>signed by a known key</b>; a pack signed by any other key is shown as from an unknown signer.</Text>
        {keys.data?.length === 0 && <Text size="sm" c="dimmed">No other installation's key is known yet.</Text>}
        {!!keys.data?.length && (
          <Table>
            <Table.Thead><Table.Tr><Table.Th>Label</Table.Th><Table.Th>Fingerprint</Table.Th><Table.Th>Added</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {keys.data.map((k) => (
                <Table.Tr key={k.fingerprint} data-testid="trusted-key-row">
                  <Table.Td>{k.label} {!k.active && <Badge color="gray" variant="light">withdrawn</Badge>}</Table.Td>
                  <Table.Td><Code>{k.fingerprint.slice(0, 35)}…</Code></Table.Td>
                  <Table.Td>{formatInstant(k.createdAt)}</Table.Td>
                  <Table.Td>{admin && k.active && <Button size="compact-xs" variant="subtle" color="red" onClick={() => setWithdrawing({ key: k, reason: "" })}>Withdraw…</Button>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {withdrawing && (
          <Group align="end">
            <TextInput label={`Why is ${withdrawing.key.label} no longer trusted?`} required value={withdrawing.reason} w={420}
              onChange={(e) => setWithdrawing({ ...withdrawing, reason: e.currentTarget.value })} />
            <Button variant="default" onClick={() => setWithdrawing(null)}>Keep it</Button>
            <Button color="red" disabled={!withdrawing.reason.trim()} loading={distrust.isPending} onClick={() => distrust.mutate(withdrawing)}>Withdraw</Button>
          </Group>
        )}
        <ErrorAlert error={distrust.error} />
        {admin && (
          <Stack gap="xs" mt="xs">
            <Textarea label="Public key of the other installation" description="Copy it from Settings › Signing key on that installation (-----BEGIN PUBLIC KEY----- …)" autosize minRows={3}
              value={pem} onChange={(e) => setPem(e.currentTarget.value)} error={fields.publicKeyPem} data-testid="trust-pem" />
            <TextInput label="Label" description="Whose key it is, e.g. Office copy or Sam's field laptop" value={label} onChange={(e) => setLabel(e.currentTarget.value)} error={fields.label} data-testid="trust-label" />
            <Group><Button variant="light" loading={trust.isPending} disabled={!pem.trim() || !label.trim()} onClick={() => trust.mutate()} data-testid="trust-add">Trust this key</Button></Group>
            {!fields.publicKeyPem && !fields.label && <ErrorAlert error={trust.error} />}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
