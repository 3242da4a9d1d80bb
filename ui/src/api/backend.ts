// The only module that talks to Tauri. Everything else calls `call(...)` with generated types.
import { invoke } from "@tauri-apps/api/core";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import type { Commands, ErrorEnvelope, UserView } from "./bindings";

export type CommandName = keyof Commands;
export type Input<K extends CommandName> = Commands[K]["input"];
export type Output<K extends CommandName> = Commands[K]["output"];

/** An error from the backend, carrying its envelope (kind, message, fields, requestId). */
export class AppError extends Error {
  readonly envelope: ErrorEnvelope;
  constructor(envelope: ErrorEnvelope) {
    super(envelope.message);
    this.envelope = envelope;
  }
  get kind() {
    return this.envelope.kind;
  }
  /** Field errors keyed by camelCase field name (first message per field). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.envelope.fields ?? []) if (!(f.field in out)) out[f.field] = f.message;
    return out;
  }
}

function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e && typeof e === "object" && "kind" in e && "message" in e) return new AppError(e as ErrorEnvelope);
  return new AppError({ kind: "internal", message: String(e), requestId: "" });
}

/**
 * Fired on `window` when the backend has ended the session (the profile was deactivated, or it stayed idle past the
 * setting): the app goes back to sign-in and shows why. Unsaved forms are kept as drafts.
 */
export const SESSION_ENDED = "qgp:session-ended";

/** Runs a named core command. */
export async function call<K extends CommandName>(name: K, input: Input<K> | Record<string, unknown>): Promise<Output<K>> {
  try {
    return await invoke<Output<K>>("call", { name, input });
  } catch (e) {
    const error = toAppError(e);
    if (error.kind === "auth_required") window.dispatchEvent(new CustomEvent(SESSION_ENDED, { detail: error.message }));
    throw error;
  }
}

export async function signIn(email: string, passphrase: string): Promise<UserView> {
  try {
    return await invoke<UserView>("sign_in", { email, passphrase });
  } catch (e) {
    throw toAppError(e);
  }
}

export async function signOut(): Promise<void> {
  await invoke("sign_out");
}

export async function currentSession(): Promise<UserView | null> {
  try {
    return await invoke<UserView | null>("session");
  } catch (e) {
    throw toAppError(e);
  }
}

export async function startupError(): Promise<ErrorEnvelope | null> {
  return await invoke<ErrorEnvelope | null>("startup_error");
}

/** Opens an attached file with the operating system's default application (a checked, read-only copy). */
export async function openEvidence(evidenceId: string): Promise<void> {
  try {
    await invoke("open_evidence", { evidenceId });
  } catch (e) {
    throw toAppError(e);
  }
}

/** Opens a file the app wrote (report, export, pack) with the system's default application, or its folder. */
export async function openOutput(path: string, folder: boolean): Promise<void> {
  try {
    await invoke("open_output", { path, folder });
  } catch (e) {
    throw toAppError(e);
  }
}

/** What a native file dialog offers: its title and the kind of file (e.g. "Evidence pack", ["zip"]). */
export interface FileDialogOptions {
  title: string;
  kind: string;
  extensions: string[];
  /** Where a save dialog starts, or the name it suggests. */
  suggested?: string;
}

/** Asks for one file with the system's open dialog; null when the user cancels. */
export async function chooseFileToOpen(options: FileDialogOptions): Promise<string | null> {
  const picked = await openDialog({
    title: options.title,
    multiple: false,
    directory: false,
    defaultPath: options.suggested,
    filters: [{ name: options.kind, extensions: options.extensions }],
  });
  return typeof picked === "string" ? picked : null;
}

/** Asks where to save with the system's save dialog (it confirms replacing a file); null when the user cancels. */
export async function chooseFileToSave(options: FileDialogOptions): Promise<string | null> {
  return await saveDialog({ title: options.title, defaultPath: options.suggested, filters: [{ name: options.kind, extensions: options.extensions }] });
}
