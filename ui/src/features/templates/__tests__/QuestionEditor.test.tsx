import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../../test/render";
import { QuestionEditor, newQuestion } from "../QuestionEditor";

vi.mock("../../standards/ClausePicker", () => ({ ClausePicker: () => null }));

function editor(type: Parameters<typeof newQuestion>[0]) {
  const q = { ...newQuestion(type), text: "Extinguisher pressure" };
  return renderWithProviders(<QuestionEditor q={q} index="1.1" earlier={[]} errors={[]} onChange={vi.fn()} onMove={vi.fn()} onRemove={vi.fn()} />);
}

describe("A question in the builder", () => {
  it("offers a weight only where the answer scores", () => {
    editor("yes_no");
    expect(screen.getByTestId("q-weight")).toBeInTheDocument();
    expect(screen.queryByTestId("q-not-scored")).toBeNull();
  });

  it.each(["number", "text", "date", "photo", "signature"] as const)("says a %s question is not scored and has no weight to set", (type) => {
    editor(type);
    expect(screen.queryByTestId("q-weight")).toBeNull();
    expect(screen.getByTestId("q-not-scored")).toHaveTextContent("Not scored");
    expect(newQuestion(type).weight).toBe(0);
  });
});
