// One question in the field: large targets, keyboard-friendly, saved the moment an answer is given.
import { useEffect, useState } from "react";
import { Badge, Button, Checkbox, Chip, FileButton, Group, Image, NumberInput, Paper, SegmentedControl, Stack, Text, TextInput, Textarea, Tooltip } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";
import { IconCamera, IconPaperclip } from "@tabler/icons-react";
import { ATTACHABLE_ACCEPT } from "../../components/EvidencePanel";
import type { Question, ResponseView } from "../../api/bindings";

/** A photo's preview, fetched once and kept. */
function Thumb({ evidenceId, name }: { evidenceId: string; name: string }) {
  const q = useQuery({ queryKey: ["evidence.thumbnail", evidenceId], queryFn: () => call("evidence.thumbnail", { evidenceId }), staleTime: Infinity });
  if (!q.data?.dataUrl) return <Badge variant="outline">{name}</Badge>;
  return <Tooltip label={name}><Image src={q.data.dataUrl} alt={name} h={96} w="auto" radius="sm" data-testid="photo-thumb" /></Tooltip>;
}

export type AnswerPatch = { answer?: unknown; isNa?: boolean; note?: string | null };

function AnswerControl({ q, value, disabled, onAnswer }: { q: Question; value: unknown; disabled: boolean; onAnswer: (v: unknown) => void }) {
  const [draft, setDraft] = useState<string>(typeof value === "string" || typeof value === "number" ? String(value) : "");
  useEffect(() => setDraft(typeof value === "string" || typeof value === "number" ? String(value) : ""), [value]);
  const testId = `answer-${q.id}`;
  switch (q.questionType) {
    case "yes_no":
    case "pass_fail":
    case "choice_single":
      return (
        <SegmentedControl size="md" fullWidth disabled={disabled} value={typeof value === "string" ? value : ""} onChange={onAnswer}
          data={q.options.map((o) => ({ value: o.value, label: o.label }))} data-testid={testId} />
      );
    case "choice_multi": {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return (
        <Chip.Group multiple value={chosen} onChange={(v) => onAnswer(v.length ? v : null)}>
          <Group data-testid={testId}>{q.options.map((o) => <Chip key={o.value} value={o.value} size="md" disabled={disabled}>{o.label}</Chip>)}</Group>
        </Chip.Group>
      );
    }
    case "rating": {
      const max = q.rating?.scaleMax ?? 5;
      return (
        <Group gap="xs" data-testid={testId}>
          {Array.from({ length: max }, (_, i) => i + 1).map((n) => (
            <Button key={n} size="md" w={52} variant={value === n ? "filled" : "default"} disabled={disabled} onClick={() => onAnswer(n)} aria-label={`Rate ${n} of ${max}`}>{n}</Button>
          ))}
        </Group>
      );
    }
    case "number":
      return (
        <NumberInput size="md" w={240} disabled={disabled} value={draft} decimalScale={q.number?.decimals ?? 0} rightSection={q.number?.unit ? <Text size="sm">{q.number.unit}</Text> : undefined}
          rightSectionWidth={q.number?.unit ? 48 : undefined} onChange={(v) => setDraft(String(v))} onBlur={() => onAnswer(draft === "" ? null : Number(draft))} data-testid={testId} />
      );
    case "date":
      return <TextInput size="md" w={240} placeholder="YYYY-MM-DD" disabled={disabled} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} onBlur={() => onAnswer(draft.trim() || null)} data-testid={testId} />;
    case "text":
      return q.multiline ? (
        <Textarea size="md" autosize minRows={2} disabled={disabled} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} onBlur={() => onAnswer(draft.trim() || null)} data-testid={testId} />
      ) : (
        <TextInput size="md" disabled={disabled} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} onBlur={() => onAnswer(draft.trim() || null)} data-testid={testId} />
      );
    case "signature": {
      const name = value && typeof value === "object" && "signerName" in value ? String((value as { signerName: string }).signerName) : "";
      return <TextInput size="md" label="Signed by" w={320} disabled={disabled} defaultValue={name} onBlur={(e) => onAnswer(e.currentTarget.value.trim() ? { signerName: e.currentTarget.value.trim() } : null)} data-testid={testId} />;
    }
    case "photo":
      return <Text size="sm" c="dimmed">Answer with one or more photos.</Text>;
  }
}

