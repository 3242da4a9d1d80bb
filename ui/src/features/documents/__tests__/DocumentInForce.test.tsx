import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import type { DocumentView } from "../../../api/bindings";

const call = vi.fn();
vi.mock("../../../api/backend", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api/backend")>();
  return { ...actual, call: (...args: unknown[]) => call(...args) };
});
import { AcknowledgementPanel, RecordReviewDialog } from "../DocumentInForce";

const doc = {
  record: { id: "d1", reference: "POL-2026-0001", title: "Code of conduct", rowVersion: 4, acknowledgementRequired: true, ackWithinDays: 7, reviewFrequencyMonths: 12 },
  ackRoles: ["contributor"], ackUsers: [{ id: "u9", name: "Aud Auditor" }], versions: [], reviews: [],
  acknowledgements: [
    { id: "a1", userName: "Aud Auditor", userActive: true, status: "pending", overdue: true, requestedAt: "2026-11-26T12:00:00Z", dueDate: "2026-12-03", acknowledgedAt: null, carriedFromLabel: null },
    { id: "a2", userName: "Cora Contributor", userActive: true, status: "acknowledged", overdue: false, requestedAt: "2026-11-26T12:00:00Z", dueDate: "2026-12-03", acknowledgedAt: "2026-11-27T09:00:00Z", carriedFromLabel: "1.0" },
  ],
} as unknown as DocumentView;

const wrap = (ui: React.ReactNode) => render(<MantineProvider><QueryClientProvider client={new QueryClient()}>{ui}</QueryClientProvider></MantineProvider>);

describe("AcknowledgementPanel", () => {
  it("shows who is asked, progress, overdue and carried-over acknowledgements", () => {
    wrap(<AcknowledgementPanel doc={doc} />);
    expect(screen.getByText(/every contributor, Aud Auditor/)).toBeInTheDocument();
    expect(screen.getByTestId("ack-progress")).toHaveTextContent("1 of 2 acknowledged");
    const rows = screen.getAllByTestId("ack-row");
    expect(within(rows[0]).getByText("Overdue")).toBeInTheDocument();
    expect(within(rows[1]).getByText(/carried over from version 1.0/)).toBeInTheDocument();
  });
});

describe("RecordReviewDialog", () => {
  it("asks for a signature only when nothing changes, and sends the outcome", async () => {
    call.mockResolvedValue(doc);
    wrap(<RecordReviewDialog doc={doc} onClose={() => {}} />);
    expect(screen.getByTestId("review-passphrase")).toBeInTheDocument();
    await userEvent.click(screen.getByText("Major revision"));
    expect(screen.queryByTestId("review-passphrase")).not.toBeInTheDocument();
    await userEvent.type(screen.getByTestId("review-notes"), "New site opens");
    await userEvent.click(screen.getByTestId("review-confirm"));
    expect(call).toHaveBeenCalledWith("documents.record_review", {
      id: "d1", rowVersion: 4, outcome: "major_revision", notes: "New site opens", passphrase: undefined, nextReviewDate: undefined,
    });
  });
});
