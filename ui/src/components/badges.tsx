import { Badge, CopyButton, Tooltip, UnstyledButton, Text } from "@mantine/core";

// One severity map used everywhere (ui.md, domain.md §8).
export const SEVERITY_COLOURS: Record<string, string> = {
  critical: "#ef4444",
  fatal: "#ef4444",
  high: "#f97316",
  serious_injury: "#f97316",
  medium: "#eab308",
  minor_injury: "#eab308",
  low: "#84cc16",
  negligible: "#22c55e",
  observation: "#22c55e",
  near_miss: "#22c55e",
  damage_only: "#22c55e",
};

const STATUS_COLOURS: Record<string, string> = {
  reported: "blue",
  under_investigation: "violet",
  actions_pending: "orange",
  closed: "gray",
  identified: "blue",
  assessed: "cyan",
  treating: "orange",
  monitoring: "teal",
  open: "blue",
  in_progress: "violet",
  completed: "teal",
  verified: "green",
  cancelled: "gray",
  received: "blue",
  acknowledged: "cyan",
  resolved: "green",
  escalated: "red",
  pending_insurance: "yellow",
  draft: "gray",
  in_review: "violet",
  approved: "teal",
  published: "green",
  under_review: "orange",
  superseded: "gray",
  retired: "dark",
};

export function humanise(value: string | null | undefined): string {
  if (!value) return "";
  const s = value.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function SeverityBadge({ value }: { value: string }) {
  return (
    <Badge color={SEVERITY_COLOURS[value] ?? "gray"} variant="filled" autoContrast>
      {humanise(value)}
    </Badge>
  );
}

export function StatusBadge({ value }: { value: string }) {
  return (
    <Badge color={STATUS_COLOURS[value] ?? "gray"} variant="light" data-testid="status-badge">
      {humanise(value)}
    </Badge>
  );
}

/** A reference in monospace, copied with one click. */
export function CopyRef({ value }: { value: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? "Copied" : "Copy reference"} withArrow>
          <UnstyledButton onClick={(e) => { e.stopPropagation(); copy(); }}>
            <Text ff="monospace" fw={600} size="sm" className="qgp-nowrap">{value}</Text>
          </UnstyledButton>
        </Tooltip>
      )}
    </CopyButton>
  );
}
