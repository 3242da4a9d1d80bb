import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../../test/render";
import { newQuestion } from "../../templates/QuestionEditor";
import { QuestionCard } from "../QuestionCard";

const pressure = { ...newQuestion("number"), text: "Extinguisher pressure", number: { min: 0, max: 30, decimals: 0, unit: "bar", acceptableMin: null, acceptableMax: null, outOfRangeSeverity: "medium" as const } };

describe("A question in a run", () => {
  it("shows a refused answer on the question itself, keeps what was typed, and says it is not saved", async () => {
    const onAnswer = vi.fn();
    const { rerender } = renderWithProviders(
      <QuestionCard q={pressure} number="1" response={undefined} editable problem={undefined} onAnswer={onAnswer} onAttach={vi.fn()} />,
    );
    const field = screen.getByTestId(`answer-${pressure.id}`);
    await userEvent.type(field, "45");
    await userEvent.tab();
    expect(onAnswer).toHaveBeenCalledWith({ answer: 45, isNa: false });
    rerender(
      <QuestionCard q={pressure} number="1" response={undefined} editable problem={undefined} refused="Not saved: Extinguisher pressure must be at most 30 (request r1)"
        onAnswer={onAnswer} onAttach={vi.fn()} />,
    );
    expect(screen.getByTestId(`answer-error-${pressure.id}`)).toHaveTextContent("must be at most 30");
    expect(screen.getByText("Not saved")).toBeInTheDocument();
    expect(screen.queryByText("Answered")).toBeNull();
    expect(screen.getByTestId(`answer-${pressure.id}`)).toHaveValue("45");
  });
});
