import { useState } from "react";
import { Box, Group, SegmentedControl, Stack, Text, Title, Tooltip, UnstyledButton } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { HeatMap, HeatMapBasis, HeatMapCell, RiskLevel } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { IMPACT_LABELS, LIKELIHOOD_LABELS } from "./options";
import { RiskList } from "./RiskRegister";
import { count } from "../../components/plural";

/** The §8 matrix from the backend (levels and colours per cell); the form previews a rating with it. */
export function useMatrix() {
  const q = useQuery({ queryKey: ["risks.heat_map", "residual"], queryFn: () => call("risks.heat_map", { basis: "residual" }), staleTime: Infinity });
  return (likelihood: number, impact: number): HeatMapCell | undefined => q.data?.rows.flat().find((c) => c.likelihood === likelihood && c.impact === impact);
}

export function LevelBadge({ level, colour, score }: { level: RiskLevel; colour: string; score?: number }) {
  return (
    <Box component="span" px={8} py={2} style={{ background: colour, borderRadius: 4, color: "#111", fontWeight: 600, fontSize: 12, whiteSpace: "nowrap" }} data-testid="level-badge">
      {score !== undefined ? `${score} · ` : ""}{humanise(level)}
    </Box>
  );
}

/** Likelihood 5 on top, impact 1..5 left to right; each cell shows its count and opens its risks. */
export function HeatMapGrid({ map, size = 72, onCell, selected }: { map: HeatMap; size?: number; onCell?: (c: HeatMapCell) => void; selected?: HeatMapCell | null }) {
  const small = size < 40;
  return (
    <Group gap={4} align="stretch" wrap="nowrap" data-testid="heat-map">
      {!small && (
        <Stack gap={4} justify="space-around" w={110}>
          {[5, 4, 3, 2, 1].map((l) => <Text key={l} size="xs" ta="right">{l} · {LIKELIHOOD_LABELS[l - 1]}</Text>)}
        </Stack>
      )}
      <Stack gap={4}>
        {map.rows.map((row) => (
          <Group key={row[0].likelihood} gap={4} wrap="nowrap">
            {row.map((c) => {
              const isSelected = selected && selected.likelihood === c.likelihood && selected.impact === c.impact;
              return (
                <Tooltip key={c.impact} label={`Likelihood ${c.likelihood} × impact ${c.impact} = ${c.score} (${humanise(c.level)}): ${count(c.count, "risk")}`} disabled={small}>
                  <UnstyledButton
                    onClick={() => onCell?.(c)}
                    data-testid={`heat-cell-${c.likelihood}-${c.impact}`}
                    aria-label={`Likelihood ${c.likelihood}, impact ${c.impact}: ${count(c.count, "risk")}`}
                    style={{
                      width: size, height: small ? size * 0.7 : size * 0.75, background: c.colour, borderRadius: 4, display: "flex", alignItems: "center", justifyContent: "center",
                      outline: isSelected ? "3px solid var(--mantine-color-text)" : undefined, opacity: c.count ? 1 : 0.55, cursor: onCell ? "pointer" : "default",
                    }}
                  >
                    <Text fw={700} size={small ? "xs" : "lg"} c="#111" data-testid="heat-count">{c.count || (small ? "" : "·")}</Text>
                  </UnstyledButton>
                </Tooltip>
              );
            })}
          </Group>
        ))}
        {!small && (
          <Group gap={4} wrap="nowrap">
            {[1, 2, 3, 4, 5].map((i) => <Text key={i} size="xs" w={size} ta="center">{i} · {IMPACT_LABELS[i - 1]}</Text>)}
          </Group>
        )}
      </Stack>
    </Group>
  );
}

export function HeatMapPage({ navigate }: { navigate: Navigate }) {
  const [basis, setBasis] = useState<HeatMapBasis>("residual");
  const [cell, setCell] = useState<HeatMapCell | null>(null);
  const q = useQuery({ queryKey: ["risks.heat_map", basis], queryFn: () => call("risks.heat_map", { basis }) });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Risk heat map</Title>
        <SegmentedControl value={basis} onChange={(v) => { setBasis(v as HeatMapBasis); setCell(null); }} data-testid="heat-basis"
          data={[{ value: "residual", label: "Current (residual)" }, { value: "inherent", label: "Inherent" }, { value: "target", label: "Target" }]} />
      </Group>
      <Text size="sm" c="dimmed">Open risks (not closed or archived) by the {basis} rating of their latest assessment. Select a cell to list its risks.</Text>
      {q.error && <ErrorAlert error={q.error} />}
      {q.data && (
        <Group align="start" gap="xl">
          <HeatMapGrid map={q.data} onCell={setCell} selected={cell} />
          <Stack gap={6}>
            {q.data.levels.map((l) => (
              <Group key={l.level} gap="xs"><LevelBadge level={l.level} colour={l.colour} /><Text size="sm" data-testid={`level-count-${l.level}`}>{l.count}</Text></Group>
            ))}
            <Text size="sm" c="dimmed">{count(q.data.total, "risk")}</Text>
          </Stack>
        </Group>
      )}
      {cell && (
        <Stack gap="xs">
          <Title order={4}>Likelihood {cell.likelihood} × impact {cell.impact} ({humanise(cell.level)})</Title>
          <RiskList navigate={navigate} input={{ likelihood: cell.likelihood, impact: cell.impact, basis, pageSize: 200 }} />
        </Stack>
      )}
    </Stack>
  );
}
