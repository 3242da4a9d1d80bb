import { useState } from "react";
import { Badge, Button, Group, Modal, PasswordInput, Select, SimpleGrid, Stack, Table, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AppError, call } from "../../api/backend";
import type { Role } from "../../api/bindings";
import { humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";

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
          {save.error && !Object.keys(fields).length && <ErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={save.isPending} data-testid="user-save">Add profile</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Administrators manage the local profiles and their roles here. */
export function UsersPage() {
  const users = useQuery({ queryKey: ["users.list"], queryFn: () => call("users.list", {}) });
  const [adding, setAdding] = useState(false);
  return (
    <Stack maw={1000}>
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Button onClick={() => setAdding(true)} data-testid="add-user">Add profile</Button>
      </Group>
      {users.error && <ErrorAlert error={users.error} />}
      <Table striped>
        <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Email</Table.Th><Table.Th>Role</Table.Th><Table.Th>Job title</Table.Th><Table.Th>Last signed in</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {users.data?.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.displayName}</Table.Td>
              <Table.Td>{u.email}</Table.Td>
              <Table.Td><Badge variant="light">{humanise(u.role)}</Badge></Table.Td>
              <Table.Td>{u.jobTitle}</Table.Td>
              <Table.Td>{u.lastSignInAt ? new Date(u.lastSignInAt).toLocaleString() : "Never"}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {adding && <AddUserDialog onClose={() => setAdding(false)} />}
    </Stack>
  );
}
