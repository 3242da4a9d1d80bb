import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { ErrorAlert } from "../../components/ErrorAlert";

/** Asks before a draft version is published: a published version never changes, and new audits use it. */
export function PublishDialog({ name, versionNumber, saveFirst, busy, error, onPublish, onClose }: {
  name: string;
  versionNumber: number;
  /** The builder holds changes that are saved first. */
  saveFirst: boolean;
  busy: boolean;
  error: unknown;
  onPublish: () => void;
  onClose: () => void;
}) {
  return (
    <Modal opened onClose={onClose} title={`Publish version ${versionNumber} of ${name}?`}>
      <Stack>
        <Text size="sm">
          A published version never changes. Audits started from now on use it; audits already started keep the version
          they began with. To change it later, start a new version.
        </Text>
        {saveFirst && <Text size="sm">Your unsaved changes are saved first.</Text>}
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>Keep editing</Button>
          <Button loading={busy} onClick={onPublish} data-testid="template-publish-confirm">Publish</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
