import { Badge, Card, Group, Progress, SimpleGrid, Stack, Text, Title, Tooltip, UnstyledButton, Box } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { Navigate } from "../../app/nav";
import { HeatMapGrid, LevelBadge } from "../risks/HeatMap";
import { SEVERITY_COLOURS, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { MyAcknowledgements } from "../documents/DocumentInForce";
import { UnsavedDrafts } from "../../components/drafts";
import { count } from "../../components/plural";

function Stat({ label, value, colour, onClick, testId }: { label: string; value: number; colour?: string; onClick?: () => void; testId?: string }) {
  return (
    <UnstyledButton onClick={onClick} data-testid={testId}>
      <Card withBorder>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
        <Text fz={32} fw={700} c={colour}>{value}</Text>
      </Card>
    </UnstyledButton>
  );
}

/** Audits (§15): runs by state, the pass rate per template over the last 12 months, and open findings. */
function Audits({ navigate }: { navigate: Navigate }) {
  const q = useQuery({ queryKey: ["dashboard.audits"], queryFn: () => call("dashboard.audits", {}) });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const a = q.data;
  const openFindings = a.findingsOpenBySeverity.reduce((n, s) => n + s.count, 0);
  return (
    <SimpleGrid cols={{ base: 2, xl: 3 }}>
      <Card withBorder>
        <Group justify="space-between" mb="sm"><Text fw={600}>Audits</Text><UnstyledButton onClick={() => navigate({ name: "audits" })}><Text size="xs" c="blue">Open</Text></UnstyledButton></Group>
        <SimpleGrid cols={2}>
          <Text size="sm">Scheduled: <b>{a.runsScheduled}</b></Text><Text size="sm">In progress: <b>{a.runsInProgress}</b></Text>
          <Text size="sm">Awaiting review: <b>{a.runsPendingReview}</b></Text><Text size="sm" c={a.runsOverdue ? "red" : undefined}>Overdue: <b>{a.runsOverdue}</b></Text>
        </SimpleGrid>
      </Card>
      <Card withBorder data-testid="audit-pass-rate">
        <Text fw={600} mb="sm">Pass rate since {a.periodFrom}</Text>
        <Text fz={28} fw={700}>{a.passRate != null ? `${a.passRate} %` : "—"}</Text>
        <Text size="xs" c="dimmed" mb="xs">{a.runsCompletedInPeriod} completed runs{a.meanPercentage != null ? ` · mean score ${a.meanPercentage} %` : ""}</Text>
        <Stack gap={2}>
          {a.byTemplate.slice(0, 5).map((t) => (
            <Group key={t.templateId} justify="space-between" wrap="nowrap"><Text size="sm" truncate>{t.templateName}</Text><Text size="sm">{t.passRate != null ? `${t.passRate} %` : "—"} of {t.runs}</Text></Group>
          ))}
        </Stack>
      </Card>
      <Card withBorder>
        <Group justify="space-between" mb="sm"><Text fw={600}>Open findings ({openFindings})</Text><UnstyledButton onClick={() => navigate({ name: "findings" })}><Text size="xs" c="blue">Open</Text></UnstyledButton></Group>
        <Stack gap={4}>
          {a.findingsOpenBySeverity.map((s) => (
            <Group key={s.value} gap="xs" wrap="nowrap"><Badge color={SEVERITY_COLOURS[s.value] ?? "gray"} w={110}>{humanise(s.value)}</Badge><Text size="sm">{s.count}</Text></Group>
          ))}
        </Stack>
        {a.majorNonconformitiesOver30Days > 0 && <Text size="sm" c="red" mt="xs">{a.majorNonconformitiesOver30Days} major nonconformities open more than 30 days</Text>}
        {a.findingsActionOverdue > 0 && <Text size="sm" c="red">{count(a.findingsActionOverdue, "finding")} past their action due date</Text>}
      </Card>
    </SimpleGrid>
  );
}

function Governance({ navigate }: { navigate: Navigate }) {
  const q = useQuery({ queryKey: ["dashboard.governance"], queryFn: () => call("dashboard.governance", {}) });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const g = q.data;
  return (
    <Stack>
      <SimpleGrid cols={4}>
        <Stat label="Open actions" value={g.actionsOpen} onClick={() => navigate({ name: "actions" })} testId="stat-actions-open" />
        <Stat label="Actions overdue" value={g.actionsOverdue} colour={g.actionsOverdue ? "red" : undefined} onClick={() => navigate({ name: "actions" })} testId="stat-actions-overdue" />
        <Stat label={`Actions due in ${g.dueSoonDays} days`} value={g.actionsDueSoon} colour={g.actionsDueSoon ? "orange" : undefined} onClick={() => navigate({ name: "actions" })} />
        <Stat label="Open investigations" value={g.investigationsOpen} colour={g.investigationsOverdue ? "red" : undefined} onClick={() => navigate({ name: "investigations" })} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, xl: 4 }}>
        <Card withBorder>
          <Group justify="space-between" mb="sm"><Text fw={600}>Risk heat map (current)</Text><UnstyledButton onClick={() => navigate({ name: "heat-map" })}><Text size="xs" c="blue">Open</Text></UnstyledButton></Group>
          <Group align="start" gap="md" wrap="nowrap">
            <HeatMapGrid map={g.heatMap} size={30} onCell={() => navigate({ name: "heat-map" })} />
            <Stack gap={4}>
              {g.heatMap.levels.map((l) => (
                <Group key={l.level} gap={6} wrap="nowrap"><LevelBadge level={l.level} colour={l.colour} /><Text size="sm" fw={600} data-testid={`dash-level-${l.level}`}>{l.count}</Text></Group>
              ))}
            </Stack>
          </Group>
        </Card>
        <Card withBorder>
          <Text fw={600} mb="sm">Reviews due</Text>
          <Text size="sm" mb="xs"><Text span c={g.risksReviewOverdue ? "red" : undefined} fw={700}>{g.risksReviewOverdue}</Text> overdue · <Text span fw={700}>{g.risksReviewDueSoon}</Text> due within {g.dueSoonDays} days</Text>
          <Stack gap={4}>
            {g.risksDueForReview.map((r) => (
              <UnstyledButton key={r.id} onClick={() => navigate({ name: "risk", id: r.id })}>
                <Group gap={6} wrap="nowrap">
                  <Text ff="monospace" size="xs">{r.reference}</Text>
                  <Text size="sm" truncate style={{ flex: 1 }}>{r.title}</Text>
                  <Text size="xs" c={r.flags.reviewOverdue ? "red" : "orange"}>{r.nextReviewDate}</Text>
                </Group>
              </UnstyledButton>
            ))}
            {g.risksDueForReview.length === 0 && <Text size="sm" c="dimmed">Nothing due.</Text>}
            <UnstyledButton onClick={() => navigate({ name: "documents" })}>
              <Text size="sm" mt="xs" data-testid="dash-documents-review">
                Documents: <Text span c={g.documentsReviewOverdue ? "red" : undefined} fw={700}>{g.documentsReviewOverdue}</Text> review overdue · <Text span fw={700}>{g.documentsReviewDueSoon}</Text> due soon
              </Text>
            </UnstyledButton>
          </Stack>
        </Card>
        <Card withBorder>
          <Group justify="space-between" mb="sm"><Text fw={600}>Complaints</Text><UnstyledButton onClick={() => navigate({ name: "complaints" })}><Text size="xs" c="blue">Open</Text></UnstyledButton></Group>
          <Stack gap={4}>
            {g.complaintsByStatus.filter((c) => c.value !== "closed").map((c) => (
              <Group key={c.value} justify="space-between"><Text size="sm">{humanise(c.value)}</Text><Text size="sm" fw={600}>{c.count}</Text></Group>
            ))}
            <Text size="sm" c={g.complaintsAcknowledgementOverdue ? "red" : "dimmed"}>{g.complaintsAcknowledgementOverdue} acknowledgements late · {g.complaintsResolutionOverdue} resolutions late</Text>
            <Text size="xs" c="dimmed">
              Mean days to acknowledge {g.complaintsMeanDaysToAcknowledge?.toFixed(1) ?? "—"} · to resolve {g.complaintsMeanDaysToResolve?.toFixed(1) ?? "—"}
            </Text>
          </Stack>
        </Card>
        <Card withBorder>
          <Group justify="space-between" mb="sm"><Text fw={600}>Collisions since {g.trendFrom.slice(0, 7)}</Text><UnstyledButton onClick={() => navigate({ name: "collisions" })}><Text size="xs" c="blue">Open</Text></UnstyledButton></Group>
          <Group gap="xs" mb="xs">
            {g.collisionsBySeverity.map((c) => <Badge key={c.value} color={SEVERITY_COLOURS[c.value]} autoContrast>{humanise(c.value)}: {c.count}</Badge>)}
          </Group>
          <Text size="sm">Estimated cost {new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" }).format(g.collisionsCostPence / 100)}</Text>
          <Text size="sm" c="dimmed">{g.collisionsOpen} not closed</Text>
        </Card>
        <Card withBorder>
          <Text fw={600} mb="sm">Overdue actions</Text>
          <Group gap="xs" mb="xs">
            {g.overdueByPriority.map((p) => <Badge key={p.value} color={SEVERITY_COLOURS[p.value]} autoContrast>{humanise(p.value)}: {p.count}</Badge>)}
          </Group>
          <Stack gap={4}>
            {g.overdueByOwner.map((o) => (
              <Group key={o.ownerId} justify="space-between"><Text size="sm">{o.ownerName}</Text><Text size="sm" fw={600} c="red">{o.overdue}</Text></Group>
            ))}
            {g.overdueByOwner.length === 0 && <Text size="sm" c="dimmed">No overdue actions.</Text>}
          </Stack>
          {g.actionsVerificationOverdue > 0 && <Text size="sm" c="red" mt="xs">{g.actionsVerificationOverdue} verifications overdue</Text>}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

export function Dashboard({ navigate }: { navigate: Navigate }) {
  const q = useQuery({ queryKey: ["incidents.dashboard"], queryFn: () => call("incidents.dashboard", {}) });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return null;
  const d = q.data;
  const max = Math.max(1, ...d.trend.map((m) => m.total));
  const totalSeverity = Math.max(1, d.bySeverity.reduce((a, s) => a + s.count, 0));
  return (
    <Stack>
      <Title order={2}>Dashboard</Title>
      <UnsavedDrafts navigate={navigate} />
      <MyAcknowledgements navigate={navigate} />
      <Governance navigate={navigate} />
      <Audits navigate={navigate} />
      <SimpleGrid cols={4}>
        <Stat label="Open incidents" value={d.open} onClick={() => navigate({ name: "incidents" })} testId="stat-open" />
        <Stat label="RIDDOR reports overdue" value={d.riddorOverdue} colour={d.riddorOverdue > 0 ? "red" : undefined} onClick={() => navigate({ name: "incidents" })} />
        {d.byStatus.filter((s) => s.value !== "closed").slice(0, 2).map((s) => (
          <Stat key={s.value} label={humanise(s.value)} value={s.count} onClick={() => navigate({ name: "incidents" })} />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={2}>
        <Card withBorder>
          <Text fw={600} mb="sm">Incidents by status</Text>
          <Stack gap={6}>
            {d.byStatus.map((s) => (
              <Group key={s.value} justify="space-between"><Text size="sm">{humanise(s.value)}</Text><Text size="sm" fw={600}>{s.count}</Text></Group>
            ))}
          </Stack>
        </Card>
        <Card withBorder>
          <Text fw={600} mb="sm">Incidents by severity</Text>
          <Stack gap={8}>
            {d.bySeverity.map((s) => (
              <div key={s.value}>
                <Group justify="space-between"><Text size="sm">{humanise(s.value)}</Text><Text size="sm" fw={600}>{s.count}</Text></Group>
                <Progress value={(s.count / totalSeverity) * 100} color={SEVERITY_COLOURS[s.value]} aria-label={`${s.value} ${s.count}`} />
              </div>
            ))}
          </Stack>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Text fw={600} mb="sm">Incidents per month (last 12 months and this month)</Text>
        <Group align="end" gap={6} h={160} wrap="nowrap" data-testid="trend-chart">
          {d.trend.map((m) => (
            <Tooltip key={m.month} label={`${m.month}: ${count(m.total, "incident")}, ${m.riddorReportable} RIDDOR-reportable`}>
              <Stack gap={2} align="center" style={{ flex: 1 }}>
                <Text size="xs">{m.total || ""}</Text>
                <Box w="100%" h={Math.max(2, (m.total / max) * 120)} bg="blue.6" style={{ borderRadius: 3 }} />
                <Text size="xs" c="dimmed">{m.month.slice(2)}</Text>
              </Stack>
            </Tooltip>
          ))}
        </Group>
      </Card>
    </Stack>
  );
}
