import { useState } from "react";
import { Badge, Button, Group, Modal, Table, Text, Tooltip } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import type { ActionSummary, ActionTransitionOption, UserView } from "../../api/bindings";
import { CopyRef, SeverityBadge, humanise } from "../../components/badges";
import { ActionStepDialog, EditActionDialog, stepLabel } from "./ActionDialogs";
import { EvidencePanel } from "../../components/EvidencePanel";

const STATUS_COLOURS: Record<string, string> = { open: "blue", in_progress: "violet", completed: "teal", verified: "green", cancelled: "gray" };

function Due({ a }: { a: ActionSummary }) {
  const date = <span className="qgp-nowrap">{a.dueDate}</span>;
  if (a.flags.overdue) return <Text c="red" fw={600} size="sm" data-testid="action-due">{date} · {a.flags.daysOverdue} days overdue</Text>;
  if (a.flags.verificationOverdue) return <Text c="red" size="sm" data-testid="action-due">{date} · verification overdue</Text>;
  if (a.flags.dueSoon) return <Text c="orange" size="sm" data-testid="action-due">{date} · due soon</Text>;
  return <Text size="sm" className="qgp-nowrap" data-testid="action-due">{a.dueDate}</Text>;
}

/** Steps offered on a row; the full view (with guards) is loaded when a step is chosen. */
function Steps({ a, user }: { a: ActionSummary; user: UserView }) {
  const [chosen, setChosen] = useState<ActionTransitionOption | null>(null);
  const [editing, setEditing] = useState(false);
  const [files, setFiles] = useState(false);
  const view = useQuery({ queryKey: ["actions.get", a.id, a.rowVersion], queryFn: () => call("actions.get", { id: a.id }), enabled: user.role !== "viewer" && !a.flags.terminal && !a.archivedAt });
  return (
    <Group gap={4} miw={150}>
      {view.data?.transitions.map((t) => {
        const blocked = t.unmetGuards.length > 0;
        const button = (
          <Button key={t.to} size="compact-xs" variant={t.to === "cancelled" ? "subtle" : "light"} color={t.to === "cancelled" ? "gray" : undefined} disabled={blocked}
            onClick={() => setChosen(t)} data-testid={`action-step-${t.to}`}>
            {stepLabel(a.status, t.to)}
          </Button>
        );
        return blocked ? <Tooltip key={t.to} label={t.unmetGuards.join(" ")} multiline w={260}><span>{button}</span></Tooltip> : button;
      })}
      {(a.status === "open" || a.status === "in_progress") && view.data && !a.archivedAt && (
        <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)} data-testid="action-edit">Edit</Button>
      )}
      <Button size="compact-xs" variant="subtle" onClick={() => setFiles(true)} data-testid="action-files">Evidence</Button>
      {chosen && <ActionStepDialog action={a} option={chosen} onClose={() => setChosen(null)} />}
      {files && (
        <Modal opened onClose={() => setFiles(false)} title={`Evidence for ${a.reference}`} size="xl">
          <EvidencePanel entityType="action" entityId={a.id} editable={user.role !== "viewer" && !a.archivedAt && !a.flags.terminal} />
        </Modal>
      )}
      {editing && <EditActionDialog id={a.id} onClose={() => setEditing(false)} />}
    </Group>
  );
}

export function ActionTable({ items, user, showSource, onOpenSource }: { items: ActionSummary[]; user: UserView; showSource?: boolean; onOpenSource?: (a: ActionSummary) => void }) {
  return (
    <Table striped stickyHeader data-testid="action-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Reference</Table.Th>
          <Table.Th>Title</Table.Th>
          {showSource && <Table.Th>Source</Table.Th>}
          <Table.Th>Owner</Table.Th>
          <Table.Th>Priority</Table.Th>
          <Table.Th>Due</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((a) => (
          <Table.Tr key={a.id} data-testid="action-row">
            <Table.Td><CopyRef value={a.reference} /></Table.Td>
            <Table.Td>{a.title}</Table.Td>
            {showSource && (
              <Table.Td>
                <Button variant="subtle" size="compact-xs" onClick={() => onOpenSource?.(a)}>{a.sourceReference ?? humanise(a.sourceType)}</Button>
              </Table.Td>
            )}
            <Table.Td>{a.ownerName}</Table.Td>
            <Table.Td><SeverityBadge value={a.priority} /></Table.Td>
            <Table.Td><Due a={a} /></Table.Td>
            <Table.Td><Badge variant="light" color={STATUS_COLOURS[a.status]} data-testid="action-status">{humanise(a.status)}</Badge></Table.Td>
            <Table.Td><Steps a={a} user={user} /></Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
