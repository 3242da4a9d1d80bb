import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../../test/render";

const call = vi.fn();
vi.mock("../../../api/backend", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api/backend")>();
  return { ...actual, call: (...args: unknown[]) => call(...args) };
});
import { SESSION_ENDED } from "../../../api/backend";
import { BackupsCard } from "../BackupsCard";

const backup = { path: "/d/backups/qgp-backup-20261201T090000000Z.sqlite3", fileName: "qgp-backup-20261201T090000000Z.sqlite3", sizeBytes: 2_097_152, createdAt: "2026-12-01T09:00:00.000Z" };
const verified = {
  path: backup.path, ok: true, integrityCheck: "ok", schemaVersion: 16, sha256: "a".repeat(64), problems: [], createdAt: backup.createdAt, trailHead: 412,
  auditTrail: { ok: true, eventsChecked: 412, firstBadSeq: null, problem: null, anchorSeq: null, missing: null },
  records: [{ kind: "incidents", count: 37 }, { kind: "audit events", count: 412 }],
};

describe("Backups on the Health page", () => {
  it("checks a backup, shows what it holds, and restores it only once confirmed, then asks everyone to sign in", async () => {
    call.mockImplementation(async (name: string) => {
      if (name === "backup.list") return [backup];
      if (name === "backup.verify") return verified;
      if (name === "backup.restore") return { restoredFrom: verified, safetyBackup: backup, migrated: [], headBefore: 500, headAfter: 413 };
      throw new Error(name);
    });
    const ended: string[] = [];
    const listener = (e: Event) => ended.push((e as CustomEvent<string>).detail);
    window.addEventListener(SESSION_ENDED, listener);
    renderWithProviders(<BackupsCard />);
    await userEvent.click(await screen.findByTestId("backup-check"));
    const checked = await screen.findByTestId("backup-checked");
    expect(checked).toHaveTextContent("schema 16");
    expect(checked).toHaveTextContent("audit trail up to event 412");
    expect(checked).toHaveTextContent("incidents: 37");
    expect(call).not.toHaveBeenCalledWith("backup.restore", expect.anything());
    await userEvent.click(screen.getByTestId("backup-restore"));
    await userEvent.click(await screen.findByTestId("backup-restore-confirm"));
    expect(call).toHaveBeenCalledWith("backup.restore", { path: backup.path });
    await waitFor(() => expect(ended).toHaveLength(1));
    expect(ended[0]).toContain("restored");
    window.removeEventListener(SESSION_ENDED, listener);
  });

  it("offers no restore for a backup that does not verify, and says why", async () => {
    call.mockImplementation(async (name: string) => {
      if (name === "backup.list") return [backup];
      if (name === "backup.verify") return { ...verified, ok: false, problems: ["It was written by a newer version of QGP Desktop (schema 99); this version cannot restore it."] };
      throw new Error(name);
    });
    renderWithProviders(<BackupsCard />);
    await userEvent.click(await screen.findByTestId("backup-check"));
    expect(await screen.findByTestId("backup-checked")).toHaveTextContent("newer version");
    expect(screen.queryByTestId("backup-restore")).toBeNull();
  });
});
