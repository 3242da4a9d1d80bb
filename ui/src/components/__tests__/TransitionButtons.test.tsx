import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { TransitionButtons } from "../RecordParts";

const labels: Record<string, string> = { cancelled: "Cancel", in_progress: "Start", closed: "Close", reported: "Reopen", treated: "Mark treated" };
const options = (...to: string[]) => to.map((t) => ({ to: t, unmetGuards: [] as string[] }));

describe("Workflow step buttons", () => {
  it("never make cancelling, closing or reopening the primary button", () => {
    renderWithProviders(<TransitionButtons options={options("cancelled", "in_progress")} label={(t) => labels[t.to]} onChoose={vi.fn()} />);
    expect(screen.getByTestId("transition-in_progress")).toHaveAttribute("data-variant", "filled");
    expect(screen.getByTestId("transition-cancelled")).toHaveAttribute("data-variant", "outline");
  });

  it("leave no primary button when every step is a cautionary one", () => {
    renderWithProviders(<TransitionButtons options={options("closed", "reported")} label={(t) => labels[t.to]} onChoose={vi.fn()} />);
    expect(screen.getByTestId("transition-closed")).toHaveAttribute("data-variant", "outline");
    expect(screen.getByTestId("transition-reported")).toHaveAttribute("data-variant", "outline");
  });

  it("make the first available forward step primary and the others light", () => {
    const blocked = [{ to: "treated", unmetGuards: ["Add a control first."] }, ...options("in_progress", "closed")];
    renderWithProviders(<TransitionButtons options={blocked} label={(t) => labels[t.to]} onChoose={vi.fn()} />);
    expect(screen.getByTestId("transition-in_progress")).toHaveAttribute("data-variant", "filled");
    expect(screen.getByTestId("transition-treated")).toHaveAttribute("data-variant", "light");
  });
});
