import { describe, expect, it, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { call, SESSION_ENDED } from "../backend";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

describe("a session the backend ended", () => {
  it("is announced once with the backend's reason, and the call still fails with its envelope", async () => {
    const reason = "Your profile has been deactivated by an administrator, so you were signed out.";
    vi.mocked(invoke).mockRejectedValueOnce({ kind: "auth_required", message: reason, requestId: "r-1" });
    const heard: string[] = [];
    const listener = (e: Event) => heard.push((e as CustomEvent<string>).detail);
    window.addEventListener(SESSION_ENDED, listener);
    await expect(call("incidents.list", {})).rejects.toMatchObject({ kind: "auth_required", message: reason });
    vi.mocked(invoke).mockRejectedValueOnce({ kind: "forbidden", message: "no", requestId: "r-2" });
    await expect(call("incidents.list", {})).rejects.toMatchObject({ kind: "forbidden" });
    window.removeEventListener(SESSION_ENDED, listener);
    expect(heard).toEqual([reason]);
  });
});
