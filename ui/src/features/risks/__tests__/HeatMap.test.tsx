import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MantineProvider } from "@mantine/core";
import { describe, expect, it, vi } from "vitest";
import type { HeatMap, RiskLevel } from "../../../api/bindings";
import { HeatMapGrid } from "../HeatMap";

const colour: Record<RiskLevel, string> = { very_low: "#22c55e", low: "#84cc16", medium: "#eab308", high: "#f97316", critical: "#ef4444" };

function map(counts: Record<string, number>): HeatMap {
  const rows = [5, 4, 3, 2, 1].map((l) =>
    [1, 2, 3, 4, 5].map((i) => ({ likelihood: l, impact: i, score: l * i, level: "medium" as RiskLevel, colour: colour.medium, count: counts[`${l}-${i}`] ?? 0 })),
  );
  return { basis: "residual", rows, levels: [], total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

describe("HeatMapGrid", () => {
  it("puts likelihood 5 on top and impact 1 on the left, and opens a cell", async () => {
    const onCell = vi.fn();
    render(<MantineProvider><HeatMapGrid map={map({ "5-1": 3, "1-5": 2, "3-3": 1 })} onCell={onCell} /></MantineProvider>);
    const cells = screen.getAllByRole("button");
    expect(cells[0]).toHaveAttribute("data-testid", "heat-cell-5-1");
    expect(cells[24]).toHaveAttribute("data-testid", "heat-cell-1-5");
    expect(cells[0]).toHaveTextContent("3");
    expect(cells[24]).toHaveTextContent("2");
    expect(cells[0]).toHaveAccessibleName("Likelihood 5, impact 1: 3 risks");
    expect(screen.getByTestId("heat-cell-3-3")).toHaveAccessibleName("Likelihood 3, impact 3: 1 risk");
    await userEvent.click(cells[24]);
    expect(onCell).toHaveBeenCalledWith(expect.objectContaining({ likelihood: 1, impact: 5, count: 2 }));
  });
});
