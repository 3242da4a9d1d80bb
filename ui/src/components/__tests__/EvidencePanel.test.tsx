import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";

const call = vi.fn();
vi.mock("../../api/backend", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../api/backend")>();
  return { ...actual, call: (...args: unknown[]) => call(...args) };
});
import { EvidencePanel } from "../EvidencePanel";

describe("EvidencePanel", () => {
  it("sends the chosen file's bytes as base64 with its name, and lists what is attached", async () => {
    const attached = [{ file: { id: "e1", originalName: "photo.txt", mediaType: "text/plain", sizeBytes: 5, sha256: "a".repeat(64), caption: null }, attachedAt: "2026-11-26T12:00:00.000Z", attachedByName: "Ada" }];
    let listed: unknown[] = [];
    call.mockImplementation(async (name: string) => {
      if (name === "evidence.list") return listed;
      if (name === "evidence.attach") { listed = attached; return attached[0]; }
      throw new Error(name);
    });
    const { container } = render(
      <MantineProvider>
        <QueryClientProvider client={new QueryClient()}>
          <EvidencePanel entityType="incident" entityId="i1" editable />
        </QueryClientProvider>
      </MantineProvider>,
    );
    expect(await screen.findByText(/No files attached/)).toBeInTheDocument();
    const input = container.ownerDocument.querySelector<HTMLInputElement>('input[type="file"]')!;
    await userEvent.upload(input, new File(["hello"], "photo.txt", { type: "text/plain" }));
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith("evidence.attach", { entityType: "incident", entityId: "i1", contentBase64: "aGVsbG8=", originalName: "photo.txt", source: "upload" }));
    expect(await screen.findByTestId("evidence-row")).toHaveTextContent("photo.txt");
  });
});
