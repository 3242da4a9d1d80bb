import { useEffect, useSyncExternalStore } from "react";

/**
 * What on screen is not saved, for the header's badge: a form with changes not yet saved, an answer the backend
 * refused. Keyed by what holds it; each entry says what it is ("Incident INC-2026-0001", "Answer to 1.3").
 */
const entries = new Map<string, string>();
const listeners = new Set<() => void>();
let snapshot: string[] = [];

function changed() {
  snapshot = [...entries.values()];
  listeners.forEach((l) => l());
}

export function markUnsaved(key: string, label: string) {
  if (entries.get(key) === label) return;
  entries.set(key, label);
  changed();
}

export function clearUnsaved(key: string) {
  if (entries.delete(key)) changed();
}

/** Everything not saved, as labels. */
export function useUnsaved(): string[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => snapshot,
  );
}

/** Marks `key` unsaved while `unsaved` holds, and clears it when it no longer does or the screen goes. */
export function useUnsavedWhile(unsaved: boolean, key: string, label: string) {
  useEffect(() => {
    if (unsaved) markUnsaved(key, label);
    else clearUnsaved(key);
  }, [unsaved, key, label]);
  useEffect(() => () => clearUnsaved(key), [key]);
}