export function QuestionCard({ q, number, response, editable, problem, refused, onAnswer, onAttach }: {
  q: Question;
  number: string;
  response: ResponseView | undefined;
  editable: boolean;
  problem: string | undefined;
  /** Why the last answer given here was refused: it is not saved, and the field still holds what was typed. */
  refused?: string;
  onAnswer: (patch: AnswerPatch) => void;
  onAttach: (file: File) => void;
}) {
  const [note, setNote] = useState(response?.note ?? "");
  const [showNote, setShowNote] = useState(!!response?.note);
  useEffect(() => setNote(response?.note ?? ""), [response?.note]);
  const isNa = response?.isNa ?? false;
  const answered = isNa || response?.answer != null || (q.questionType === "photo" && (response?.files.length ?? 0) > 0);
  const wantsFiles = q.questionType === "photo" || q.questionType === "signature" || q.evidence.on !== "never" || q.evidence.maxAttachments > 0;
  const [dropping, setDropping] = useState(false);
  // Photos and files can be dropped on the question from the file manager.
  const drop = editable && wantsFiles ? {
    onDragOver: (e: React.DragEvent) => { e.preventDefault(); setDropping(true); },
    onDragLeave: () => setDropping(false),
    onDrop: (e: React.DragEvent) => { e.preventDefault(); setDropping(false); Array.from(e.dataTransfer.files).forEach(onAttach); },
  } : {};
  const border = dropping ? "var(--mantine-color-blue-5)" : refused ? "var(--mantine-color-red-6)" : problem ? "var(--mantine-color-orange-5)" : undefined;
  return (
    <Paper withBorder p="md" data-testid="question-card" data-question={q.id} style={border ? { borderColor: border, borderStyle: dropping ? "dashed" : undefined } : undefined} {...drop}>
      <Stack gap="sm">
        <Group justify="space-between" align="start" wrap="nowrap">
          <Stack gap={2}>
            <Text fw={600}>{number}. {q.text}{q.required && <Text span c="red"> *</Text>}</Text>
            {q.helpText && <Text size="sm" c="dimmed">{q.helpText}</Text>}
          </Stack>
          {refused ? <Badge color="red" variant="light">Not saved</Badge> : answered ? <Badge color="green" variant="light">{isNa ? "N/A" : "Answered"}</Badge> : <Badge color="gray" variant="light">Open</Badge>}
        </Group>
        {!isNa && <AnswerControl q={q} value={response?.answer} disabled={!editable} onAnswer={(v) => onAnswer({ answer: v, isNa: false })} />}
        {refused && <Text size="sm" c="red" role="alert" data-testid={`answer-error-${q.id}`}>{refused}</Text>}
        <Group gap="md">
          {q.allowNa && <Checkbox label="Not applicable" checked={isNa} disabled={!editable} onChange={(e) => onAnswer({ isNa: e.currentTarget.checked, answer: null })} data-testid={`na-${q.id}`} />}
          {!showNote && editable && <Button variant="subtle" size="compact-sm" onClick={() => setShowNote(true)}>Add a note</Button>}
          {wantsFiles && editable && (
            <FileButton onChange={(f) => f && onAttach(f)} accept={q.questionType === "photo" || q.questionType === "signature" ? "image/*" : ATTACHABLE_ACCEPT}>
              {(props) => (
                <Button {...props} variant="light" size="compact-sm" leftSection={q.questionType === "photo" ? <IconCamera size={14} /> : <IconPaperclip size={14} />} data-testid={`attach-${q.id}`}>
                  {q.questionType === "photo" ? "Add photo" : q.questionType === "signature" ? "Add signature image" : "Attach photo or file"}
                </Button>
              )}
            </FileButton>
          )}
        </Group>
        {showNote && (
          <Textarea label="Note" autosize minRows={2} value={note} disabled={!editable} onChange={(e) => setNote(e.currentTarget.value)}
            onBlur={() => note !== (response?.note ?? "") && onAnswer({ note: note.trim() || null })} data-testid={`note-${q.id}`} />
        )}
        {response && response.files.length > 0 && (
          <Group gap="xs">
            {response.files.map((f) => f.mediaType.startsWith("image/")
              ? <Thumb key={f.evidenceId} evidenceId={f.evidenceId} name={f.originalName} />
              : <Badge key={f.evidenceId} variant="outline" leftSection={<IconPaperclip size={12} />}>{f.originalName}</Badge>)}
          </Group>
        )}
        {problem && <Text size="sm" c="orange" data-testid="question-problem">{problem}</Text>}
      </Stack>
    </Paper>
  );
}
