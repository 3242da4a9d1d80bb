import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../../test/render";

const call = vi.fn();
vi.mock("../../../api/backend", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api/backend")>();
  return { ...actual, call: (...args: unknown[]) => call(...args) };
});
import { AppError } from "../../../api/backend";
import { TrustedKeys } from "../TrustedKeys";

const office = { fingerprint: "aaaaaaaa bbbbbbbb cccccccc dddddddd eeeeeeee", label: "Office copy", publicKeyPem: "-----BEGIN PUBLIC KEY-----", createdAt: "2026-12-01T09:00:00.000Z", active: true };

describe("Known signing keys", () => {
  it("adds a key with its label, shows the field the backend refuses, and withdraws a key only with a reason", async () => {
    let keys = [office];
    call.mockImplementation(async (name: string, input: Record<string, string>) => {
      if (name === "keys.trusted") return keys;
      if (name === "keys.trust" && input.label === "") throw new AppError({ kind: "validation_failed", message: "bad", requestId: "r", fields: [{ field: "label", code: "required", message: "Label is required" }] });
      if (name === "keys.trust" && input.publicKeyPem === "nonsense") throw new AppError({ kind: "validation_failed", message: "bad", requestId: "r", fields: [{ field: "publicKeyPem", code: "invalid_format", message: "Public key must be an Ed25519 public key in PEM form" }] });
      if (name === "keys.trust") { const k = { ...office, fingerprint: "ffff", label: input.label }; keys = [...keys, k]; return k; }
      if (name === "keys.distrust") { keys = keys.map((k) => (k.fingerprint === input.fingerprint ? { ...k, active: false } : k)); return keys[0]; }
      throw new Error(name);
    });
    renderWithProviders(<TrustedKeys admin />);
    expect(await screen.findByText("Office copy")).toBeInTheDocument();
    await userEvent.type(screen.getByTestId("trust-pem"), "nonsense");
    await userEvent.type(screen.getByTestId("trust-label"), "Sam's laptop");
    await userEvent.click(screen.getByTestId("trust-add"));
    expect(await screen.findByText("Public key must be an Ed25519 public key in PEM form")).toBeInTheDocument();
    await userEvent.clear(screen.getByTestId("trust-pem"));
    await userEvent.type(screen.getByTestId("trust-pem"), "-----BEGIN PUBLIC KEY-----");
    await userEvent.click(screen.getByTestId("trust-add"));
    expect(call).toHaveBeenCalledWith("keys.trust", { publicKeyPem: "-----BEGIN PUBLIC KEY-----", label: "Sam's laptop" });
    expect(await screen.findByText("Sam's laptop")).toBeInTheDocument();

    await userEvent.click(screen.getAllByText("Withdraw…")[0]);
    const withdraw = screen.getByRole("button", { name: "Withdraw" });
    expect(withdraw).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/no longer trusted/), "Laptop lost");
    await userEvent.click(withdraw);
    expect(call).toHaveBeenCalledWith("keys.distrust", { fingerprint: office.fingerprint, reason: "Laptop lost" });
    await waitFor(() => expect(screen.getByText("withdrawn")).toBeInTheDocument());
  });

  it("shows the keys but no way to change them to someone who is not an administrator", async () => {
    call.mockImplementation(async (name: string) => (name === "keys.trusted" ? [office] : Promise.reject(new Error(name))));
    renderWithProviders(<TrustedKeys admin={false} />);
    expect(await screen.findByText("Office copy")).toBeInTheDocument();
    expect(screen.queryByTestId("trust-add")).toBeNull();
    expect(screen.queryByText("Withdraw…")).toBeNull();
  });
});
