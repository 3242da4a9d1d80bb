import { afterEach, describe, expect, it } from "vitest";
import { formatInstant, formatInstantDate, getDisplayZone, setDisplayZone, todayInZone } from "../time";

describe("times are shown in the organisation's zone", () => {
  afterEach(() => setDisplayZone(null));

  it("shows an instant in the configured zone, summer and winter, as YYYY-MM-DD HH:MM", () => {
    setDisplayZone("Europe/London");
    expect(formatInstant("2026-06-30T23:30:00Z")).toBe("2026-07-01 00:30");
    expect(formatInstant("2026-11-27T21:20:05.123Z")).toBe("2026-11-27 21:20");
    expect(formatInstant("2026-11-27T21:20:05.123Z", { seconds: true })).toBe("2026-11-27 21:20:05");
    setDisplayZone("Asia/Tokyo");
    expect(formatInstant("2026-11-27T21:20:05Z")).toBe("2026-11-28 06:20");
    expect(formatInstantDate("2026-11-27T21:20:05Z")).toBe("2026-11-28");
  });

  it("offers today's date in the configured zone, not the computer's", () => {
    setDisplayZone("Pacific/Auckland");
    expect(todayInZone(new Date("2026-06-30T13:00:00Z"))).toBe("2026-07-01");
    setDisplayZone("America/Los_Angeles");
    expect(todayInZone(new Date("2026-07-01T05:00:00Z"))).toBe("2026-06-30");
  });

  it("falls back to the computer's zone for an unknown name, and shows a dash for no time", () => {
    setDisplayZone("Mars/Olympus_Mons");
    expect(getDisplayZone()).toBeUndefined();
    expect(formatInstant("2026-11-27T21:20:05Z")).toMatch(/^2026-11-2[78] \d\d:\d\d$/);
    expect(formatInstant(null)).toBe("—");
    expect(formatInstantDate(undefined)).toBe("—");
    expect(formatInstant("not a time")).toBe("not a time");
  });
});
