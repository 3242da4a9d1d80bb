import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { InvestigationView } from "../../../api/bindings";

const call = vi.fn();
vi.mock("../../../api/backend", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api/backend")>();
  return { ...actual, call: (...args: unknown[]) => call(...args) };
});
import { WhysEditor } from "../RcaEditors";
import { loadDraft, setDraftOwner } from "../../../components/drafts";
import { renderWithProviders } from "../../../test/render";

const view = {
  record: { id: "v1", reference: "INV-2026-0001", rowVersion: 4, fiveWhys: [{ step: 1, why: "Why did it fall?", because: "Not seated", evidenceNote: null, isRootCause: false }], timeline: [], fishbone: [] },
} as unknown as InvestigationView;

function renderEditor() {
  return renderWithProviders(<WhysEditor view={view} editable />);
}

describe("WhysEditor", () => {
  it("keeps a chain being written when its tab is left and puts it back on return; saving drops it", async () => {
    setDraftOwner("user-ada");
    call.mockResolvedValue({});
    const first = renderEditor();
    await userEvent.click(screen.getByTestId("why-add"));
    await userEvent.type(screen.getAllByTestId("why-why")[1], "Why was it not seated?");
    first.unmount(); // another tab opened at once
    expect(loadDraft<unknown[]>("investigation-whys:v1")?.label).toBe("INV-2026-0001 5 whys");

    renderEditor();
    expect(await screen.findByTestId("draft-notice")).toBeInTheDocument();
    expect(screen.getAllByTestId("why-why")[1]).toHaveValue("Why was it not seated?");
    await userEvent.type(screen.getAllByTestId("why-because")[1], "No beam locks");
    await userEvent.click(screen.getByTestId("whys-save"));
    // A part of a record saved on its own names the record's current version, not the draft's.
    expect(call).toHaveBeenCalledWith("investigations.update", expect.objectContaining({ rowVersion: 4 }));
    await vi.waitFor(() => expect(loadDraft("investigation-whys:v1")).toBeNull());
  });

  it("adds a step, allows the root cause only on the last one, and saves the whole chain", async () => {
    call.mockResolvedValue({});
    renderEditor();
    await userEvent.click(screen.getByTestId("why-add"));
    const roots = screen.getAllByTestId("why-root");
    expect(roots[0]).toBeDisabled();
    expect(roots[1]).toBeEnabled();
    await userEvent.type(screen.getAllByTestId("why-why")[1], "Why was it not seated?");
    await userEvent.type(screen.getAllByTestId("why-because")[1], "No beam locks");
    await userEvent.click(roots[1]);
    await userEvent.click(screen.getByTestId("whys-save"));
    expect(call).toHaveBeenCalledWith("investigations.update", {
      id: "v1",
      rowVersion: 4,
      changes: {
        fiveWhys: [
          { why: "Why did it fall?", because: "Not seated", evidenceNote: null, isRootCause: false },
          { why: "Why was it not seated?", because: "No beam locks", evidenceNote: null, isRootCause: true },
        ],
      },
    });
  });

  it("shows the backend's error next to the step it names", async () => {
    const { AppError } = await import("../../../api/backend");
    call.mockRejectedValue(new AppError({ kind: "validation_failed", message: "Bad", requestId: "r1", fields: [{ field: "fiveWhys[0].because", code: "required", message: "Because cannot be blank" }] }));
    renderEditor();
    await userEvent.clear(screen.getAllByTestId("why-because")[0]);
    await userEvent.click(screen.getByTestId("whys-save"));
    expect(await screen.findByText("Because cannot be blank")).toBeInTheDocument();
  });
});
