import { render, screen } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { describe, expect, it } from "vitest";
import { ErrorAlert } from "../ErrorAlert";
import { AppError } from "../../api/backend";

describe("ErrorAlert", () => {
  it("shows the message and the request id, never a stack", () => {
    const error = new AppError({ kind: "conflict", message: "Incident INC-2026-0001 was changed elsewhere", requestId: "01a2-req" });
    render(<MantineProvider><ErrorAlert error={error} /></MantineProvider>);
    expect(screen.getByText("Incident INC-2026-0001 was changed elsewhere")).toBeInTheDocument();
    expect(screen.getByTestId("request-id")).toHaveTextContent("01a2-req");
  });

  it("maps field errors by field name, first message wins", () => {
    const error = new AppError({
      kind: "validation_failed",
      message: "2 fields need attention",
      requestId: "r",
      fields: [
        { field: "title", code: "required", message: "Title cannot be blank" },
        { field: "title", code: "too_long", message: "second" },
        { field: "incidentDate", code: "in_future", message: "Incident date cannot be in the future" },
      ],
    });
    expect(error.fieldErrors()).toEqual({ title: "Title cannot be blank", incidentDate: "Incident date cannot be in the future" });
  });
});
