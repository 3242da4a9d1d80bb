import { useCallback, useMemo, useState } from "react";
import type { AppError } from "../api/backend";

/**
 * The backend's field errors from the last save, minus the fields edited since: a message goes as soon as the person
 * changes the field it is about (and comes back only if the next save refuses it again). `edited("people")` also
 * clears nested messages ("people[0].name").
 */
export function useFieldErrors(error: AppError | null) {
  const [edited, setEdited] = useState<{ error: AppError | null; names: Set<string> }>({ error: null, names: new Set() });
  const fields = useMemo(() => {
    const names = edited.error === error ? edited.names : new Set<string>();
    const all = error?.fieldErrors() ?? {};
    return Object.fromEntries(Object.entries(all).filter(([k]) => ![...names].some((n) => k === n || k.startsWith(`${n}[`) || k.startsWith(`${n}.`))));
  }, [error, edited]);
  const markEdited = useCallback(
    (name: string) => setEdited((e) => {
      const current = e.error === error ? e.names : new Set<string>();
      return current.has(name) ? e : { error, names: new Set([...current, name]) };
    }),
    [error],
  );
  return { fields, edited: markEdited };
}
