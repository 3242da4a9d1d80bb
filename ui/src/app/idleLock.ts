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

/** How often, at most, activity in the window is reported to the backend, whose session also ends when idle. */
export const KEEP_ALIVE_MS = 60_000;

/**
 * Calls `lock` after `minutes` without user input; any key, click, wheel or mouse movement starts the wait again.
 * Activity also calls `keepAlive` (at most once a minute), so reading a long record without saving anything does not
 * let the backend's own idle limit end the session under the user.
 */
export function useIdleLock(minutes: number, queryClient: QueryClient, lock: () => Promise<void> | void, keepAlive?: () => unknown) {
  useEffect(() => {
    let timer: number | undefined;
    let lastKeepAlive = Date.now();
    const reset = () => {
      if (keepAlive && Date.now() - lastKeepAlive >= KEEP_ALIVE_MS) {
        lastKeepAlive = Date.now();
        Promise.resolve(keepAlive()).catch(() => undefined);
      }
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
  }, [minutes, queryClient, lock, keepAlive]);
}
