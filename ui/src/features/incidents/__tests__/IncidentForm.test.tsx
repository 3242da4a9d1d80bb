import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../../../api/backend";

// The command layer is the one module that talks to Tauri; here it is replaced by a mock.
const call = vi.fn();
vi.mock("../../../api/backend", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api/backend")>();
  return { ...actual, call: (...args: unknown[]) => call(...args) };
});

import { IncidentFormPage } from "../IncidentForm";

function renderForm(navigate = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <IncidentFormPage navigate={navigate} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return navigate;
}

beforeEach(() => {
  call.mockReset();
  call.mockImplementation(async (name: string) => {
    if (name === "users.list") return [];
    throw new Error(`unexpected ${name}`);
  });
});

describe("IncidentFormPage", () => {
  it("shows every field error the backend returns, next to its field, with the request id", async () => {
    call.mockImplementation(async (name: string) => {
      if (name === "users.list") return [];
      throw new AppError({
        kind: "validation_failed",
        message: "2 fields need attention",
        requestId: "req-123",
        fields: [
          { field: "title", code: "required", message: "Title cannot be blank" },
          { field: "incidentDate", code: "in_future", message: "Incident date cannot be in the future (today is 2026-11-26)" },
        ],
      });
    });
    renderForm();
    await userEvent.click(screen.getByTestId("save-incident"));
    expect(await screen.findByText("Title cannot be blank")).toBeInTheDocument();
    expect(screen.getByText("Incident date cannot be in the future (today is 2026-11-26)")).toBeInTheDocument();
    expect(screen.getByTestId("request-id")).toHaveTextContent("req-123");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("field-title")), { timeout: 2000 });
  });

  it("sends blank optional fields as null and opens the saved incident", async () => {
    call.mockImplementation(async (name: string, input: Record<string, unknown>) => {
      if (name === "users.list") return [];
      if (name === "incidents.create") {
        expect(input.title).toBe("Slip on wet floor");
        expect(input.location).toBeNull();
        return { record: { id: "id-1", reference: "INC-2026-0001" } };
      }
      throw new Error(name);
    });
    const navigate = renderForm();
    for (const [id, text] of [["field-title", "Slip on wet floor"], ["field-description", "Near dock 3"], ["field-date", "2026-11-20"]]) {
      await userEvent.click(screen.getByTestId(id));
      await userEvent.paste(text);
    }
    await userEvent.click(screen.getByTestId("save-incident"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith({ name: "incident", id: "id-1" }));
  });
});
