import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { HistoryTable, historyValue } from "../RecordParts";
import { setDisplayZone } from "../time";

vi.mock("../../api/backend", () => ({
  call: vi.fn(async () => [
    { id: "e1", seq: 1, occurredAt: "2026-06-30T23:30:05Z", actorName: "Ada Admin", action: "create", reason: null,
      changes: [{ field: "title", old: null, new: "Forklift \"near\" miss" }, { field: "first_aid_given", old: null, new: false }],
      shown: [{ field: "Title", old: null, new: "Forklift \"near\" miss" }, { field: "First aid given", old: null, new: "No" }] },
    { id: "e2", seq: 2, occurredAt: "2026-07-01T08:00:00Z", actorName: "Max Manager", action: "update", reason: null,
      changes: [{ field: "location", old: null, new: "Bay 4" }, { field: "investigator_id", old: null, new: "0193-u2" }, { field: "status", old: "reported", new: "under_investigation" }],
      shown: [{ field: "Location", old: null, new: "Bay 4" }, { field: "Investigator", old: null, new: "Ivy Investigator" }, { field: "Status", old: "Reported", new: "Under investigation" }] },
  ]),
}));

describe("history", () => {
  it("shows recorded values as typed, with yes/no and a dash for none", () => {
    expect(historyValue("under_investigation")).toBe("under_investigation");
    expect(historyValue("")).toBe("(empty)");
    expect(historyValue(true)).toBe("Yes");
    expect(historyValue(null)).toBe("—");
    expect(historyValue(0)).toBe("0");
    expect(historyValue(["a", "b"])).toBe('["a","b"]');
  });

  it("lists each event in the organisation's zone with what changed, old to new after creation", async () => {
    setDisplayZone("Europe/London");
    render(
      <MantineProvider>
        <QueryClientProvider client={new QueryClient()}>
          <HistoryTable command="incidents.history" id="i1" />
        </QueryClientProvider>
      </MantineProvider>,
    );
    const rows = await screen.findAllByTestId("history-row");
    expect(rows[0]).toHaveTextContent("2026-07-01 00:30:05");
    expect(rows[0]).toHaveTextContent('Title: Forklift "near" miss');
    expect(rows[0]).toHaveTextContent("First aid given: No");
    expect(rows[0]).not.toHaveTextContent("→");
    expect(rows[1]).toHaveTextContent("Location: — → Bay 4");
    expect(rows[1]).toHaveTextContent("Investigator: — → Ivy Investigator");
    expect(rows[1]).toHaveTextContent("Status: Reported → Under investigation");
    expect(rows[1]).not.toHaveTextContent("0193-u2");

    // The stored event, exactly: codes, ids, JSON values and the UTC instant.
    fireEvent.click(screen.getByTestId("history-as-recorded"));
    const raw = await screen.findAllByTestId("history-row");
    expect(raw[0]).toHaveTextContent("2026-06-30T23:30:05Z");
    expect(raw[0]).toHaveTextContent("first_aid_given: false");
    expect(raw[1]).toHaveTextContent('investigator_id: null → "0193-u2"');
    expect(raw[1]).toHaveTextContent('status: "reported" → "under_investigation"');
    setDisplayZone(null);
  });
});
