import { useState } from "react";
import { Badge, Button, Group, Modal, PasswordInput, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { Role, UserView } from "../../api/bindings";
import { humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { DialogFooter } from "../../components/DialogFooter";
import { formatInstant } from "../../components/time";

const ROLES: Role[] = ["admin", "manager", "auditor", "contributor", "viewer"];

function AddUserDialog({ onClose }: { onClose: () => void }) {
  const [form, setForm] = useState({ displayName: "", email: "", role: "contributor" as Role, jobTitle: "", department: "", passphrase: "" });
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => call("users.create", { ...form, jobTitle: form.jobTitle || undefined, department: form.department || undefined }),
    onSuccess: (u) => { qc.invalidateQueries({ queryKey: ["users.list"] }); notifications.show({ color: "green", message: `${u.displayName} can now sign in` }); onClose(); },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  // Read the value now: React clears currentTarget before a state updater runs.
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [k]: value }));
  };
  return (
    <Modal opened onClose={onClose} title="Add a profile">
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          <TextInput label="Name" required value={form.displayName} onChange={set("displayName")} error={fields.displayName} data-testid="user-name" autoFocus />
          <TextInput label="Email" required value={form.email} onChange={set("email")} error={fields.email} data-testid="user-email" />
          <Select label="Role" data={ROLES.map((r) => ({ value: r, label: humanise(r) }))} value={form.role} allowDeselect={false} onChange={(v) => setForm((f) => ({ ...f, role: (v ?? "contributor") as Role }))} data-testid="user-role" />
          <SimpleGrid cols={2}>
            <TextInput label="Job title" value={form.jobTitle} onChange={set("jobTitle")} error={fields.jobTitle} />
            <TextInput label="Department" value={form.department} onChange={set("department")} error={fields.department} />
          </SimpleGrid>
          <PasswordInput label="Initial passphrase" description="At least 12 characters; give it to the person in private." required value={form.passphrase} onChange={set("passphrase")} error={fields.passphrase} data-testid="user-passphrase" />
          <DialogFooter error={save.error} fields={fields} onCancel={onClose} loading={save.isPending} testId="user-save">Add profile</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

function EditUserDialog({ user, onClose }: { user: UserView; onClose: () => void }) {
  const [form, setForm] = useState({ displayName: user.displayName, role: user.role, jobTitle: user.jobTitle ?? "", department: user.department ?? "", phone: user.phone ?? "" });
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => {
      const changes: Record<string, unknown> = {};
      const before = { displayName: user.displayName, role: user.role, jobTitle: user.jobTitle ?? "", department: user.department ?? "", phone: user.phone ?? "" };
      for (const [k, v] of Object.entries(form)) if (v !== before[k as keyof typeof before]) changes[k] = typeof v === "string" && !v.trim() ? null : v;
      return call("users.update", { id: user.id, rowVersion: user.rowVersion, changes });
    },
    onSuccess: () => { qc.invalidateQueries({ queryKey: ["users.list"] }); onClose(); },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [k]: value }));
  };
  return (
    <Modal opened onClose={onClose} title={`Edit ${user.displayName}`}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          <TextInput label="Name" required value={form.displayName} onChange={set("displayName")} error={fields.displayName} />
          <TextInput label="Email" value={user.email} disabled description="The email is the sign-in name and does not change." />
          <Select label="Role" data={ROLES.map((r) => ({ value: r, label: humanise(r) }))} value={form.role} allowDeselect={false} onChange={(v) => setForm((f) => ({ ...f, role: (v ?? f.role) as Role }))} error={fields.role} data-testid="edit-user-role" />
          <SimpleGrid cols={3}>
            <TextInput label="Job title" value={form.jobTitle} onChange={set("jobTitle")} error={fields.jobTitle} />
            <TextInput label="Department" value={form.department} onChange={set("department")} error={fields.department} />
            <TextInput label="Phone" value={form.phone} onChange={set("phone")} error={fields.phone} />
          </SimpleGrid>
          <DialogFooter error={save.error} fields={fields} onCancel={onClose} loading={save.isPending} testId="edit-user-save">Save</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

/** Deactivate (reason required) or reactivate a profile. Its records keep its name either way. */
function ActiveDialog({ user, onClose }: { user: UserView; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: () => call(user.isActive ? "users.deactivate" : "users.reactivate", { id: user.id, reason: reason.trim() || undefined }),
    onSuccess: () => { qc.invalidateQueries({ queryKey: ["users.list"] }); onClose(); },
  });
  const fields = (run.error as AppError | null)?.fieldErrors() ?? {};
  return (
    <Modal opened onClose={onClose} title={user.isActive ? `Deactivate ${user.displayName}` : `Reactivate ${user.displayName}`}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
        <Stack>
          <Text size="sm">
            {user.isActive
              ? "The profile can no longer sign in and is no longer offered as owner or investigator. Everything it recorded keeps its name."
              : "The profile can sign in again with its passphrase."}
          </Text>
          <Textarea label="Reason" required={user.isActive} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fields.reason ?? fields.id} data-testid="user-state-reason" autoFocus />
          <DialogFooter error={run.error} fields={fields} onCancel={onClose} loading={run.isPending} testId="user-state-confirm" color={user.isActive ? "red" : "blue"}>{user.isActive ? "Deactivate" : "Reactivate"}</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

/** An administrator sets a new passphrase for someone else: forgotten, or none since a restore from an export. */
function PassphraseDialog({ user, onClose }: { user: UserView; onClose: () => void }) {
  const [form, setForm] = useState({ new: "", reason: "" });
  const run = useMutation({
    mutationFn: () => call("users.reset_passphrase", { id: user.id, new: form.new, reason: form.reason.trim() }),
    onSuccess: () => { notifications.show({ color: "green", message: `${user.displayName} can sign in with the new passphrase` }); onClose(); },
  });
  const fields = (run.error as AppError | null)?.fieldErrors() ?? {};
  return (
    <Modal opened onClose={onClose} title={`New passphrase for ${user.displayName}`}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
        <Stack>
          <Text size="sm">Give the new passphrase to {user.displayName} in person; they can change it under their own profile. Any sign-in lock is lifted. The audit trail records who set it and why, never the passphrase.</Text>
          <PasswordInput label="New passphrase" description="12 to 128 characters" required value={form.new} onChange={(e) => { const value = e.currentTarget.value; setForm((f) => ({ ...f, new: value })); }} error={fields.new} data-testid="reset-passphrase-new" autoFocus />
          <Textarea label="Reason" required value={form.reason} onChange={(e) => { const value = e.currentTarget.value; setForm((f) => ({ ...f, reason: value })); }} error={fields.reason ?? fields.id} data-testid="reset-passphrase-reason" />
          <DialogFooter error={run.error} fields={fields} onCancel={onClose} loading={run.isPending} testId="reset-passphrase-confirm">Set passphrase</DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}

/** Administrators manage the local profiles and their roles here. */
export function UsersPage() {
  const [showInactive, setShowInactive] = useState(false);
  const users = useQuery({ queryKey: ["users.list", { showInactive }], queryFn: () => call("users.list", { includeInactive: showInactive }) });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<UserView | null>(null);
  const [toggling, setToggling] = useState<UserView | null>(null);
  const [resetting, setResetting] = useState<UserView | null>(null);
  const me = useQuery({ queryKey: ["users.me"], queryFn: () => call("users.me", {}) });
  return (
    <Stack maw={1000}>
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Group>
          <Switch label="Show deactivated" checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} />
          <Button onClick={() => setAdding(true)} data-testid="add-user">Add profile</Button>
        </Group>
      </Group>
      {users.error && <ErrorAlert error={users.error} />}
      <Table striped>
        <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Email</Table.Th><Table.Th>Role</Table.Th><Table.Th>Job title</Table.Th><Table.Th>Last signed in</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {users.data?.map((u) => (
            <Table.Tr key={u.id} data-testid="user-row">
              <Table.Td>{u.displayName}{!u.isActive && <Badge ml={6} color="gray">Deactivated</Badge>}</Table.Td>
              <Table.Td>{u.email}</Table.Td>
              <Table.Td><Badge variant="light">{humanise(u.role)}</Badge></Table.Td>
              <Table.Td>{u.jobTitle}</Table.Td>
              <Table.Td>{u.lastSignInAt ? formatInstant(u.lastSignInAt) : "Never"}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-xs" variant="subtle" onClick={() => setEditing(u)} data-testid="edit-user">Edit</Button>
                  {u.isActive && u.id !== me.data?.id && (
                    <Button size="compact-xs" variant="subtle" onClick={() => setResetting(u)} data-testid="reset-passphrase">Set passphrase</Button>
                  )}
                  <Button size="compact-xs" variant="subtle" color={u.isActive ? "red" : "blue"} onClick={() => setToggling(u)} data-testid="toggle-user">{u.isActive ? "Deactivate" : "Reactivate"}</Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {adding && <AddUserDialog onClose={() => setAdding(false)} />}
      {editing && <EditUserDialog user={editing} onClose={() => setEditing(null)} />}
      {toggling && <ActiveDialog user={toggling} onClose={() => setToggling(null)} />}
      {resetting && <PassphraseDialog user={resetting} onClose={() => setResetting(null)} />}
    </Stack>
  );
}
