// Editing one question of a draft template (§4): type-specific settings, options with scores and finding flags,
// show/hide logic on earlier questions, and evidence rules. Problems come back from the backend by path.
import { ActionIcon, Button, Checkbox, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Tooltip } from "@mantine/core";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";
import type { EvidenceOn, FindingSeverity, LogicOperator, Question, QuestionOption, QuestionType } from "../../api/bindings";
import { humanise } from "../../components/badges";
import { ClausePicker } from "../standards/ClausePicker";

export const QUESTION_TYPES: QuestionType[] = ["yes_no", "pass_fail", "rating", "number", "text", "choice_single", "choice_multi", "date", "photo", "signature"];
/** The answer types that score (domain.md §5); the others never do, whatever their weight. */
export const SCORED_TYPES: QuestionType[] = ["yes_no", "pass_fail", "rating", "choice_single", "choice_multi"];
const SEVERITIES: FindingSeverity[] = ["critical", "high", "medium", "low"];
const OPERATORS: LogicOperator[] = ["equals", "not_equals", "any_of", "greater_than", "less_than", "is_answered", "is_not_answered"];
const opts = (v: string[]) => v.map((value) => ({ value, label: humanise(value) }));

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "").slice(0, 100) || "option";

function fixed(type: QuestionType): QuestionOption[] {
  const pair = type === "yes_no" ? [["yes", "Yes"], ["no", "No"]] : type === "pass_fail" ? [["pass", "Pass"], ["fail", "Fail"]] : [];
  return pair.map(([value, label], i) => ({ value, label, score: i === 0 ? 1 : 0, raisesFinding: false, findingSeverity: "medium", findingType: "nonconformity", failsRun: false }));
}

/** A new question of a type, with that type's defaults. */
export function newQuestion(type: QuestionType = "yes_no"): Question {
  return {
    id: crypto.randomUUID(), text: "", helpText: null, questionType: type, required: true, allowNa: false, weight: SCORED_TYPES.includes(type) ? 1 : 0, maxScore: 0,
    options: type === "choice_single" || type === "choice_multi" ? [] : fixed(type),
    number: type === "number" ? { min: null, max: null, decimals: 0, unit: null, acceptableMin: null, acceptableMax: null, outOfRangeSeverity: "medium" } : null,
    rating: type === "rating" ? { scaleMax: 5, findingAtOrBelow: null, findingSeverity: "medium" } : null,
    textMaxLength: 2000, multiline: false, allowFuture: true, visibility: "always", ruleMatch: "all", rules: [],
    evidence: { on: "never", minPhotos: 0, maxAttachments: 10, noteOnFinding: false }, clauseIds: [], controlIds: [],
  };
}

const num = (v: string | number) => (v === "" ? null : Number(v));

