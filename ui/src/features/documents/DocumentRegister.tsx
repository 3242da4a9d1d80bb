import { useState } from "react";
import { Badge, Button, Center, Chip, Group, MultiSelect, Pagination, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { IconPlus } from "@tabler/icons-react";
import { call } from "../../api/backend";
import type { DocumentListInput, DocumentStatus, DocumentType, UserView } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { CopyRef, StatusBadge, humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { MyAcknowledgements } from "./DocumentInForce";
import { OpenRow } from "../../components/OpenRow";

export const DOCUMENT_TYPES: DocumentType[] = ["policy", "procedure", "work_instruction", "sop", "form", "template", "guideline", "manual", "record", "other"];
const STATUSES: DocumentStatus[] = ["draft", "in_review", "approved", "published", "under_review", "superseded", "retired"];
const opts = (v: string[]) => v.map((value) => ({ value, label: humanise(value) }));

export function DocumentRegister({ navigate, user }: { navigate: Navigate; user: UserView }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 200);
  const [status, setStatus] = useState<DocumentStatus[]>([]);
  const [types, setTypes] = useState<DocumentType[]>([]);
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const input: DocumentListInput = { page, pageSize: 50, search: q || undefined, status: status.length ? status : undefined, documentType: types.length ? types : undefined, reviewOverdue: overdue || undefined };
  const list = useQuery({ queryKey: ["documents.list", input], queryFn: () => call("documents.list", input), placeholderData: keepPreviousData });
  const canAuthor = user.role === "admin" || user.role === "manager";
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Policies and controlled documents</Title>
        {canAuthor && <Button leftSection={<IconPlus size={16} />} onClick={() => navigate({ name: "document-new" })} data-testid="new-document">New document</Button>}
      </Group>
      <MyAcknowledgements navigate={navigate} />
      <Group align="end" gap="sm">
        <TextInput label="Search" placeholder="Reference, title, description, tag" value={search} onChange={(e) => { setSearch(e.currentTarget.value); setPage(1); }} w={280} />
        <MultiSelect label="Status" data={opts(STATUSES)} value={status} onChange={(v) => { setStatus(v as DocumentStatus[]); setPage(1); }} w={220} clearable />
        <MultiSelect label="Type" data={opts(DOCUMENT_TYPES)} value={types} onChange={(v) => { setTypes(v as DocumentType[]); setPage(1); }} w={220} clearable />
        <Chip checked={overdue} onChange={(c) => { setOverdue(c); setPage(1); }}>Review overdue</Chip>
      </Group>
      {list.error && <ErrorAlert error={list.error} />}
      {list.data?.total === 0 ? <Center py="xl"><Text c="dimmed">No documents match.</Text></Center> : (
        <Table striped highlightOnHover stickyHeader data-testid="document-table">
          <Table.Thead>
            <Table.Tr><Table.Th>Reference</Table.Th><Table.Th>Title</Table.Th><Table.Th>Type</Table.Th><Table.Th>Status</Table.Th><Table.Th>In force</Table.Th><Table.Th>Owner</Table.Th><Table.Th>Next review</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((d) => (
              <OpenRow key={d.id} onOpen={() => navigate({ name: "document", id: d.id })} data-testid="document-row">
                <Table.Td><CopyRef value={d.reference} /></Table.Td>
                <Table.Td>{d.title}</Table.Td>
                <Table.Td>{humanise(d.documentType)}</Table.Td>
                <Table.Td><StatusBadge value={d.status} /></Table.Td>
                <Table.Td>{d.currentVersion ? `version ${d.currentVersion}` : "—"}</Table.Td>
                <Table.Td>{d.ownerName}</Table.Td>
                <Table.Td className="qgp-nowrap">{d.nextReviewDate ?? "—"}{d.reviewOverdue && <Badge ml={6} color="red" variant="light">Overdue</Badge>}</Table.Td>
              </OpenRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && list.data.pages > 1 && <Pagination total={list.data.pages} value={page} onChange={setPage} />}
    </Stack>
  );
}
