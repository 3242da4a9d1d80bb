// Unsaved forms survive what would otherwise lose them: the idle lock (the session ends and the screen goes), the
// window closing, the app being killed, or simply going elsewhere. While a record form holds changes, they are kept
// on this computer (the webview's local storage, per profile) and offered again when the form opens, and listed on
// the dashboard. A draft is dropped when the record is saved or its changes are deliberately discarded. Drafts are
// not records: nothing reaches the database, the audit trail or any export until the user saves.
import { useEffect, useRef, useState } from "react";
import { Alert, Button, Group, Text } from "@mantine/core";
import type { View } from "../app/nav";
import { formatInstant } from "./time";
import { useUnsavedWhile } from "./unsaved";

const PREFIX = "qgp-draft:";

export type Draft<T> = {
  key: string;
  /** Where the form is, so the dashboard can open it again. */
  view: View;
  /** What the user sees in lists: "New incident", "Edit RSK-2026-0004". */
  label: string;
  savedAt: string;
  /** For an edit: the record version the draft started from (a save then meets the usual conflict check). */
  baseRowVersion: number | null;
  form: T;
};

let owner: string | null = null;
/** The screen on show, so a dialog's draft can send the user back to the record it was opened from. */
let currentScreen: View = { name: "dashboard" };

export function setCurrentScreen(view: View) {
  currentScreen = view;
}

/** Drafts belong to the signed-in profile; another profile on the same laptop never sees them. */
export function setDraftOwner(userId: string | null) {
  owner = userId;
}

const storageKey = (key: string) => `${PREFIX}${owner}:${key}`;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function saveDraft<T>(draft: Omit<Draft<T>, "savedAt">) {
  if (!owner) return;
  try {
    storage()?.setItem(storageKey(draft.key), JSON.stringify({ ...draft, savedAt: new Date().toISOString() }));
  } catch {
    // Storage full or unavailable: the form still works, only without the safety net.
  }
}

export function loadDraft<T>(key: string): Draft<T> | null {
  if (!owner) return null;
  try {
    const text = storage()?.getItem(storageKey(key));
    return text ? (JSON.parse(text) as Draft<T>) : null;
  } catch {
    return null;
  }
}

export function discardDraft(key: string) {
  if (owner) storage()?.removeItem(storageKey(key));
}

