import { act, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { markUnsaved, clearUnsaved, useUnsaved, useUnsavedWhile } from "../unsaved";

function Badge() {
  const unsaved = useUnsaved();
  return <span data-testid="badge">{unsaved.length ? `Not saved: ${unsaved.join("; ")}` : "All saved"}</span>;
}
function Form({ dirty }: { dirty: boolean }) {
  useUnsavedWhile(dirty, "form:incident:new", "New incident");
  return null;
}

describe("what is not saved", () => {
  it("follows a form's unsaved changes and a refused answer, and forgets a form that is gone", () => {
    const { rerender } = render(<><Badge /><Form dirty={false} /></>);
    expect(screen.getByTestId("badge")).toHaveTextContent("All saved");
    rerender(<><Badge /><Form dirty /></>);
    expect(screen.getByTestId("badge")).toHaveTextContent("Not saved: New incident");
    act(() => markUnsaved("answer:r1:q1", "an answer in AUD-2026-0001"));
    expect(screen.getByTestId("badge")).toHaveTextContent("New incident; an answer in AUD-2026-0001");
    act(() => clearUnsaved("answer:r1:q1"));
    rerender(<><Badge /></>);
    expect(screen.getByTestId("badge")).toHaveTextContent("All saved");
  });
});
