import { Button, Stack, Text } from "@mantine/core";
import { useJob } from "../../components/useJob";
import { JobStatus } from "../../components/JobStatus";

/** Every table as one JSON file (administrators), for migration or reading the records without the app. */
export function DatabaseExport() {
  const { job, start, cancel, failure, running } = useJob();
  return (
    <Stack maw={640}>
      <Text size="sm">
        Writes every record, its history and the audit trail as one JSON file. Passphrases are never included. For a
        restorable copy of the database use a backup instead.
      </Text>
      <Button w={220} loading={running} onClick={() => start("exports.database", {})} data-testid="database-export">Export everything as JSON</Button>
      <JobStatus job={job} failure={failure} onCancel={cancel} />
    </Stack>
  );
}
