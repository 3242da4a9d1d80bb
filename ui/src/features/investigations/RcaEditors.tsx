// Editors for the analysis lists of an investigation: timeline, 5 whys and fishbone. Each edits a local copy and
// saves the whole list in one update; the backend validates (steps from 1, root cause on the last why only,
// sub-causes in the same category, three levels at most) and answers with field errors by position.
import { useState } from "react";
import { ActionIcon, Badge, Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";
import { AppError, call } from "../../api/backend";
import type { FishboneCategory, FishboneCauseInput, InvestigationInput, InvestigationView, TimelineEntryInput, WhyStepInput } from "../../api/bindings";
import { humanise } from "../../components/badges";
import { ErrorAlert } from "../../components/ErrorAlert";
import { DraftNotice, useFormDraft } from "../../components/drafts";
import type { View } from "../../app/nav";

export const CATEGORIES: FishboneCategory[] = ["people", "methods", "equipment", "materials", "measurement", "environment", "management"];

const PARTS = { overview: "overview", timeline: "timeline", whys: "5 whys", fishbone: "fishbone" } as const;

/** Unsaved work in one part of an investigation is kept as a draft (see components/drafts) until saved or discarded. */
export function useAnalysisDraft<T>(view: InvestigationView, part: keyof typeof PARTS, form: T, setForm: (f: T) => void, dirty: boolean, editable: boolean) {
  return useFormDraft({
    draftKey: `investigation-${part}:${view.record.id}`,
    view: { name: "investigation", id: view.record.id } as View,
    label: `${view.record.reference} ${PARTS[part]}`,
    form, setForm, dirty, ready: editable, rowVersion: view.record.rowVersion, sinceVersion: false,
  });
}

function useSave(view: InvestigationView, draft: { forget: () => void }) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (changes: InvestigationInput) => call("investigations.update", { id: view.record.id, rowVersion: view.record.rowVersion, changes }),
    onSuccess: () => { draft.forget(); qc.invalidateQueries(); },
  });
}

function SaveBar({ save, dirty, onSave, testid }: { save: ReturnType<typeof useSave>; dirty: boolean; onSave: () => void; testid: string }) {
  const err = save.error as AppError | null;
  return (
    <Stack gap="xs">
      {err && <ErrorAlert error={err} title={err.kind === "validation_failed" ? "Some entries need attention" : undefined} />}
      <Group>
        <Button onClick={onSave} disabled={!dirty} loading={save.isPending} data-testid={testid}>Save</Button>
        {dirty && <Text size="sm" c="orange">Unsaved changes</Text>}
      </Group>
    </Stack>
  );
}

const move = <T,>(list: T[], from: number, to: number) => {
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
};

