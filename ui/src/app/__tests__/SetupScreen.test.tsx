import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";

const call = vi.fn();
const signIn = vi.fn();
vi.mock("../../api/backend", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api/backend")>();
  return { ...actual, call: (...args: unknown[]) => call(...args), signIn: (...args: unknown[]) => signIn(...args) };
});
import { AppError } from "../../api/backend";
import { SetupScreen } from "../Gate";

const ada = { id: "u1", displayName: "Ada Admin", email: "ada@example.com", role: "admin" };

describe("First run on a replacement laptop", () => {
  it("restores a backup set with the administrator's email and passphrase from it, then signs them in", async () => {
    call.mockResolvedValue({});
    signIn.mockResolvedValue(ada);
    const done = vi.fn();
    renderWithProviders(<SetupScreen onDone={done} />);
    await userEvent.click(screen.getByTestId("setup-restore"));
    await userEvent.type(screen.getByTestId("restore-path"), "/media/stick/qgp-backup-20261201T090000000Z.qgpbackup");
    await userEvent.type(screen.getByTestId("restore-email"), "ada@example.com");
    await userEvent.type(screen.getByTestId("restore-passphrase"), "correct horse battery");
    await userEvent.click(screen.getByTestId("restore-submit"));
    await waitFor(() => expect(done).toHaveBeenCalledWith(ada));
    expect(call).toHaveBeenCalledWith("setup.restore_backup", {
      path: "/media/stick/qgp-backup-20261201T090000000Z.qgpbackup", email: "ada@example.com", passphrase: "correct horse battery",
    });
    expect(signIn).toHaveBeenCalledWith("ada@example.com", "correct horse battery");
  });

  it("says nothing was restored when the passphrase is not the administrator's in the backup", async () => {
    call.mockRejectedValue(new AppError({ kind: "auth_failed", message: "That email and passphrase do not match an active administrator in the backup; nothing was restored.", requestId: "r1" }));
    signIn.mockReset();
    const done = vi.fn();
    renderWithProviders(<SetupScreen onDone={done} />);
    await userEvent.click(screen.getByTestId("setup-restore"));
    await userEvent.type(screen.getByTestId("restore-path"), "/media/stick/set.qgpbackup");
    await userEvent.type(screen.getByTestId("restore-email"), "ada@example.com");
    await userEvent.type(screen.getByTestId("restore-passphrase"), "wrong");
    await userEvent.click(screen.getByTestId("restore-submit"));
    expect(await screen.findByText(/do not match an active administrator/)).toBeInTheDocument();
    expect(screen.getByText("Nothing was restored")).toBeInTheDocument();
    expect(signIn).not.toHaveBeenCalled();
    expect(done).not.toHaveBeenCalled();
  });
});
