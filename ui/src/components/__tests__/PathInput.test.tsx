import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MantineProvider } from "@mantine/core";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";

const chooseFileToSave = vi.fn();
vi.mock("../../api/backend", () => ({
  call: vi.fn(async () => ({ needsSetup: false, version: "0.1.0", dataDir: "/home/ada/.local/share/qgp-desktop", orgName: null, sessionIdleMinutes: 15 })),
  chooseFileToOpen: vi.fn(),
  chooseFileToSave: (...args: unknown[]) => chooseFileToSave(...args),
}));
const { PathInput } = await import("../PathInput");

function Harness() {
  const [path, setPath] = useState("");
  return (
    <MantineProvider>
      <PathInput label="Save as" description="d" value={path} onChange={setPath} mode="save"
        dialog={{ title: "Save the report as", kind: "PDF report", extensions: ["pdf"], suggested: "report.pdf" }} testId="p" />
    </MantineProvider>
  );
}

describe("PathInput", () => {
  it("takes the place chosen in the save dialog and adds the extension a typed name lacks", async () => {
    render(<Harness />);
    chooseFileToSave.mockResolvedValueOnce("/home/ada/board");
    await userEvent.click(screen.getByTestId("p-browse"));
    expect(await screen.findByDisplayValue("/home/ada/board.pdf")).toBeInTheDocument();
    // It opens in the exports folder with the standard name.
    expect(chooseFileToSave).toHaveBeenCalledWith(
      expect.objectContaining({ title: "Save the report as", suggested: "/home/ada/.local/share/qgp-desktop/exports/report.pdf", extensions: ["pdf"] }),
    );
    chooseFileToSave.mockResolvedValueOnce("/home/ada/Board.PDF");
    await userEvent.click(screen.getByTestId("p-browse"));
    expect(await screen.findByDisplayValue("/home/ada/Board.PDF")).toBeInTheDocument();
    // A full path already chosen is where it opens next time.
    expect(chooseFileToSave).toHaveBeenLastCalledWith(expect.objectContaining({ suggested: "/home/ada/board.pdf" }));
  });

  it("can still be typed into", async () => {
    render(<Harness />);
    await userEvent.type(screen.getByTestId("p"), "q3.pdf");
    expect(screen.getByTestId("p")).toHaveValue("q3.pdf");
  });
});