export function TimelineEditor({ view, editable }: { view: InvestigationView; editable: boolean }) {
  const initial: TimelineEntryInput[] = view.record.timeline.map((t) => ({ date: t.date ?? "", time: t.time ?? "", description: t.description }));
  const [items, setItems] = useState(initial);
  const dirty = JSON.stringify(items) !== JSON.stringify(initial);
  const draft = useAnalysisDraft(view, "timeline", items, setItems, dirty, editable);
  const save = useSave(view, draft);
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  const set = (i: number, patch: Partial<TimelineEntryInput>) => setItems(items.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const blank = (s?: string | null) => (s && s.trim() ? s.trim() : null);
  return (
    <Stack>
      <DraftNotice restored={draft.restored} onDiscard={() => { draft.forget(); setItems(initial); }} />
      <Text size="sm" c="dimmed">What happened, in order. Entries are sorted by date and time when saved.</Text>
      {items.map((t, i) => (
        <Group key={i} align="end" wrap="nowrap" data-testid="timeline-row">
          <TextInput label="Date" placeholder="YYYY-MM-DD" value={t.date ?? ""} onChange={(e) => set(i, { date: e.currentTarget.value })} error={fields[`timeline[${i}].date`]} w={130} disabled={!editable} />
          <TextInput label="Time" placeholder="HH:MM" value={t.time ?? ""} onChange={(e) => set(i, { time: e.currentTarget.value })} error={fields[`timeline[${i}].time`]} w={90} disabled={!editable} />
          <TextInput label="What happened" required value={t.description ?? ""} onChange={(e) => set(i, { description: e.currentTarget.value })} error={fields[`timeline[${i}].description`]} style={{ flex: 1 }} disabled={!editable} data-testid="timeline-description" />
          {editable && <ActionIcon variant="subtle" color="red" aria-label="Remove entry" mb={4} onClick={() => setItems(items.filter((_, j) => j !== i))}><IconTrash size={16} /></ActionIcon>}
        </Group>
      ))}
      {editable && (
        <>
          <Button variant="light" leftSection={<IconPlus size={14} />} w="fit-content" onClick={() => setItems([...items, { date: "", time: "", description: "" }])} data-testid="timeline-add">Add entry</Button>
          <SaveBar save={save} dirty={dirty} testid="timeline-save" onSave={() => save.mutate({ timeline: items.map((t) => ({ date: blank(t.date), time: blank(t.time), description: t.description })) as TimelineEntryInput[] })} />
        </>
      )}
    </Stack>
  );
}

export function WhysEditor({ view, editable }: { view: InvestigationView; editable: boolean }) {
  const initial: WhyStepInput[] = view.record.fiveWhys.map((w) => ({ why: w.why, because: w.because, evidenceNote: w.evidenceNote ?? "", isRootCause: w.isRootCause }));
  const [items, setItems] = useState(initial);
  const dirty = JSON.stringify(items) !== JSON.stringify(initial);
  const draft = useAnalysisDraft(view, "whys", items, setItems, dirty, editable);
  const save = useSave(view, draft);
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  const set = (i: number, patch: Partial<WhyStepInput>) => setItems(items.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const err = (i: number, k: string) => fields[`fiveWhys[${i}].${k}`];
  return (
    <Stack>
      <DraftNotice restored={draft.restored} onDiscard={() => { draft.forget(); setItems(initial); }} />
      <Text size="sm" c="dimmed">Ask “why?” until you reach a cause you can act on (up to ten steps). Mark the last step as the root cause.</Text>
      {items.map((w, i) => (
        <Paper key={i} withBorder p="sm" data-testid="why-row">
          <Group justify="space-between" mb={4}>
            <Badge variant="light">Why {i + 1}</Badge>
            {editable && (
              <Group gap={2}>
                <ActionIcon variant="subtle" aria-label="Move up" onClick={() => setItems(move(items, i, i - 1))}><IconArrowUp size={14} /></ActionIcon>
                <ActionIcon variant="subtle" aria-label="Move down" onClick={() => setItems(move(items, i, i + 1))}><IconArrowDown size={14} /></ActionIcon>
                <ActionIcon variant="subtle" color="red" aria-label="Remove step" onClick={() => setItems(items.filter((_, j) => j !== i))}><IconTrash size={14} /></ActionIcon>
              </Group>
            )}
          </Group>
          <SimpleGrid cols={2}>
            <TextInput label="Why?" required placeholder={i > 0 && items[i - 1].because ? `Why: ${items[i - 1].because}?` : "Why did it happen?"} value={w.why ?? ""} onChange={(e) => set(i, { why: e.currentTarget.value })} error={err(i, "why")} disabled={!editable} data-testid="why-why" />
            <TextInput label="Because" required value={w.because ?? ""} onChange={(e) => set(i, { because: e.currentTarget.value })} error={err(i, "because")} disabled={!editable} data-testid="why-because" />
          </SimpleGrid>
          <Group align="end" mt={4}>
            <TextInput label="Evidence" value={w.evidenceNote ?? ""} onChange={(e) => set(i, { evidenceNote: e.currentTarget.value })} error={err(i, "evidenceNote")} style={{ flex: 1 }} disabled={!editable} />
            <Checkbox label="Root cause" checked={!!w.isRootCause} onChange={(e) => set(i, { isRootCause: e.currentTarget.checked })} error={err(i, "isRootCause")} disabled={!editable || i !== items.length - 1} mb={8} data-testid="why-root" />
          </Group>
        </Paper>
      ))}
      {editable && (
        <>
          {items.length < 10 && (
            <Button variant="light" leftSection={<IconPlus size={14} />} w="fit-content" data-testid="why-add"
              onClick={() => setItems([...items.map((w) => ({ ...w, isRootCause: false })), { why: "", because: "", evidenceNote: "", isRootCause: false }])}>
              Ask why again
            </Button>
          )}
          <SaveBar save={save} dirty={dirty} testid="whys-save"
            onSave={() => save.mutate({ fiveWhys: items.map((w) => ({ why: w.why, because: w.because, evidenceNote: w.evidenceNote?.trim() ? w.evidenceNote : null, isRootCause: !!w.isRootCause })) as WhyStepInput[] })} />
        </>
      )}
    </Stack>
  );
}

type Cause = { key: string; id?: string | null; category: FishboneCategory; description: string; parentCauseId?: string | null; isContributing: boolean; isRootCause: boolean };

export function FishboneEditor({ view, editable }: { view: InvestigationView; editable: boolean }) {
  const initial: Cause[] = view.record.fishbone.map((c) => ({ ...c, key: c.id }));
  const [causes, setCauses] = useState<Cause[]>(initial);
  const [draft, setDraft] = useState({ category: "methods" as FishboneCategory, description: "", parentCauseId: "" });
  const dirty = JSON.stringify(causes) !== JSON.stringify(initial);
  const kept = useAnalysisDraft(view, "fishbone", causes, setCauses, dirty, editable);
  const save = useSave(view, kept);
  const fields = (save.error as AppError | null)?.fieldErrors() ?? {};
  const set = (key: string, patch: Partial<Cause>) => setCauses(causes.map((c) => (c.key === key ? { ...c, ...patch } : c)));
  const depth = (c: Cause): number => {
    const parent = c.parentCauseId ? causes.find((p) => p.id === c.parentCauseId) : undefined;
    return parent ? 1 + depth(parent) : 0;
  };
  const ordered = (category: string) => {
    const out: Cause[] = [];
    const walk = (parent: string | null | undefined) =>
      causes.filter((c) => c.category === category && (c.parentCauseId ?? null) === (parent ?? null)).forEach((c) => { out.push(c); if (c.id) walk(c.id); });
    walk(null);
    return out;
  };
  const parents = causes.filter((c) => c.id && c.category === draft.category && depth(c) < 2).map((c) => ({ value: c.id!, label: c.description ?? "" }));
  return (
    <Stack>
      <DraftNotice restored={kept.restored} onDiscard={() => { kept.forget(); setCauses(initial); }} />
      <Text size="sm" c="dimmed">Causes by category (Ishikawa). Sub-causes stay in their parent's category, three levels at most. Save before adding a sub-cause under a new cause.</Text>
      <SimpleGrid cols={{ base: 2, lg: 4 }} data-testid="fishbone">
        {CATEGORIES.map((cat) => (
          <Paper key={cat} withBorder p="xs" data-testid={`fishbone-${cat}`}>
            <Title order={6} mb={4}>{humanise(cat)}</Title>
            {ordered(cat).map((c) => {
              const index = causes.indexOf(c);
              return (
                <Group key={c.key} gap={4} wrap="nowrap" pl={depth(c) * 14} align="start" data-testid="fishbone-cause">
                  <Stack gap={0} style={{ flex: 1 }}>
                    <Text size="sm">{c.description}</Text>
                    <Group gap={4}>
                      {c.isRootCause && <Badge size="xs" color="red">Root cause</Badge>}
                      {c.isContributing && <Badge size="xs" color="orange" variant="light">Contributing</Badge>}
                    </Group>
                    {Object.entries(fields).filter(([k]) => k.startsWith(`fishbone[${index}]`)).map(([k, m]) => <Text key={k} size="xs" c="red">{m}</Text>)}
                    {editable && (
                      <Group gap={6}>
                        <Checkbox size="xs" label="Root" checked={!!c.isRootCause} onChange={(e) => set(c.key, { isRootCause: e.currentTarget.checked })} data-testid="fishbone-root" />
                        <Checkbox size="xs" label="Contributing" checked={!!c.isContributing} onChange={(e) => set(c.key, { isContributing: e.currentTarget.checked })} />
                      </Group>
                    )}
                  </Stack>
                  {editable && !causes.some((x) => x.parentCauseId && x.parentCauseId === c.id) && (
                    <ActionIcon size="sm" variant="subtle" color="red" aria-label="Remove cause" onClick={() => setCauses(causes.filter((x) => x.key !== c.key))}><IconTrash size={12} /></ActionIcon>
                  )}
                </Group>
              );
            })}
          </Paper>
        ))}
      </SimpleGrid>
      {editable && (
        <>
          <Group align="end">
            <Select label="Category" data={CATEGORIES.map((c) => ({ value: c, label: humanise(c) }))} value={draft.category} onChange={(v) => setDraft({ ...draft, category: (v ?? "methods") as FishboneCategory, parentCauseId: "" })} allowDeselect={false} w={160} data-testid="fishbone-category" />
            <TextInput label="Cause" value={draft.description} onChange={(e) => { const d = e.currentTarget.value; setDraft((x) => ({ ...x, description: d })); }} w={300} data-testid="fishbone-description" />
            <Select label="Under" placeholder="Top level" data={parents} value={draft.parentCauseId || null} onChange={(v) => setDraft({ ...draft, parentCauseId: v ?? "" })} clearable w={220} />
            <Button variant="light" leftSection={<IconPlus size={14} />} disabled={!draft.description.trim()} data-testid="fishbone-add"
              onClick={() => { setCauses([...causes, { key: crypto.randomUUID(), category: draft.category, description: draft.description, parentCauseId: draft.parentCauseId || null, isContributing: false, isRootCause: false }]); setDraft({ ...draft, description: "" }); }}>
              Add cause
            </Button>
          </Group>
          <SaveBar save={save} dirty={dirty} testid="fishbone-save"
            onSave={() => save.mutate({ fishbone: causes.map((c) => ({ id: c.id || null, category: c.category, description: c.description, parentCauseId: c.parentCauseId ?? null, isContributing: c.isContributing, isRootCause: c.isRootCause })) as FishboneCauseInput[] })} />
        </>
      )}
    </Stack>
  );
}
