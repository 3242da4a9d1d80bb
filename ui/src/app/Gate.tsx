import { useState } from "react";
import { Alert, Anchor, Button, Center, Checkbox, Code, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { AppError, call, signIn } from "../api/backend";
import type { AppStatus, ErrorEnvelope, UserView } from "../api/bindings";
import { ErrorAlert } from "../components/ErrorAlert";
import { BACKUP_FILE_DIALOG, PathInput } from "../components/PathInput";

export function StartupErrorScreen({ error }: { error: ErrorEnvelope }) {
  return (
    <Center h="100vh" p="xl">
      <Paper withBorder p="xl" maw={640}>
        <Title order={2} mb="md">QGP Desktop could not start</Title>
        <Alert color="red" data-testid="startup-error">{error.message}</Alert>
        <Text size="sm" mt="md">Nothing has been changed. Correct the problem and start the app again.</Text>
        {error.requestId && <Text size="xs" c="dimmed" mt="xs">Request id: <Code>{error.requestId}</Code></Text>}
      </Paper>
    </Center>
  );
}

/** A form's submit: busy while it runs; its error kept for the fields and the alert. */
function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err as AppError);
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, submit, fields: error?.fieldErrors() ?? {} };
}

/** First run: create the administrator profile, or restore a backup when this laptop replaces a lost one. */
export function SetupScreen({ onDone }: { onDone: (user: UserView) => void }) {
  const [restoring, setRestoring] = useState(false);
  if (restoring) return <RestoreOntoNewInstallation onDone={onDone} onBack={() => setRestoring(false)} />;
  return <CreateFirstProfile onDone={onDone} onRestore={() => setRestoring(true)} />;
}

function CreateFirstProfile({ onDone, onRestore }: { onDone: (user: UserView) => void; onRestore: () => void }) {
  const [displayName, setName] = useState("");
  const [email, setEmail] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [orgName, setOrgName] = useState("");
  const [secondPerson, setSecondPerson] = useState(true);
  const { error, busy, submit, fields } = useSubmit(async () => {
    await call("users.setup", { displayName, email, passphrase, orgName: orgName.trim() || undefined, secondPersonVerifies: secondPerson });
    onDone(await signIn(email, passphrase));
  });

  return (
    <Center h="100vh">
      <Paper withBorder p="xl" w={460} component="form" noValidate onSubmit={submit}>
        <Stack>
          <Title order={2}>Welcome to QGP Desktop</Title>
          <Text size="sm" c="dimmed">
            Create the first profile. It becomes the administrator of this installation. Everything you record stays on this computer.
          </Text>
          <TextInput label="Organisation" description="Printed on reports and shown at sign-in" value={orgName} onChange={(e) => setOrgName(e.currentTarget.value)} error={fields.orgName} data-testid="setup-org" />
          <TextInput label="Your name" required value={displayName} onChange={(e) => setName(e.currentTarget.value)} error={fields.displayName} data-testid="setup-name" autoFocus />
          <TextInput label="Email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fields.email} data-testid="setup-email" />
          <PasswordInput
            label="Passphrase"
            description="At least 12 characters. You will need it to sign in and to sign approvals."
            required
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            error={fields.passphrase}
            data-testid="setup-passphrase"
          />
          <Checkbox label="A second person checks and verifies our work" checked={secondPerson} onChange={(e) => setSecondPerson(e.currentTarget.checked)}
            description="Actions, findings and approvals are then verified by someone other than their owner. Untick it if you work alone — you could not close your own records otherwise. Settings can change it later."
            data-testid="setup-second-person" />
          {error && !error.envelope.fields && <ErrorAlert error={error} />}
          <Button type="submit" loading={busy} data-testid="setup-submit">Create profile</Button>
          <Text size="sm" ta="center">
            Replacing a lost or broken laptop? <Anchor component="button" type="button" onClick={onRestore} data-testid="setup-restore">Restore from a backup</Anchor>
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}

/**
 * A new laptop takes over from a lost one: a backup set (from the USB stick or network folder) is checked, then
 * restored by an administrator in it, who signs in with the passphrase they had there.
 */
function RestoreOntoNewInstallation({ onDone, onBack }: { onDone: (user: UserView) => void; onBack: () => void }) {
  const [path, setPath] = useState("");
  const [email, setEmail] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const { error, busy, submit, fields } = useSubmit(async () => {
    await call("setup.restore_backup", { path, email, passphrase });
    onDone(await signIn(email, passphrase));
  });

  return (
    <Center h="100vh">
      <Paper withBorder p="xl" w={560} component="form" noValidate onSubmit={submit}>
        <Stack>
          <Title order={2}>Restore from a backup</Title>
          <Text size="sm" c="dimmed">
            Pick the backup set (<Code>.qgpbackup</Code>) from the USB stick or network folder. It is checked file by file before
            anything is written; records, evidence files, signatures and the audit trail come back as they were.
          </Text>
          <PathInput label="Backup file" description="A backup set, or a database backup from an older version" value={path} onChange={setPath}
            mode="open" dialog={BACKUP_FILE_DIALOG} testId="restore-path" />
          {fields.path && <Text size="sm" c="red">{fields.path}</Text>}
          <TextInput label="Your email in the backup" description="An administrator's profile in the backup" required value={email}
            onChange={(e) => setEmail(e.currentTarget.value)} error={fields.email} data-testid="restore-email" />
          <PasswordInput label="Your passphrase in the backup" required value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)}
            error={fields.passphrase} data-testid="restore-passphrase" />
          {error && !error.envelope.fields && <ErrorAlert error={error} title="Nothing was restored" />}
          <Stack gap="xs">
            <Button type="submit" loading={busy} data-testid="restore-submit">Check and restore</Button>
            <Button variant="subtle" onClick={onBack} disabled={busy}>Back to creating a new profile</Button>
          </Stack>
        </Stack>
      </Paper>
    </Center>
  );
}

export function SignInScreen({ status, notice, onDone }: { status: AppStatus; notice?: string | null; onDone: (user: UserView) => void }) {
  const [email, setEmail] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const { error, busy, submit } = useSubmit(async () => onDone(await signIn(email, passphrase)));

  return (
    <Center h="100vh">
      <Paper withBorder p="xl" w={420} component="form" noValidate onSubmit={submit}>
        <Stack>
          <Title order={2}>Sign in</Title>
          {status.orgName && <Text c="dimmed">{status.orgName}</Text>}
          {notice && <Alert color="yellow" data-testid="session-ended">{notice}</Alert>}
          <TextInput label="Email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-testid="signin-email" autoFocus />
          <PasswordInput label="Passphrase" required value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} data-testid="signin-passphrase" />
          {error && <ErrorAlert error={error} title="Not signed in" />}
          <Button type="submit" loading={busy} data-testid="signin-submit">Sign in</Button>
        </Stack>
      </Paper>
    </Center>
  );
}
