import { render, screen } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { describe, expect, it, vi } from "vitest";
import type { ExportOutcome, JobView } from "../../api/bindings";

vi.mock("../../api/backend", () => ({ openOutput: vi.fn() }));
const { JobStatus } = await import("../JobStatus");

function finished(result: ExportOutcome): JobView {
  return { jobId: "j1", command: "reports.generate", state: "succeeded", phase: "Done", done: 1, total: 1, result, error: null };
}

const outcome: ExportOutcome = { path: "/data/exports/audit.pdf", rows: 1, bytes: 2_500_000, sha256: "ab".repeat(32), warnings: [] };

describe("JobStatus", () => {
  it("shows where the file is, its size and fingerprint, and no warning when there is none", () => {
    render(<MantineProvider><JobStatus job={finished(outcome)} failure={null} onCancel={() => {}} /></MantineProvider>);
    expect(screen.getByTestId("job-path")).toHaveTextContent("/data/exports/audit.pdf");
    expect(screen.getByText(/2\.4 MB · SHA-256 abababababababab…/)).toBeInTheDocument();
    expect(screen.queryByTestId("job-warning")).toBeNull();
  });

  it("shows each warning the command returned with the saved file", () => {
    const warning = "1 character in the records could not be printed and show as empty boxes: 𓀀 (U+13000).";
    render(<MantineProvider><JobStatus job={finished({ ...outcome, warnings: [warning] })} failure={null} onCancel={() => {}} /></MantineProvider>);
    expect(screen.getByTestId("job-warning")).toHaveTextContent(warning);
  });
});
