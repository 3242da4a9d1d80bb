import { Card, Group, Progress, SimpleGrid, Stack, Text, Title, Tooltip, UnstyledButton, Box } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { Navigate } from "../../app/nav";
import { SEVERITY_COLOURS, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";

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
            <Tooltip key={m.month} label={`${m.month}: ${m.total} incidents, ${m.riddorReportable} RIDDOR-reportable`}>
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
