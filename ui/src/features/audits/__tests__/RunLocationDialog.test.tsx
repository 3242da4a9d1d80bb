import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../../test/render";
import type { RunRecord } from "../../../api/bindings";
import { RunLocationDialog } from "../RunLocationDialog";

const calls: Array<[string, unknown]> = [];
vi.mock("../../../api/backend", () => ({
  AppError: class {},
  call: vi.fn(async (name: string, input: unknown) => { calls.push([name, input]); return {}; }),
}));

const run = { id: "r1", reference: "AUD-2026-0001", rowVersion: 3, latitude: null, longitude: null, gpsAccuracyM: null } as unknown as RunRecord;

describe("A run's location", () => {
  it("saves typed coordinates to the run with its row version", async () => {
    const onClose = vi.fn();
    renderWithProviders(<RunLocationDialog run={run} onClose={onClose} />);
    await userEvent.type(screen.getByTestId("run-latitude"), "51.5072");
    await userEvent.type(screen.getByTestId("run-longitude"), "-0.1276");
    await userEvent.type(screen.getByTestId("run-accuracy"), "12");
    await userEvent.click(screen.getByTestId("run-location-save"));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(calls).toEqual([["runs.update", { id: "r1", rowVersion: 3, changes: { latitude: 51.5072, longitude: -0.1276, gpsAccuracyM: 12 } }]]);
  });

  it("says so when this computer cannot give its location", async () => {
    Object.defineProperty(navigator, "geolocation", {
      configurable: true,
      value: { getCurrentPosition: (_ok: unknown, fail: (e: { message: string }) => void) => fail({ message: "denied" }) },
    });
    renderWithProviders(<RunLocationDialog run={run} onClose={vi.fn()} />);
    await userEvent.click(screen.getByText("Use this computer's location"));
    expect(screen.getByTestId("run-locating")).toHaveTextContent("No location from this computer (denied)");
  });
});
