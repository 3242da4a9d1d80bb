// The idle lock (domain.md §1.12 session_idle_minutes): after that long without a key, click or mouse movement the
// session ends and the passphrase is asked again. Locking must not cost work in hand.
import { useEffect } from "react";
import type { QueryClient } from "@tanstack/react-query";

/**
 * What runs just before the lock: a field left mid-typing is left (audit answers save when their field is left),
 * and saves under way finish while the session still exists — up to `maxWaitMs` — instead of failing without one.
 */
export async function settleBeforeLock(queryClient: QueryClient, maxWaitMs = 10_000) {
  (document.activeElement as HTMLElement | null)?.blur?.();
  await new Promise((r) => window.setTimeout(r, 50));
  for (let waited = 0; queryClient.isMutating() > 0 && waited < maxWaitMs; waited += 100) {
    await new Promise((r) => window.setTimeout(r, 100));
  }
}

/** Calls `lock` after `minutes` without user input; any key, click, wheel or mouse movement starts the wait again. */
export function useIdleLock(minutes: number, queryClient: QueryClient, lock: () => Promise<void> | void) {
  useEffect(() => {
    let timer: number | undefined;
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        await settleBeforeLock(queryClient);
        await lock();
      }, minutes * 60_000);
    };
    reset();
    const events = ["mousemove", "keydown", "mousedown", "wheel"];
    events.forEach((e) => window.addEventListener(e, reset));
    return () => {
      window.clearTimeout(timer);
      events.forEach((e) => window.removeEventListener(e, reset));
    };
  }, [minutes, queryClient, lock]);
}
