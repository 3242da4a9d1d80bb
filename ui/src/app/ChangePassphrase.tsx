import { useState } from "react";
import { Button, Group, Modal, PasswordInput, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation } from "@tanstack/react-query";
import { AppError, call } from "../api/backend";
import { ErrorAlert } from "../components/ErrorAlert";

/** The signed-in profile changes its own passphrase, proving the current one first. */
export function ChangePassphraseDialog({ onClose }: { onClose: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const save = useMutation({
    mutationFn: () => call("users.change_passphrase", { current, new: next }),
    onSuccess: () => { notifications.show({ color: "green", message: "Your passphrase has been changed" }); onClose(); },
  });
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  const mismatch = repeat.length > 0 && repeat !== next;
  return (
    <Modal opened onClose={onClose} title="Change your passphrase">
      <form noValidate onSubmit={(e) => { e.preventDefault(); if (!mismatch) save.mutate(); }}>
        <Stack>
          <Text size="sm" c="dimmed">At least 12 characters. A few unrelated words are easier to remember and harder to guess than a short password.</Text>
          <PasswordInput label="Current passphrase" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} error={fields.current} autoFocus data-testid="passphrase-current" />
          <PasswordInput label="New passphrase" required value={next} onChange={(e) => setNext(e.currentTarget.value)} error={fields.new} data-testid="passphrase-new" />
          <PasswordInput label="New passphrase again" required value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} error={mismatch ? "The two new passphrases differ" : undefined} data-testid="passphrase-repeat" />
          {save.error && !Object.keys(fields).length && <ErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={save.isPending} disabled={!next || mismatch} data-testid="passphrase-save">Change passphrase</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
