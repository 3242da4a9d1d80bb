import { Button, Group, TextInput } from "@mantine/core";
import { call, chooseFileToOpen, chooseFileToSave, type FileDialogOptions } from "../api/backend";

/** Choosing a backup: a backup set, or a database backup from a version before sets. */
export const BACKUP_FILE_DIALOG: FileDialogOptions = { title: "Choose a backup", kind: "QGP Desktop backup", extensions: ["qgpbackup", "sqlite3"] };

interface PathInputProps {
  label: string;
  description: string;
  placeholder?: string;
  value: string;
  onChange: (path: string) => void;
  /** "open" picks an existing file; "save" picks where to write one. */
  mode: "open" | "save";
  dialog: FileDialogOptions;
  testId: string;
}

/** A path typed in or chosen with the system's file dialog (Browse…); typing stays possible for scripts and tests. */
export function PathInput({ label, description, placeholder, value, onChange, mode, dialog, testId }: PathInputProps) {
  async function browse() {
    const typed = value.trim();
    let suggested = typed || dialog.suggested;
    // A save dialog starts in the exports folder (where an empty "Save as" writes), not wherever the app was started.
    if (mode === "save" && suggested && !suggested.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(suggested)) {
      const { dataDir } = await call("app.status", {});
      const separator = dataDir.includes("\\") ? "\\" : "/";
      suggested = `${dataDir}${separator}exports${separator}${suggested}`;
    }
    const options = { ...dialog, suggested };
    const picked = mode === "open" ? await chooseFileToOpen(options) : await chooseFileToSave(options);
    if (!picked) return;
    // Save dialogs on Linux do not add the filter's extension to a typed name; the app needs it.
    const hasExtension = dialog.extensions.some((ext) => picked.toLowerCase().endsWith(`.${ext}`));
    onChange(mode === "save" && !hasExtension ? `${picked}.${dialog.extensions[0]}` : picked);
  }
  return (
    <Group align="end" gap="xs" wrap="nowrap" style={{ flex: 1 }}>
      <TextInput label={label} description={description} placeholder={placeholder} value={value}
        onChange={(e) => onChange(e.currentTarget.value)} style={{ flex: 1 }} data-testid={testId} />
      <Button variant="default" onClick={() => void browse()} data-testid={`${testId}-browse`}>Browse…</Button>
    </Group>
  );
}
