// Picking clauses and Annex A controls of the active standards, by number or words (§1.7 clause and control links).
import { MultiSelect } from "@mantine/core";
import { useQueries, useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";

export function ClausePicker({ clauseIds, controlIds, onChange, label = "Clauses and controls", disabled }: {
  clauseIds: string[];
  controlIds: string[];
  onChange: (clauseIds: string[], controlIds: string[]) => void;
  label?: string;
  disabled?: boolean;
}) {
  const list = useQuery({ queryKey: ["standards.list"], queryFn: () => call("standards.list", {}), staleTime: 300_000 });
  const standards = useQueries({
    queries: (list.data ?? []).filter((s) => s.isActive).map((s) => ({
      queryKey: ["standards.get", s.code], queryFn: () => call("standards.get", { id: s.code }), staleTime: 300_000,
    })),
  });
  const controls = new Set<string>();
  const groups = standards.flatMap((q) => (q.data ? [q.data] : [])).map((s) => ({
    group: `${s.standard.code}:${s.standard.edition}`,
    items: [
      ...s.clauses.filter((c) => !c.excluded).map((c) => ({ value: c.id, label: `${s.standard.code} ${c.number} ${c.title}` })),
      ...s.controls.map((k) => { controls.add(k.id); return { value: k.id, label: `${s.standard.code} ${k.number} ${k.title}` }; }),
    ],
  }));
  return (
    <MultiSelect label={label} searchable clearable disabled={disabled} data={groups} value={[...clauseIds, ...controlIds]} limit={50}
      placeholder="Type a number or words, e.g. 8.7 or supplier" data-testid="clause-picker"
      onChange={(ids) => onChange(ids.filter((i) => !controls.has(i)), ids.filter((i) => controls.has(i)))} />
  );
}
