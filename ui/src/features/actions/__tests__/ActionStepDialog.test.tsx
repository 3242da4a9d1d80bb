import { expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ActionSummary, ActionTransitionOption } from "../../../api/bindings";
import { ActionStepDialog } from "../ActionDialogs";
import { listDrafts, setDraftOwner } from "../../../components/drafts";
import { renderWithProviders } from "../../../test/render";

vi.mock("../../../api/backend", async (importOriginal) => ({ ...(await importOriginal<object>()), call: vi.fn() }));

const action = { id: "a1", reference: "ACT-2026-0001", title: "Fit guards", status: "completed", rowVersion: 3 } as unknown as ActionSummary;
const verify = { to: "verified", needs: ["verificationNotes", "passphrase"], unmetGuards: [], signature: true } as unknown as ActionTransitionOption;

it("keeps an action's verification notes when its dialog goes, but never the passphrase", async () => {
  setDraftOwner("user-max");
  const dialog = () => <ActionStepDialog action={action} option={verify} onClose={vi.fn()} />;
  const first = renderWithProviders(dialog());
  await userEvent.type(screen.getByTestId("step-verification-notes"), "Guards seen in place on every aisle");
  await userEvent.type(screen.getByTestId("step-passphrase"), "correct horse battery");
  first.unmount();
  expect(JSON.stringify(window.localStorage)).not.toContain("correct horse battery");
  expect(listDrafts().map((d) => d.label)).toEqual(["Verify effective: ACT-2026-0001"]);
  renderWithProviders(dialog());
  expect(await screen.findByTestId("step-verification-notes")).toHaveValue("Guards seen in place on every aisle");
  expect(screen.getByTestId("step-passphrase")).toHaveValue("");
});
