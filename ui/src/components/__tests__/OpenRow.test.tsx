import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { MantineProvider, Table } from "@mantine/core";
import { OpenRow } from "../OpenRow";

function register(onOpen: () => void, onCopy: () => void) {
  render(
    <MantineProvider>
      <Table>
        <Table.Tbody>
          <OpenRow onOpen={onOpen} data-testid="incident-row">
            <Table.Td><button onClick={(e) => { e.stopPropagation(); onCopy(); }}>INC-2026-0001</button></Table.Td>
            <Table.Td>Slip on wet floor</Table.Td>
          </OpenRow>
        </Table.Tbody>
      </Table>
    </MantineProvider>,
  );
  return screen.getByTestId("incident-row");
}

describe("register rows", () => {
  it("are reached with Tab and open with Enter or a click", () => {
    const onOpen = vi.fn();
    const row = register(onOpen, vi.fn());
    expect(row).toHaveAttribute("tabindex", "0");
    fireEvent.keyDown(row, { key: "Enter" });
    expect(onOpen).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(row, { key: "a" });
    expect(onOpen).toHaveBeenCalledTimes(1);
    fireEvent.click(row);
    expect(onOpen).toHaveBeenCalledTimes(2);
  });

  it("leave Enter on a button inside the row to that button", () => {
    const onOpen = vi.fn();
    const onCopy = vi.fn();
    register(onOpen, onCopy);
    const copy = screen.getByRole("button", { name: "INC-2026-0001" });
    fireEvent.keyDown(copy, { key: "Enter" });
    expect(onOpen).not.toHaveBeenCalled();
    fireEvent.click(copy);
    expect(onCopy).toHaveBeenCalledTimes(1);
    expect(onOpen).not.toHaveBeenCalled();
  });
});