/** The signed-in profile's drafts, newest first. */
export function listDrafts(): Draft<unknown>[] {
  const store = storage();
  if (!owner || !store) return [];
  const mine = `${PREFIX}${owner}:`;
  const out: Draft<unknown>[] = [];
  for (let i = 0; i < store.length; i++) {
    const k = store.key(i);
    if (!k?.startsWith(mine)) continue;
    try {
      out.push(JSON.parse(store.getItem(k) ?? "") as Draft<unknown>);
    } catch {
      // A damaged entry is skipped, not fatal.
    }
  }
  return out.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

type RecordKind = "incident" | "risk" | "complaint" | "collision" | "document";
const NOUNS: Record<RecordKind, string> = { incident: "incident", risk: "risk", complaint: "complaint", collision: "collision", document: "controlled document" };

/** Key, screen and label of a register's new or edit form, for `useFormDraft`. */
export function recordFormDraft(kind: RecordKind, id: string | undefined, reference: string | undefined) {
  return {
    draftKey: id ? `${kind}-edit:${id}` : `${kind}-new`,
    view: (id ? { name: `${kind}-edit`, id } : { name: `${kind}-new` }) as View,
    label: id ? `Edit ${reference ?? NOUNS[kind]}` : `New ${NOUNS[kind]}`,
  };
}

/**
 * Keeps a record form's unsaved changes as a draft and restores them when the form opens again.
 * `ready`: the form holds its starting values (for an edit, once the record has loaded).
 */
export function useFormDraft<T>({ draftKey, view, label, form, setForm, dirty, ready, rowVersion, sinceVersion = true }: {
  draftKey: string;
  view: View;
  label: string;
  form: T;
  setForm: (form: T) => void;
  dirty: boolean;
  ready: boolean;
  rowVersion?: number | null;
  /** A restored draft saves against the version it started from (the conflict check applies). Off for a part of a
   *  record edited on its own (an investigation's timeline), where another part's save must not make it conflict. */
  sinceVersion?: boolean;
}) {
  const [restored, setRestored] = useState<Draft<T> | null>(null);
  const looked = useRef(false);
  useEffect(() => {
    if (!ready || looked.current) return;
    looked.current = true;
    const draft = loadDraft<T>(draftKey);
    if (draft) {
      setForm(draft.form);
      setRestored(draft);
    }
  }, [ready, draftKey, setForm]);

  const baseRowVersion = restored && sinceVersion ? restored.baseRowVersion : (rowVersion ?? null);
  // The header's badge says "Not saved" while the form holds changes (kept as a draft, but not yet in the records).
  useUnsavedWhile(ready && dirty, `form:${draftKey}`, label);
  // Written at every change (a few kilobytes, well under a millisecond), so even a form closed a moment after the
  // last keystroke — a tab switched, the window shut — has it kept.
  useEffect(() => {
    if (!ready || !looked.current) return;
    if (dirty) saveDraft({ key: draftKey, view, label, baseRowVersion, form });
    else discardDraft(draftKey);
    // `view` and `label` describe the form; a new object each render is not a change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form, dirty, ready, draftKey, baseRowVersion]);

  return {
    restored,
    /** The version an update must name: the draft's starting version when one was restored. */
    baseRowVersion,
    /** Saved or deliberately abandoned: the draft goes. */
    forget: () => {
      looked.current = true;
      discardDraft(draftKey);
      setRestored(null);
    },
  };
}

/** Says a draft was put back, and offers to throw it away. */
export function DraftNotice({ restored, currentRowVersion, onDiscard }: {
  restored: Draft<unknown> | null;
  currentRowVersion?: number | null;
  onDiscard: () => void;
}) {
  if (!restored) return null;
  const stale = restored.baseRowVersion !== null && currentRowVersion != null && restored.baseRowVersion !== currentRowVersion;
  return (
    <Alert color={stale ? "orange" : "blue"} variant="light" data-testid="draft-notice">
      {/* Wraps in a narrow dialog: the button goes below the text rather than being cut to "Discard". */}
      <Group justify="space-between">
        <Text size="sm" style={{ flex: "1 1 16rem" }}>
          Your unsaved changes from <span className="qgp-nowrap">{formatInstant(restored.savedAt)}</span> are back — they are not saved yet.
          {stale && " Someone has changed this record since you started; saving will say so, so you can compare first."}
        </Text>
        <Button size="compact-sm" variant="subtle" color="gray" onClick={onDiscard} data-testid="draft-discard">Discard changes</Button>
      </Group>
    </Alert>
  );
}

/** The dashboard's list of this profile's unsaved forms, each to reopen or throw away. Nothing shows when none. */
export function UnsavedDrafts({ navigate }: { navigate: (view: View) => void }) {
  const [drafts, setDrafts] = useState(listDrafts);
  if (!drafts.length) return null;
  return (
    <Alert color="yellow" variant="light" title="Unsaved changes" data-testid="unsaved-drafts">
      {drafts.map((d) => (
        <Group key={d.key} justify="space-between" wrap="nowrap">
          <Text size="sm">{d.label} · last typed {formatInstant(d.savedAt)}</Text>
          <Group gap={4} wrap="nowrap">
            <Button size="compact-sm" variant="light" onClick={() => navigate(d.view)} data-testid="draft-open">Open</Button>
            <Button size="compact-sm" variant="subtle" color="gray"
              onClick={() => { if (window.confirm(`Discard the unsaved changes to "${d.label}"?`)) { discardDraft(d.key); setDrafts(listDrafts()); } }}>
              Discard
            </Button>
          </Group>
        </Group>
      ))}
    </Alert>
  );
}

/**
 * A dialog's text (a step's notes, an archive reason) kept like a form's: closing the dialog by accident, the idle
 * lock or the window closing loses nothing; reopening the same dialog puts the text back. `title` names it, in the
 * store and on the dashboard. Only what `form` holds is kept — never a passphrase. `discard` puts the dialog back as
 * it opened.
 */
export function useDialogDraft<T>(title: string, form: T, setForm: (form: T) => void) {
  const start = useRef(form);
  const startText = useRef(JSON.stringify(form));
  const kept = useFormDraft({
    draftKey: `dialog:${title}`,
    view: currentScreen,
    label: title,
    form,
    setForm,
    dirty: JSON.stringify(form) !== startText.current,
    ready: true,
    sinceVersion: false,
  });
  return {
    ...kept,
    discard: () => {
      kept.forget();
      setForm(start.current);
    },
  };
}
