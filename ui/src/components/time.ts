// Dates and times as the app shows them (domain.md §1.4, §1.12): in the organisation's configured time zone, not
// the laptop's, and in one unambiguous form — 2026-11-27 21:20 — the same order as the calendar dates beside them.
// The zone comes from `app.status` at start and again after Settings change it.

let displayZone: string | undefined;

/** Sets the IANA zone to show times in (`null`: the computer's). An unknown name falls back to the computer's. */
export function setDisplayZone(zone: string | null | undefined) {
  displayZone = zone ?? undefined;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: displayZone });
  } catch {
    displayZone = undefined;
  }
}

export function getDisplayZone(): string | undefined {
  return displayZone;
}

function parts(at: Date, withTime: boolean, seconds: boolean): Record<string, string> {
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone: displayZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" as const, ...(seconds ? { second: "2-digit" as const } : {}) } : {}),
  });
  return Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
}

/** `2026-11-27 21:20` (with `seconds`: `21:20:05`) in the display zone; "—" for none; the text itself if unparseable. */
export function formatInstant(iso: string | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!iso) return "—";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const p = parts(at, true, options.seconds ?? false);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${options.seconds ? `:${p.second}` : ""}`;
}

/** The calendar date of an instant in the display zone: `2026-11-27`. */
export function formatInstantDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : todayInZone(at);
}

/** Today in the display zone (or the date of `now` there), `YYYY-MM-DD`: the date forms offer, and the one the
 *  backend judges "future" by. */
export function todayInZone(now: Date = new Date()): string {
  const p = parts(now, false, false);
  return `${p.year}-${p.month}-${p.day}`;
}
