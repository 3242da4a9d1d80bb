// A register row that opens its record with the mouse or the keyboard: Tab reaches every row, Enter opens it.
import type { ReactNode } from "react";
import { Table } from "@mantine/core";

export function OpenRow({ onOpen, children, "data-testid": testId }: { onOpen: () => void; children: ReactNode; "data-testid"?: string }) {
  return (
    <Table.Tr
      className="qgp-open-row"
      tabIndex={0}
      onClick={onOpen}
      onKeyDown={(e) => {
        // Only the row itself: Enter on a button inside it (copy the reference) does that button's job.
        if (e.target === e.currentTarget && e.key === "Enter") {
          e.preventDefault();
          onOpen();
        }
      }}
      data-testid={testId}
    >
      {children}
    </Table.Tr>
  );
}
