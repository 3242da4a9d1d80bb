import { useState } from "react";
import { Alert, Badge, Button, FileInput, Group, Select, Stack, Table, Text } from "@mantine/core";
import type { ImportOutcome } from "../../api/bindings";
import { toBase64 } from "../../components/EvidencePanel";
import { useJob } from "../../components/useJob";
import { JobStatus } from "../../components/JobStatus";
import { count } from "../../components/plural";

const REGISTERS = [
  { value: "incidents", label: "Incidents" },
  { value: "risks", label: "Risks" },
  { value: "actions", label: "Actions" },
  { value: "complaints", label: "Complaints" },
  { value: "collisions", label: "Road traffic collisions" },
];

/** Import from CSV or XLSX: map columns, check every row (nothing written), then import all rows or none. */
export function ImportWizard() {
  const [register, setRegister] = useState("incidents");
  const [file, setFile] = useState<File | null>(null);
  const [content, setContent] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, string> | null>(null);
  const check = useJob();
  const run = useJob();
  const preview = check.job?.state === "succeeded" ? (check.job.result as ImportOutcome) : null;
  const done = run.job?.state === "succeeded" ? (run.job.result as ImportOutcome) : null;

  const start = async (f: File | null, m: Record<string, string> | null) => {
    if (!f) return;
    const c = content && f === file ? content : await toBase64(f);
    setContent(c);
    run.reset();
    void check.start("imports.preview", { register, fileName: f.name, contentBase64: c, mapping: m ?? undefined });
  };
  const choose = (f: File | null) => {
    setFile(f);
    setContent(null);
    setMapping(null);
    check.reset();
    run.reset();
    if (f) void (async () => {
      const c = await toBase64(f);
      setContent(c);
      void check.start("imports.preview", { register, fileName: f.name, contentBase64: c });
    })();
  };
  const current = mapping ?? preview?.mapping ?? {};
  const fieldOptions = [{ value: "", label: "Leave out" }, ...(preview?.fields ?? []).map((f) => ({ value: f.key, label: f.required ? `${f.label} (required)` : f.label }))];
  const errors = preview?.errors ?? [];

  return (
    <Stack>
      <Group align="end">
        <Select label="Import into" data={REGISTERS} value={register} allowDeselect={false} w={240} data-testid="import-register"
          onChange={(v) => { if (v) { setRegister(v); setFile(null); setMapping(null); check.reset(); run.reset(); } }} />
        <FileInput label="File" placeholder="Choose a .csv or .xlsx file" accept=".csv,.xlsx,text/csv" value={file} onChange={choose} w={320} clearable data-testid="import-file" />
      </Group>
      <JobStatus job={check.job?.state === "running" ? check.job : null} failure={check.failure} onCancel={check.cancel} />
      {preview && (
        <>
          <Text fw={600}>Columns</Text>
          <Table withTableBorder maw={720}>
            <Table.Thead><Table.Tr><Table.Th>Column in the file</Table.Th><Table.Th>Goes into</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {preview.columns.map((c) => (
                <Table.Tr key={c}>
                  <Table.Td>{c}</Table.Td>
                  <Table.Td>
                    <Select size="xs" data={fieldOptions} value={current[c] ?? ""} allowDeselect={false} searchable
                      onChange={(v) => setMapping({ ...current, [c]: v ?? "" })} aria-label={`Field for ${c}`} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {(preview.warnings ?? []).length > 0 && (
            <Alert color="yellow" title="Worth a look (these do not stop the import)" data-testid="import-warnings">
              {preview.warnings.slice(0, 50).map((w, i) => <Text key={i} size="sm">Row {w.row}, {w.column}: {w.message}</Text>)}
            </Alert>
          )}
          {mapping && <Button variant="default" w={200} onClick={() => start(file, mapping)} data-testid="import-recheck">Check again</Button>}
          {errors.length > 0 ? (
            <Alert color="red" title={`${errors.length} problem${errors.length === 1 ? "" : "s"} in ${count(preview.rows, "row")} — nothing has been imported`} data-testid="import-errors">
              <Table>
                <Table.Thead><Table.Tr><Table.Th>Row</Table.Th><Table.Th>Column</Table.Th><Table.Th>Problem</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {errors.slice(0, 200).map((e, i) => (
                    <Table.Tr key={i} data-testid="import-error-row"><Table.Td>{e.row}</Table.Td><Table.Td>{e.column}</Table.Td><Table.Td>{e.message}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {errors.length > 200 && <Text size="sm">…and {errors.length - 200} more.</Text>}
              <Text size="sm" mt="xs">Correct the file (or the column choices) and check again. An import takes every row or none.</Text>
            </Alert>
          ) : (
            !done && (
              <Alert color="green" title={`All ${preview.rows} rows are ready`} data-testid="import-ready">
                <Group>
                  <Text size="sm">They will get references {preview.references[0]} to {preview.references[preview.references.length - 1]}.</Text>
                  <Button loading={run.running} data-testid="import-run"
                    onClick={() => run.start("imports.run", { register, fileName: file?.name, contentBase64: content, mapping: current })}>
                    Import {preview.rows} rows
                  </Button>
                </Group>
              </Alert>
            )
          )}
        </>
      )}
      <JobStatus job={run.job?.state === "running" ? run.job : null} failure={run.failure} onCancel={run.cancel} />
      {done && (
        <Alert color={done.committed ? "green" : "red"} title={done.committed ? `Imported ${count(done.references.length, "record")}` : "Nothing was imported"} data-testid="import-done">
          <Group gap={4}>{done.references.slice(0, 30).map((r) => <Badge key={r} variant="light">{r}</Badge>)}</Group>
        </Alert>
      )}
    </Stack>
  );
}
