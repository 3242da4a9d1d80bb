import { useState } from "react";
import { Button, Menu, Modal, Stack, Text } from "@mantine/core";
import { IconFileExport } from "@tabler/icons-react";
import { useJob } from "../../components/useJob";
import { JobStatus } from "../../components/JobStatus";

type Output = { label: string; command: string; input: unknown; testId: string };

/** "Report / pack" on a record: its PDF report or a signed evidence pack, made in the background. */
export function RecordOutputs({ outputs }: { outputs: Output[] }) {
  const [chosen, setChosen] = useState<Output | null>(null);
  const { job, start, cancel, reset, failure } = useJob();
  return (
    <>
      <Menu position="bottom-end">
        <Menu.Target>
          <Button variant="default" leftSection={<IconFileExport size={16} />} data-testid="record-outputs">Report / pack</Button>
        </Menu.Target>
        <Menu.Dropdown>
          {outputs.map((o) => (
            <Menu.Item key={o.testId} data-testid={o.testId} onClick={() => { setChosen(o); void start(o.command, o.input); }}>{o.label}</Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={chosen !== null} onClose={() => { reset(); setChosen(null); }} title={chosen?.label}>
        <Stack>
          <Text size="sm" c="dimmed">Saved to the exports folder.</Text>
          <JobStatus job={job} failure={failure} onCancel={cancel} />
        </Stack>
      </Modal>
    </>
  );
}
