import { useState } from "react";
import { Button, Group, Menu, Modal, Stack, Switch, Text } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { useJob } from "./useJob";
import { JobStatus } from "./JobStatus";

/** "Export" on a register: the current filtered, sorted view as CSV or XLSX, written in the background. */
export function ExportMenu({ register, filter }: { register: string; filter: object }) {
  const [format, setFormat] = useState<"csv" | "xlsx" | null>(null);
  const [personal, setPersonal] = useState(false);
  const [codes, setCodes] = useState(false);
  const { job, start, cancel, reset, failure, running } = useJob();
  return (
    <>
      <Menu position="bottom-end">
        <Menu.Target>
          <Button variant="default" leftSection={<IconDownload size={16} />} data-testid="export-menu">Export</Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>This view</Menu.Label>
          <Menu.Item onClick={() => setFormat("xlsx")} data-testid="export-xlsx">Excel workbook (.xlsx)</Menu.Item>
          <Menu.Item onClick={() => setFormat("csv")} data-testid="export-csv">CSV (.csv)</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={format !== null} onClose={() => { reset(); setFormat(null); }} title={`Export ${register} as ${format?.toUpperCase()}`}>
        <Stack>
          <Text size="sm" c="dimmed">The rows and order you see — every row, every field — written to the exports folder.</Text>
          <Switch label="Include personal data (people involved, staff names and e-mails, contact details, statements, injuries)" checked={personal} onChange={(e) => setPersonal(e.currentTarget.checked)} />
          <Switch label="Codes instead of labels (under_investigation, not Under investigation), for a system that reads the file" checked={codes} onChange={(e) => setCodes(e.currentTarget.checked)} data-testid="export-codes" />
          <Group>
            <Button loading={running} disabled={running} data-testid="export-start"
              onClick={() => start("exports.register", { register, format, filter, includePersonalData: personal, codes })}>Export</Button>
          </Group>
          <JobStatus job={job} failure={failure} onCancel={cancel} />
        </Stack>
      </Modal>
    </>
  );
}
