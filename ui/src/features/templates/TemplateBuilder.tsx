// Building a draft template version (§4): settings, sections and questions edited in place and saved as one
// document; every problem comes back named by its path and shows next to its question. Preview shows the
// questions as the auditor will see them.
import { useEffect, useState } from "react";
import { ActionIcon, Alert, Button, Checkbox, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";
import { AppError, call } from "../../api/backend";
import type { Question, ScoringMethod, Section, VersionContent } from "../../api/bindings";
import type { Navigate } from "../../app/nav";
import { ErrorAlert } from "../../components/ErrorAlert";
import { DraftNotice, useFormDraft } from "../../components/drafts";
import { QuestionCard } from "../audits/QuestionCard";
import { QuestionEditor, SCORED_TYPES, newQuestion } from "./QuestionEditor";
import { count } from "../../components/plural";
import { PublishDialog } from "./PublishDialog";

const move = <T,>(list: T[], i: number, delta: number): T[] => {
  const j = i + delta;
  if (j < 0 || j >= list.length) return list;
  const out = [...list];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
};

export function TemplateBuilder({ id, navigate }: { id: string; navigate: Navigate }) {
  const q = useQuery({ queryKey: ["templates.get", id], queryFn: () => call("templates.get", { id }) });
  const draft = q.data?.versions.find((v) => v.id === q.data?.draftVersionId);
  const [content, setContent] = useState<VersionContent | null>(null);
  const [preview, setPreview] = useState(false);
  const [publishing, setPublishing] = useState(false);
  useEffect(() => { if (draft) setContent(draft.content); }, [draft]);
  const changed = !!draft && !!content && JSON.stringify(content) !== JSON.stringify(draft.content);
  // Unsaved edits to the version are kept on this computer until saved or discarded (components/drafts).
  const kept = useFormDraft({
    draftKey: `template-edit:${id}`,
    view: { name: "template-edit", id },
    label: `Edit template ${q.data?.record.reference ?? ""}`.trim(),
    form: content, setForm: setContent, dirty: changed, ready: !!draft && !!content, rowVersion: draft?.rowVersion,
  });
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => call("templates.save_draft", { versionId: draft!.id, rowVersion: kept.baseRowVersion ?? draft!.rowVersion, content }),
    onSuccess: () => { kept.forget(); qc.invalidateQueries(); notifications.show({ color: "green", message: "Draft saved" }); },
  });
  // Publish from the builder: unsaved changes are saved first, then the version is published (after a confirmation).
  const publish = useMutation({
    mutationFn: async () => {
      let rowVersion = kept.baseRowVersion ?? draft!.rowVersion;
      if (JSON.stringify(content) !== JSON.stringify(draft!.content)) {
        const saved = await call("templates.save_draft", { versionId: draft!.id, rowVersion, content });
        kept.forget();
        rowVersion = saved.versions.find((v) => v.id === draft!.id)?.rowVersion ?? rowVersion + 1;
      }
      return call("templates.publish", { versionId: draft!.id, rowVersion });
    },
    onSuccess: () => { qc.invalidateQueries(); notifications.show({ color: "green", message: "Published" }); navigate({ name: "template", id }); },
  });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data || !content) return null;
  if (!draft) return <Alert color="blue">This template has no draft. Start a new version from the template page to edit it.</Alert>;
  const err = save.error as AppError | null;
  const fieldErrors = err?.envelope.fields ?? [];
  const errorsFor = (prefix: string): [string, string][] =>
    fieldErrors.filter((f) => f.field.startsWith(`${prefix}.`)).map((f) => [f.field.slice(prefix.length + 1), f.message]);
  const setSections = (sections: Section[]) => setContent({ ...content, sections });
  const setSection = (i: number, s: Section) => setSections(content.sections.map((x, j) => (j === i ? s : x)));
  const all: Question[] = content.sections.flatMap((s) => s.questions);
  const settingsErr = (k: string) => fieldErrors.find((f) => f.field === `settings.${k}`)?.message;
  const dirty = JSON.stringify(content) !== JSON.stringify(draft.content);
  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={2}>{q.data.record.name}</Title>
          <Text size="sm" c="dimmed">{q.data.record.reference} · draft version {draft.versionNumber}{dirty ? " · unsaved changes" : ""}</Text>
        </Stack>
        <Group>
          <Button variant="default" onClick={() => {
            if (dirty && !window.confirm("Leave without saving? Your changes will be lost.")) return;
            kept.forget();
            navigate({ name: "template", id });
          }}>Back</Button>
          <Button variant="light" onClick={() => setPreview((p) => !p)} data-testid="template-preview">{preview ? "Edit" : "Preview"}</Button>
          <Button variant={dirty ? "filled" : "light"} onClick={() => save.mutate()} loading={save.isPending} disabled={!dirty} data-testid="template-save">Save draft</Button>
          <Button variant={dirty ? "light" : "filled"} onClick={() => setPublishing(true)} disabled={save.isPending} data-testid="builder-publish">Publish…</Button>
        </Group>
      </Group>
      {publishing && (
        <PublishDialog name={q.data.record.name} versionNumber={draft.versionNumber} saveFirst={dirty} busy={publish.isPending} error={publish.error}
          onPublish={() => publish.mutate()} onClose={() => { publish.reset(); setPublishing(false); }} />
      )}
      <DraftNotice restored={kept.restored} currentRowVersion={draft.rowVersion} onDiscard={() => { kept.forget(); setContent(draft.content); }} />
      {err && <ErrorAlert error={err} title={err.kind === "validation_failed" ? `${fieldErrors.length} problem${fieldErrors.length === 1 ? "" : "s"} to fix — shown next to each question` : undefined} />}
      {preview ? (
        <Stack>
          {content.sections.map((s) => (
            <Stack key={s.id} gap="sm"><Title order={4}>{s.title}</Title>{s.questions.map((x, i) => <QuestionCard key={x.id} q={x} number={String(i + 1)} response={undefined} editable={false} problem={undefined} onAnswer={() => {}} onAttach={() => {}} />)}</Stack>
          ))}
        </Stack>
      ) : (
        <>
          <Paper withBorder p="md">
            <SimpleGrid cols={5}>
              <Select label="Scoring" data={[{ value: "percentage", label: "Percentage" }, { value: "points", label: "Points" }, { value: "none", label: "Not scored" }]} value={content.settings.scoringMethod} allowDeselect={false}
                onChange={(v) => setContent({ ...content, settings: { ...content.settings, scoringMethod: (v ?? "percentage") as ScoringMethod, passingScore: v === "none" ? null : content.settings.passingScore } })} />
              <NumberInput label="Pass mark" disabled={content.settings.scoringMethod === "none"} min={0} value={content.settings.passingScore ?? ""}
                onChange={(v) => setContent({ ...content, settings: { ...content.settings, passingScore: v === "" ? null : Number(v) } })} error={settingsErr("passingScore")} data-testid="template-pass-mark" />
              <Checkbox mt="xl" label="Review required" checked={content.settings.requireReview} onChange={(e) => setContent({ ...content, settings: { ...content.settings, requireReview: e.currentTarget.checked } })} />
              <Checkbox mt="xl" label="Location required" checked={content.settings.requireGps} onChange={(e) => setContent({ ...content, settings: { ...content.settings, requireGps: e.currentTarget.checked } })} />
              <Checkbox mt="xl" label="Raise findings automatically" checked={content.settings.autoCreateFindings} onChange={(e) => setContent({ ...content, settings: { ...content.settings, autoCreateFindings: e.currentTarget.checked } })} />
            </SimpleGrid>
          </Paper>
          {content.sections.map((s, si) => {
            const before = content.sections.slice(0, si).flatMap((x) => x.questions);
            return (
              <Paper key={s.id} withBorder p="md" bg="var(--mantine-color-default-hover)">
                <Stack>
                  <Group align="end" wrap="nowrap">
                    <TextInput label={`Section ${si + 1}`} required style={{ flex: 1 }} value={s.title} onChange={(e) => setSection(si, { ...s, title: e.currentTarget.value })}
                      error={fieldErrors.find((f) => f.field === `sections[${si}].title`)?.message} data-testid="section-title" />
                    <ActionIcon variant="subtle" aria-label="Move section up" onClick={() => setSections(move(content.sections, si, -1))} mb={6}><IconArrowUp size={16} /></ActionIcon>
                    <ActionIcon variant="subtle" aria-label="Move section down" onClick={() => setSections(move(content.sections, si, 1))} mb={6}><IconArrowDown size={16} /></ActionIcon>
                    <ActionIcon variant="subtle" color="red" aria-label="Remove section" onClick={() => setSections(content.sections.filter((_, j) => j !== si))} mb={6}><IconTrash size={16} /></ActionIcon>
                  </Group>
                  {s.questions.map((x, qi) => (
                    <QuestionEditor key={x.id} q={x} index={`${si + 1}.${qi + 1}`} earlier={[...before, ...s.questions.slice(0, qi)]} errors={errorsFor(`sections[${si}].questions[${qi}]`)}
                      onChange={(nq) => setSection(si, { ...s, questions: s.questions.map((y, j) => (j === qi ? nq : y)) })}
                      onMove={(d) => setSection(si, { ...s, questions: move(s.questions, qi, d) })}
                      onRemove={() => setSection(si, { ...s, questions: s.questions.filter((_, j) => j !== qi) })} />
                  ))}
                  <Button variant="light" w="fit-content" leftSection={<IconPlus size={14} />} onClick={() => setSection(si, { ...s, questions: [...s.questions, newQuestion()] })} data-testid="add-question">Add question</Button>
                </Stack>
              </Paper>
            );
          })}
          <Button variant="default" w="fit-content" leftSection={<IconPlus size={14} />} data-testid="add-section"
            onClick={() => setSections([...content.sections, { id: crypto.randomUUID(), title: `Section ${content.sections.length + 1}`, description: null, questions: [] }])}>Add section</Button>
          <Text size="sm" c="dimmed" data-testid="builder-summary">
            {count(all.length, "question")}, {all.filter((q) => SCORED_TYPES.includes(q.questionType) && q.weight > 0).length} of them scored (yes/no, pass/fail, rating and choice questions with a weight above 0). Save the draft as often as you like; publish it when it is ready (a published version never changes).
          </Text>
        </>
      )}
    </Stack>
  );
}
