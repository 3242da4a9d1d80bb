import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import type { ActionSummary, UserView } from "../../../api/bindings";

const call = vi.fn();
vi.mock("../../../api/backend", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api/backend")>();
  return { ...actual, call: (...args: unknown[]) => call(...args) };
});
import { ActionTable } from "../ActionTable";

const user: UserView = { id: "u1", displayName: "Ada", email: "a@x.io", role: "admin", jobTitle: null, department: null, phone: null, isActive: true, lastSignInAt: null, createdAt: "", rowVersion: 1 };
const action: ActionSummary = {
  id: "a1", reference: "ACT-2026-0001", title: "Fit guards", sourceType: "incident", sourceId: "i1", sourceReference: "INC-2026-0001",
  actionType: "corrective", priority: "high", status: "open", ownerId: "u1", ownerName: "Ada", dueDate: "2026-11-20", rowVersion: 1,
  requiresVerification: true, archivedAt: null, flags: { terminal: false, overdue: true, daysOverdue: 6, dueSoon: false, verificationOverdue: false },
};

describe("ActionTable", () => {
  it("shows overdue days in the row and opens the completion step", async () => {
    call.mockImplementation(async (name: string) => {
      if (name === "actions.get") return { record: {}, transitions: [{ to: "completed", needs: ["completionNotes"], unmetGuards: [], signature: false }], signatures: [] };
      throw new Error(name);
    });
    render(
      <MantineProvider>
        <QueryClientProvider client={new QueryClient()}>
          <ActionTable items={[action]} user={user} />
        </QueryClientProvider>
      </MantineProvider>,
    );
    expect(screen.getByTestId("action-due")).toHaveTextContent("2026-11-20 · 6 days overdue");
    await userEvent.click(await screen.findByTestId("action-step-completed"));
    expect(await screen.findByTestId("step-completion-notes")).toBeInTheDocument();
  });
});