export function QuestionEditor({ q, index, earlier, errors, onChange, onMove, onRemove }: {
  q: Question;
  index: string;
  earlier: Question[];
  errors: [string, string][];
  onChange: (q: Question) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}) {
  const set = <K extends keyof Question>(k: K, v: Question[K]) => onChange({ ...q, [k]: v });
  const setOption = (i: number, patch: Partial<QuestionOption>) => set("options", q.options.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  const choice = q.questionType === "choice_single" || q.questionType === "choice_multi";
  const hasOptions = choice || q.questionType === "yes_no" || q.questionType === "pass_fail";
  const rule = q.rules[0];
  const source = earlier.find((x) => x.id === rule?.sourceQuestionId);
  const err = (suffix: string) => errors.find(([k]) => k === suffix)?.[1];
  return (
    <Paper withBorder p="md" data-testid="question-editor">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="start">
          <Text fw={600}>Question {index}</Text>
          <Group gap={4}>
            <Tooltip label="Move up"><ActionIcon variant="subtle" aria-label="Move question up" onClick={() => onMove(-1)}><IconArrowUp size={16} /></ActionIcon></Tooltip>
            <Tooltip label="Move down"><ActionIcon variant="subtle" aria-label="Move question down" onClick={() => onMove(1)}><IconArrowDown size={16} /></ActionIcon></Tooltip>
            <Tooltip label="Remove"><ActionIcon variant="subtle" color="red" aria-label="Remove question" onClick={onRemove}><IconTrash size={16} /></ActionIcon></Tooltip>
          </Group>
        </Group>
        <Textarea label="Question" required autosize value={q.text} onChange={(e) => set("text", e.currentTarget.value)} error={err("text")} data-testid="q-text" />
        <SimpleGrid cols={4}>
          <Select label="Answer type" data={opts(QUESTION_TYPES)} value={q.questionType} allowDeselect={false} data-testid="q-type"
            onChange={(v) => { const t = (v ?? "yes_no") as QuestionType; const fresh = newQuestion(t); onChange({ ...fresh, id: q.id, text: q.text, helpText: q.helpText, required: q.required, rules: q.rules, visibility: q.visibility, ruleMatch: q.ruleMatch, clauseIds: q.clauseIds, controlIds: q.controlIds }); }} />
          {SCORED_TYPES.includes(q.questionType)
            ? <NumberInput label="Weight" description="Scores × weight; 0 = not scored" min={0} max={100} value={q.weight} onChange={(v) => set("weight", Number(v) || 0)} error={err("weight")} data-testid="q-weight" />
            : <Stack gap={2} data-testid="q-not-scored"><Text size="sm" fw={500}>Not scored</Text><Text size="xs" c="dimmed">{humanise(q.questionType)} answers count for completion and findings, not the score.</Text></Stack>}
          <Checkbox mt="xl" label="Required" checked={q.required} onChange={(e) => set("required", e.currentTarget.checked)} />
          <Checkbox mt="xl" label="N/A allowed" checked={q.allowNa} onChange={(e) => set("allowNa", e.currentTarget.checked)} />
        </SimpleGrid>
        <TextInput label="Help text" value={q.helpText ?? ""} onChange={(e) => set("helpText", e.currentTarget.value || null)} error={err("helpText")} />
        {hasOptions && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>Options</Text>
            {q.options.map((o, i) => (
              <Group key={i} gap="xs" align="end" wrap="nowrap">
                <TextInput label={i === 0 ? "Label" : undefined} w={220} value={o.label} disabled={!choice}
                  onChange={(e) => setOption(i, { label: e.currentTarget.value, value: choice ? slug(e.currentTarget.value) : o.value })} error={err(`options[${i}].label`) ?? err(`options[${i}].value`)} data-testid="q-option-label" />
                <NumberInput label={i === 0 ? "Score" : undefined} w={90} min={0} value={o.score} onChange={(v) => setOption(i, { score: Number(v) || 0 })} />
                <Checkbox label="Raises a finding" checked={o.raisesFinding} onChange={(e) => setOption(i, { raisesFinding: e.currentTarget.checked })} mb={8} data-testid="q-option-finding" />
                {o.raisesFinding && <Select w={120} data={opts(SEVERITIES)} value={o.findingSeverity} allowDeselect={false} onChange={(v) => setOption(i, { findingSeverity: (v ?? "medium") as FindingSeverity })} aria-label="Finding severity" />}
                <Checkbox label="Fails the run" checked={o.failsRun} onChange={(e) => setOption(i, { failsRun: e.currentTarget.checked })} mb={8} />
                {choice && <ActionIcon variant="subtle" color="red" mb={6} aria-label="Remove option" onClick={() => set("options", q.options.filter((_, j) => j !== i))}><IconTrash size={14} /></ActionIcon>}
              </Group>
            ))}
            {err("options") && <Text size="sm" c="red">{err("options")}</Text>}
            {choice && <Button variant="subtle" size="compact-sm" w="fit-content" leftSection={<IconPlus size={14} />} data-testid="q-add-option"
              onClick={() => set("options", [...q.options, { value: `option_${q.options.length + 1}`, label: "", score: 0, raisesFinding: false, findingSeverity: "medium", findingType: "nonconformity", failsRun: false }])}>Add option</Button>}
          </Stack>
        )}
        {q.rating && (
          <SimpleGrid cols={3}>
            <NumberInput label="Highest rating" min={2} max={10} value={q.rating.scaleMax} onChange={(v) => set("rating", { ...q.rating!, scaleMax: Number(v) || 5 })} />
            <NumberInput label="Finding at or below" min={1} value={q.rating.findingAtOrBelow ?? ""} onChange={(v) => set("rating", { ...q.rating!, findingAtOrBelow: num(v) })} error={err("rating.findingAtOrBelow")} />
            <Select label="Finding severity" data={opts(SEVERITIES)} value={q.rating.findingSeverity} allowDeselect={false} onChange={(v) => set("rating", { ...q.rating!, findingSeverity: (v ?? "medium") as FindingSeverity })} />
          </SimpleGrid>
        )}
        {q.number && (
          <SimpleGrid cols={4}>
            <NumberInput label="Lowest allowed" value={q.number.min ?? ""} onChange={(v) => set("number", { ...q.number!, min: num(v) })} error={err("number.min")} />
            <NumberInput label="Highest allowed" value={q.number.max ?? ""} onChange={(v) => set("number", { ...q.number!, max: num(v) })} error={err("number.max")} />
            <NumberInput label="Decimal places" min={0} max={6} value={q.number.decimals} onChange={(v) => set("number", { ...q.number!, decimals: Number(v) || 0 })} />
            <TextInput label="Unit" value={q.number.unit ?? ""} onChange={(e) => set("number", { ...q.number!, unit: e.currentTarget.value || null })} />
            <NumberInput label="Acceptable from" value={q.number.acceptableMin ?? ""} onChange={(v) => set("number", { ...q.number!, acceptableMin: num(v) })} />
            <NumberInput label="Acceptable to" value={q.number.acceptableMax ?? ""} onChange={(v) => set("number", { ...q.number!, acceptableMax: num(v) })} error={err("number.acceptableMax")} />
            <Select label="Out of range: finding" data={opts(SEVERITIES)} value={q.number.outOfRangeSeverity} allowDeselect={false} onChange={(v) => set("number", { ...q.number!, outOfRangeSeverity: (v ?? "medium") as FindingSeverity })} />
          </SimpleGrid>
        )}
        {q.questionType === "text" && (
          <Group><NumberInput label="Longest answer" min={1} max={5000} w={160} value={q.textMaxLength} onChange={(v) => set("textMaxLength", Number(v) || 2000)} /><Checkbox mt="xl" label="Several lines" checked={q.multiline} onChange={(e) => set("multiline", e.currentTarget.checked)} /></Group>
        )}
        {q.questionType === "date" && <Checkbox label="Future dates allowed" checked={q.allowFuture} onChange={(e) => set("allowFuture", e.currentTarget.checked)} />}
        <SimpleGrid cols={4}>
          <Select label="Show" data={[{ value: "always", label: "Always" }, { value: "show_if", label: "Only if…" }, { value: "hide_if", label: "Unless…" }]} value={q.visibility} allowDeselect={false} data-testid="q-visibility"
            onChange={(v) => { const vis = (v ?? "always") as Question["visibility"]; onChange({ ...q, visibility: vis, rules: vis === "always" ? [] : q.rules.length ? q.rules : earlier.length ? [{ sourceQuestionId: earlier[earlier.length - 1].id, operator: "equals", value: earlier[earlier.length - 1].options[0]?.value ?? null }] : [] }); }} />
          {q.visibility !== "always" && rule && (
            <>
              <Select label="Question" data={earlier.map((x, i) => ({ value: x.id, label: `${i + 1}. ${x.text || "(untitled)"}` }))} value={rule.sourceQuestionId} allowDeselect={false}
                onChange={(v) => set("rules", [{ ...rule, sourceQuestionId: v ?? rule.sourceQuestionId }])} error={err("rules[0].sourceQuestionId")} />
              <Select label="Test" data={opts(OPERATORS)} value={rule.operator} allowDeselect={false} onChange={(v) => set("rules", [{ ...rule, operator: (v ?? "equals") as LogicOperator, value: v === "is_answered" || v === "is_not_answered" ? null : rule.value }])} />
              {rule.operator !== "is_answered" && rule.operator !== "is_not_answered" && (source?.options.length ? (
                <Select label="Answer" data={source.options.map((o) => ({ value: o.value, label: o.label }))} value={typeof rule.value === "string" ? rule.value : null}
                  onChange={(v) => set("rules", [{ ...rule, value: rule.operator === "any_of" ? [v ?? ""] : v }])} error={err("rules[0].value")} data-testid="q-rule-value" />
              ) : (
                <TextInput label="Value" value={rule.value == null ? "" : String(rule.value)} onChange={(e) => set("rules", [{ ...rule, value: e.currentTarget.value === "" ? null : isNaN(Number(e.currentTarget.value)) ? e.currentTarget.value : Number(e.currentTarget.value) }])} error={err("rules[0].value")} />
              ))}
            </>
          )}
        </SimpleGrid>
        {err("rules") && <Text size="sm" c="red">{err("rules")}</Text>}
        <SimpleGrid cols={4}>
          <Select label="Evidence" data={[{ value: "never", label: "Not required" }, { value: "always", label: "Always" }, { value: "on_finding", label: "When it raises a finding" }]}
            value={q.evidence.on} allowDeselect={false} onChange={(v) => set("evidence", { ...q.evidence, on: (v ?? "never") as EvidenceOn })} />
          <NumberInput label="Photos needed" min={0} max={20} value={q.evidence.minPhotos} onChange={(v) => set("evidence", { ...q.evidence, minPhotos: Number(v) || 0 })} />
          <NumberInput label="Most attachments" min={0} max={20} value={q.evidence.maxAttachments} onChange={(v) => set("evidence", { ...q.evidence, maxAttachments: Number(v) || 0 })} error={err("evidence.maxAttachments")} />
          <Checkbox mt="xl" label="Note on finding" checked={q.evidence.noteOnFinding} onChange={(e) => set("evidence", { ...q.evidence, noteOnFinding: e.currentTarget.checked })} />
        </SimpleGrid>
        <ClausePicker clauseIds={q.clauseIds} controlIds={q.controlIds} label="Evidence for clauses and controls" onChange={(clauseIds, controlIds) => onChange({ ...q, clauseIds, controlIds })} />
        {errors.filter(([k]) => !["text", "weight", "options", "rules", "helpText"].includes(k) && !k.startsWith("options[") && !k.startsWith("number.") && !k.startsWith("rating.") && !k.startsWith("rules[") && !k.startsWith("evidence.")).map(([k, m]) => (
          <Text key={k} size="sm" c="red">{humanise(k)}: {m}</Text>
        ))}
      </Stack>
    </Paper>
  );
}
