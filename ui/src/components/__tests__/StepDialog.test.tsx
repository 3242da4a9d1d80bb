import { describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StepDialog } from "../RecordParts";
import { listDrafts, setCurrentScreen, setDraftOwner } from "../drafts";
import { renderWithProviders } from "../../test/render";

function open(run: (v: Record<string, string | undefined>) => Promise<unknown>, onClose = vi.fn()) {
  return renderWithProviders(<StepDialog title="Move to Closed: INC-2026-0001" needs={["closureNotes", "passphrase"]} run={run} onClose={onClose} />);
}

describe("a step's dialog", () => {
  it("keeps the notes, never the passphrase, when it goes before the step is done, and drops them once done", async () => {
    setDraftOwner("user-ada");
    setCurrentScreen({ name: "incident", id: "i1" });
    const run = vi.fn(async () => ({}));
    const first = open(run);
    await userEvent.type(screen.getByTestId("step-closureNotes"), "Guards fitted on all aisles");
    await userEvent.type(screen.getByTestId("step-passphrase"), "correct horse battery");
    first.unmount(); // the idle lock, an Escape, the window closing

    const stored = JSON.stringify(window.localStorage);
    expect(stored).toContain("Guards fitted on all aisles");
    expect(stored).not.toContain("correct horse battery");
    expect(listDrafts().map((d) => [d.label, d.view])).toEqual([["Move to Closed: INC-2026-0001", { name: "incident", id: "i1" }]]);

    open(run);
    expect(await screen.findByTestId("draft-notice")).toBeInTheDocument();
    expect(screen.getByTestId("step-closureNotes")).toHaveValue("Guards fitted on all aisles");
    expect(screen.getByTestId("step-passphrase")).toHaveValue("");
    await userEvent.type(screen.getByTestId("step-passphrase"), "correct horse battery");
    await userEvent.click(screen.getByTestId("step-confirm"));
    await waitFor(() => expect(run).toHaveBeenCalledWith({ closureNotes: "Guards fitted on all aisles", passphrase: "correct horse battery", comment: undefined }));
    await waitFor(() => expect(listDrafts()).toEqual([]));
  });
});

describe("discarding a step's kept notes", () => {
  it("puts the dialog back as it opened, notes already on the record included", async () => {
    setDraftOwner("user-ada");
    const dialog = () => <StepDialog title="Close: CMP-2026-0001" needs={["closureNotes"]} initial={{ closureNotes: "Refund sent" }} run={vi.fn()} onClose={vi.fn()} />;
    const first = renderWithProviders(dialog());
    await userEvent.type(screen.getByTestId("step-closureNotes"), " and apology letter");
    first.unmount();
    renderWithProviders(dialog());
    expect(await screen.findByTestId("step-closureNotes")).toHaveValue("Refund sent and apology letter");
    await userEvent.click(screen.getByTestId("draft-discard"));
    expect(screen.getByTestId("step-closureNotes")).toHaveValue("Refund sent");
    expect(listDrafts()).toEqual([]);
  });
});
