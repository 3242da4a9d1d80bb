import { describe, expect, it } from "vitest";
import { count } from "../plural";

describe("counts in words", () => {
  it("uses the singular for exactly one and groups thousands", () => {
    expect(count(1, "risk")).toBe("1 risk");
    expect(count(0, "risk")).toBe("0 risks");
    expect(count(2, "entry", "entries")).toBe("2 entries");
    expect(count(100000, "incident")).toBe("100,000 incidents");
  });
});
