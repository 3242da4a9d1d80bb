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

const backup = { path: "/d/backups/qgp-backup-20261201T090000000Z.qgpbackup", fileName: "qgp-backup-20261201T090000000Z.qgpbackup", sizeBytes: 2_097_152, createdAt: "2026-12-01T09:00:00.000Z", kind: "set" };
const verified = {
  path: backup.path, ok: true, integrityCheck: "ok", schemaVersion: 16, sha256: "a".repeat(64), problems: [], createdAt: backup.createdAt, trailHead: 412,
  auditTrail: { ok: true, eventsChecked: 412, firstBadSeq: null, problem: null, anchorSeq: null, missing: null },
  records: [{ kind: "incidents", count: 37 }, { kind: "audit events", count: 412 }],
  trailHeadHash: "b".repeat(64), kind: "set", evidenceFiles: 3, evidenceBytes: 3_145_728, keyFiles: 1, warnings: [],
};

describe("Backups on the Health page", () => {
  it("checks a backup, shows what it holds, and restores it only once confirmed, then asks everyone to sign in", async () => {
    call.mockImplementation(async (name: string) => {
      if (name === "backup.list") return [backup];
      if (name === "backup.verify") return verified;
      if (name === "backup.restore") return { restoredFrom: verified, safetyBackup: backup, files: { evidenceWritten: 2, keysWritten: 0 }, migrated: [], headBefore: 500, headAfter: 413 };
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
    expect(screen.getByTestId("backup-files")).toHaveTextContent("3 evidence files (3.0 MB) · 1 key");
    expect(screen.getByTestId("backup-row")).toHaveTextContent("Database, files and key");
    expect(call).not.toHaveBeenCalledWith("backup.restore", expect.anything());
    await userEvent.click(screen.getByTestId("backup-restore"));
    await userEvent.click(await screen.findByTestId("backup-restore-confirm"));
    expect(call).toHaveBeenCalledWith("backup.restore", { path: backup.path });
    await waitFor(() => expect(ended).toHaveLength(1));
    expect(ended[0]).toContain("restored");
    expect(ended[0]).toContain("2 evidence files were put back");
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

  it("checks a backup from elsewhere (a USB stick) as well as those in the backup folder", async () => {
    call.mockImplementation(async (name: string) => {
      if (name === "backup.list") return [];
      if (name === "backup.verify") return { ...verified, path: "/media/stick/qgp-backup-20261201T090000000Z.qgpbackup" };
      throw new Error(name);
    });
    renderWithProviders(<BackupsCard />);
    expect(await screen.findByText("No backup has been taken yet.")).toBeInTheDocument();
    await userEvent.type(screen.getByTestId("backup-elsewhere"), "/media/stick/qgp-backup-20261201T090000000Z.qgpbackup");
    await userEvent.click(screen.getByTestId("backup-elsewhere-check"));
    expect(await screen.findByTestId("backup-checked")).toHaveTextContent("This backup verifies");
    expect(call).toHaveBeenCalledWith("backup.verify", { path: "/media/stick/qgp-backup-20261201T090000000Z.qgpbackup" });
    expect(screen.getByTestId("backup-restore")).toBeInTheDocument();
  });

  it("says when a backup holds the database alone", async () => {
    call.mockImplementation(async (name: string) => {
      if (name === "backup.list") return [{ ...backup, kind: "database" }];
      if (name === "backup.verify") return { ...verified, kind: "database", evidenceFiles: 0, evidenceBytes: 0, keyFiles: 0, warnings: ["This is a backup of the database alone (from an older version)"] };
      throw new Error(name);
    });
    renderWithProviders(<BackupsCard />);
    expect(await screen.findByTestId("backup-row")).toHaveTextContent("Database only");
    await userEvent.click(screen.getByTestId("backup-check"));
    expect(await screen.findByTestId("backup-files")).toHaveTextContent("database only");
    expect(screen.getByTestId("backup-checked")).toHaveTextContent("from an older version");
  });
});
