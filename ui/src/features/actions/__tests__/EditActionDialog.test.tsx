import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";

const call = vi.fn();
vi.mock("../../../api/backend", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api/backend")>();
  return { ...actual, call: (...args: unknown[]) => call(...args) };
});
import { EditActionDialog } from "../ActionDialogs";

const record = {
  id: "a1", reference: "ACT-2026-0001", title: "Fit guards", description: "Aisle 4", priority: "high", ownerId: "u1", dueDate: "2026-12-10",
  originalDueDate: "2026-12-10", dueDateChanges: [], rowVersion: 3,
};

describe("EditActionDialog", () => {
  it("asks why only when the due date moves later, and sends the reason", async () => {
    call.mockImplementation(async (name: string) => {
      if (name === "actions.get") return { record };
      if (name === "users.list") return [{ id: "u1", displayName: "Ada" }];
      if (name === "actions.update") return { record: { ...record, reference: "ACT-2026-0001" } };
      throw new Error(name);
    });
    render(
      <MantineProvider>
        <QueryClientProvider client={new QueryClient()}>
          <EditActionDialog id="a1" onClose={() => {}} />
        </QueryClientProvider>
      </MantineProvider>,
    );
    const due = await screen.findByTestId("edit-action-due");
    await userEvent.clear(due);
    await userEvent.type(due, "2026-12-01");
    expect(screen.queryByTestId("edit-action-reason")).not.toBeInTheDocument();
    await userEvent.clear(due);
    await userEvent.type(due, "2027-01-15");
    await userEvent.type(screen.getByTestId("edit-action-reason"), "Supplier delay");
    await userEvent.click(screen.getByTestId("edit-action-save"));
    expect(call).toHaveBeenCalledWith("actions.update", { id: "a1", rowVersion: 3, changes: { dueDate: "2027-01-15" }, dueDateChangeReason: "Supplier delay" });
  });
});
