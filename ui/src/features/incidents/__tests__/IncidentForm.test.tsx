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
import { listDrafts, loadDraft, setDraftOwner } from "../../../components/drafts";

function renderForm(navigate = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <IncidentFormPage navigate={navigate} />
      </QueryClientProvider>
    </MantineProvider>,
  );
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
    // Fixing a field takes its message away at once; the other field's message stays until it is fixed too.
    await userEvent.type(screen.getByTestId("field-title"), "Forklift hit racking");
    expect(screen.queryByText("Title cannot be blank")).toBeNull();
    expect(screen.getByText("Incident date cannot be in the future (today is 2026-11-26)")).toBeInTheDocument();
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
    const navigate = vi.fn();
    renderForm(navigate);
    for (const [id, text] of [["field-title", "Slip on wet floor"], ["field-description", "Near dock 3"], ["field-date", "2026-11-20"]]) {
      await userEvent.click(screen.getByTestId(id));
      await userEvent.paste(text);
    }
    await userEvent.click(screen.getByTestId("save-incident"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith({ name: "incident", id: "id-1" }));
  });

  it("keeps unsaved typing as a draft that comes back after the form goes away, for that profile only", async () => {
    setDraftOwner("user-ada");
    const first = renderForm();
    await userEvent.click(screen.getByTestId("field-title"));
    await userEvent.paste("Forklift near miss");
    await waitFor(() => expect(loadDraft<{ title: string }>("incident-new")?.form.title).toBe("Forklift near miss"), { timeout: 2000 });
    expect(listDrafts().map((d) => d.label)).toEqual(["New incident"]);
    first.unmount(); // the idle lock, or the window closing

    setDraftOwner("user-max");
    const other = renderForm();
    expect(screen.getByTestId("field-title")).toHaveValue("");
    expect(screen.queryByTestId("draft-notice")).toBeNull();
    other.unmount();

    setDraftOwner("user-ada");
    renderForm();
    expect(await screen.findByTestId("draft-notice")).toBeInTheDocument();
    expect(screen.getByTestId("field-title")).toHaveValue("Forklift near miss");
  });

  it("drops the draft once the incident is saved, or when the changes are discarded", async () => {
    setDraftOwner("user-ada");
    call.mockImplementation(async (name: string) => {
      if (name === "users.list") return [];
      if (name === "incidents.create") return { record: { id: "id-1", reference: "INC-2026-0001" } };
      throw new Error(name);
    });
    // As in the app, opening the saved incident takes the form off the screen at once.
    let first: ReturnType<typeof renderForm> | null = null;
    const navigate = vi.fn(() => first?.unmount());
    first = renderForm(navigate);
    await userEvent.click(screen.getByTestId("field-title"));
    await userEvent.paste("Spill in aisle 2");
    await waitFor(() => expect(loadDraft("incident-new")).not.toBeNull(), { timeout: 2000 });
    await userEvent.click(screen.getByTestId("save-incident"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith({ name: "incident", id: "id-1" }));
    expect(loadDraft("incident-new")).toBeNull();

    const second = renderForm();
    await userEvent.click(screen.getByTestId("field-title"));
    await userEvent.paste("Typed, then thrown away");
    await waitFor(() => expect(loadDraft("incident-new")).not.toBeNull(), { timeout: 2000 });
    second.unmount();
    renderForm();
    await userEvent.click(await screen.findByTestId("draft-discard"));
    expect(screen.getByTestId("field-title")).toHaveValue("");
    expect(loadDraft("incident-new")).toBeNull();
    expect(screen.queryByTestId("draft-notice")).toBeNull();
  });
});
