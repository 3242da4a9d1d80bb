import { useEffect, useState } from "react";
import { Button, Card, Code, CopyButton, FileButton, Group, Image, NumberInput, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { notifications } from "@mantine/notifications";
import { call } from "../../api/backend";
import type { Settings, UserView } from "../../api/bindings";
import { toBase64 } from "../../components/EvidencePanel";
import { ErrorAlert } from "../../components/ErrorAlert";
import { setDisplayZone } from "../../components/time";
import { TrustedKeys } from "./TrustedKeys";

/** Organisation name and logo (report covers), the installation's signing key, and the governance settings. */
export function SettingsPage({ user }: { user: UserView }) {
  const admin = user.role === "admin";
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ["settings.get"], queryFn: () => call("settings.get", {}) });
  const branding = useQuery({ queryKey: ["branding.get"], queryFn: () => call("branding.get", {}) });
  const key = useQuery({ queryKey: ["keys.installation"], queryFn: () => call("keys.installation", {}) });
  const [draft, setDraft] = useState<Settings | null>(null);
  useEffect(() => { if (settings.data) setDraft(settings.data); }, [settings.data]);
  const save = useMutation({
    mutationFn: (s: Settings) => call("settings.update", s),
    onSuccess: async (s) => {
      qc.setQueryData(["settings.get"], s);
      // Times on every screen follow a new time zone at once.
      setDisplayZone((await call("app.status", {})).timeZone);
      await qc.invalidateQueries();
      notifications.show({ message: "Settings saved", color: "green" });
    },
  });
  const logo = useMutation({
    mutationFn: async (f: File | null) => f
      ? call("branding.set_logo", { fileName: f.name, contentBase64: await toBase64(f) })
      : call("branding.clear_logo", {}),
    onSuccess: (b) => qc.setQueryData(["branding.get"], b),
  });
  if (!draft) return <ErrorAlert error={settings.error} />;
  const set = (patch: Partial<Settings>) => setDraft({ ...draft, ...patch });
  return (
    <Stack maw={760}>
      <Title order={2}>Settings</Title>
      <Card withBorder>
        <Stack>
          <Title order={4}>Organisation</Title>
          <TextInput label="Organisation name" description="Printed on every report's cover and header" value={draft.orgName ?? ""} disabled={!admin}
            onChange={(e) => set({ orgName: e.currentTarget.value || null })} data-testid="settings-org-name" />
          <Group align="center">
            {branding.data?.logo ? <Image src={branding.data.logo} h={48} w="auto" fit="contain" alt="Organisation logo" /> : <Text size="sm" c="dimmed">No logo</Text>}
            {admin && (
              <>
                <FileButton onChange={(f) => logo.mutate(f)} accept="image/png,image/jpeg">
                  {(props) => <Button variant="default" size="xs" {...props} data-testid="settings-logo">Choose logo…</Button>}
                </FileButton>
                {branding.data?.logo && <Button variant="subtle" size="xs" color="red" onClick={() => logo.mutate(null)}>Remove</Button>}
              </>
            )}
          </Group>
          <ErrorAlert error={logo.error} />
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="xs">
          <Title order={4}>Signing key</Title>
          <Text size="sm">Evidence packs from this installation are signed with this key. A recipient checks the pack's key against this fingerprint, which you give them separately (it is also on every report's cover).</Text>
          <Group>
            <Code data-testid="settings-fingerprint">{key.data?.fingerprint ?? "…"}</Code>
            <CopyButton value={key.data?.fingerprint ?? ""}>{({ copied, copy }) => <Button size="compact-xs" variant="subtle" onClick={copy}>{copied ? "Copied" : "Copy"}</Button>}</CopyButton>
          </Group>
          <Group gap="xs">
            <Text size="sm">Public key, for another installation of your organisation to trust this one's packs:</Text>
            <CopyButton value={key.data?.publicKeyPem ?? ""}>{({ copied, copy }) => <Button size="compact-xs" variant="light" onClick={copy} data-testid="copy-public-key">{copied ? "Copied" : "Copy public key"}</Button>}</CopyButton>
          </Group>
        </Stack>
      </Card>
      <TrustedKeys admin={admin} />
      <Card withBorder>
        <Stack>
          <Title order={4}>Governance</Title>
          <Group grow>
            <NumberInput label="Due-soon window (days)" min={1} max={365} value={draft.dueSoonDays} disabled={!admin} onChange={(v) => set({ dueSoonDays: Number(v) })} />
            <NumberInput label="Lock after idle (minutes)" min={1} max={480} value={draft.sessionIdleMinutes} disabled={!admin} onChange={(v) => set({ sessionIdleMinutes: Number(v) })} />
            <NumberInput label="Complaint target (days)" min={1} max={365} value={draft.complaintTargetDays} disabled={!admin} onChange={(v) => set({ complaintTargetDays: Number(v) })} />
          </Group>
          <Switch label="Segregation of duties (a different person verifies)" checked={draft.segregationOfDuties} disabled={!admin} onChange={(e) => set({ segregationOfDuties: e.currentTarget.checked })} />
          <TextInput label="Time zone" description="IANA name such as Europe/London; empty uses the computer's zone" value={draft.timeZone ?? ""} disabled={!admin}
            onChange={(e) => set({ timeZone: e.currentTarget.value || null })} />
          <ErrorAlert error={save.error} />
          {admin && <Group><Button loading={save.isPending} onClick={() => save.mutate(draft)} data-testid="settings-save">Save settings</Button></Group>}
        </Stack>
      </Card>
    </Stack>
  );
}
