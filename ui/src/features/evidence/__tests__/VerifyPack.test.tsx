import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MantineProvider } from "@mantine/core";
import { describe, expect, it, vi } from "vitest";

const call = vi.fn();
const chooseFileToOpen = vi.fn();
vi.mock("../../../api/backend", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../api/backend")>();
  return { ...actual, call: (...args: unknown[]) => call(...args), chooseFileToOpen: (...args: unknown[]) => chooseFileToOpen(...args) };
});
import { VerifyPack } from "../VerifyPack";

const verdict = {
  ok: false, intact: false, signer: "this_installation", signerLabel: null, path: "/p.zip", signature: "valid", fingerprint: "aaaa bbbb", signedByThisInstallation: true,
  subjectTitle: "Audit AUD-2026-0001", createdAt: "2026-11-27T09:00:00.000Z", createdBy: "Ada", organisation: "Acme",
  files: [
    { path: "report.pdf", status: "ok", expectedSha256: "1".repeat(64), actualSha256: "1".repeat(64) },
    { path: "evidence/abc-photo.jpg", status: "altered", expectedSha256: "2".repeat(64), actualSha256: "3".repeat(64) },
  ],
  unexpected: ["evidence/extra.jpg"],
  problems: ["evidence/abc-photo.jpg was altered: its SHA-256 is not the one in the manifest.", "evidence/extra.jpg was added: the manifest does not list it."],
};

describe("VerifyPack", () => {
  it("Browse… fills the path from the system's open dialog, for zip files, and a cancelled dialog changes nothing", async () => {
    render(<MantineProvider><VerifyPack /></MantineProvider>);
    chooseFileToOpen.mockResolvedValueOnce("/home/ada/Downloads/pack-AUD-2026-0001.zip");
    await userEvent.click(screen.getByTestId("verify-path-browse"));
    expect(await screen.findByDisplayValue("/home/ada/Downloads/pack-AUD-2026-0001.zip")).toBeInTheDocument();
    expect(chooseFileToOpen).toHaveBeenCalledWith(expect.objectContaining({ extensions: ["zip"] }));
    chooseFileToOpen.mockResolvedValueOnce(null);
    await userEvent.click(screen.getByTestId("verify-path-browse"));
    expect(chooseFileToOpen).toHaveBeenLastCalledWith(expect.objectContaining({ suggested: "/home/ada/Downloads/pack-AUD-2026-0001.zip" }));
    expect(screen.getByTestId("verify-path")).toHaveValue("/home/ada/Downloads/pack-AUD-2026-0001.zip");
  });

  it("runs the verification as a job and names every altered and added file", async () => {
    call.mockImplementation(async (name: string) => {
      if (name === "jobs.start") return { jobId: "j1", command: "packs.verify", state: "running", phase: "", done: 0, total: 0, result: null, error: null };
      if (name === "jobs.status") return { jobId: "j1", command: "packs.verify", state: "succeeded", phase: "Checking files", done: 2, total: 2, result: verdict, error: null };
      throw new Error(name);
    });
    render(<MantineProvider><VerifyPack /></MantineProvider>);
    await userEvent.type(screen.getByTestId("verify-path"), "/p.zip");
    await userEvent.click(screen.getByTestId("verify-run"));
    expect(call).toHaveBeenCalledWith("jobs.start", { command: "packs.verify", input: { path: "/p.zip" } });
    expect(await screen.findByTestId("verify-bad", {}, { timeout: 3000 })).toHaveTextContent("altered or is incomplete");
    const problems = screen.getAllByTestId("verify-problem").map((p) => p.textContent);
    expect(problems).toEqual(verdict.problems);
    expect(screen.getByText("added")).toBeInTheDocument();
    expect(screen.getByText("altered")).toBeInTheDocument();
  });

  it("says whose key signed an intact pack, and never calls a pack by an unknown key verified", async () => {
    const intact = { ...verdict, files: [verdict.files[0]], unexpected: [], problems: [] };
    const cases = [
      [{ ...intact, ok: true, intact: true }, "verify-ok", "signed by this installation"],
      [{ ...intact, ok: true, intact: true, signer: "known_key", signerLabel: "Field laptop 7", signedByThisInstallation: false }, "verify-ok", "known key: Field laptop 7"],
      [{ ...intact, ok: false, intact: true, signer: "unknown_signer", signedByThisInstallation: false }, "verify-unknown-signer", "signer is not known"],
    ] as const;
    for (const [result, testId, text] of cases) {
      call.mockImplementation(async (name: string) => {
        if (name === "jobs.start") return { jobId: "j", command: "packs.verify", state: "running", phase: "", done: 0, total: 0, result: null, error: null };
        return { jobId: "j", command: "packs.verify", state: "succeeded", phase: "", done: 1, total: 1, result, error: null };
      });
      const view = render(<MantineProvider><VerifyPack /></MantineProvider>);
      await userEvent.type(screen.getByTestId("verify-path"), "/p.zip");
      await userEvent.click(screen.getByTestId("verify-run"));
      expect(await screen.findByTestId(testId, {}, { timeout: 3000 })).toHaveTextContent(text);
      view.unmount();
    }
  });
});
