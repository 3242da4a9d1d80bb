import { useState } from "react";
import { MultiSelect, Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../api/backend";

/** Picks one audit run by reference or title. */
export function RunPicker({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 200);
  const runs = useQuery({ queryKey: ["runs.list", "picker", q], queryFn: () => call("runs.list", { search: q || undefined, pageSize: 50, archived: "include" }) });
  const data = (runs.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.reference} — ${r.title}` }));
  return (
    <Select label="Audit run" placeholder="Search by reference or title" searchable searchValue={search} onSearchChange={setSearch}
      data={data} value={value} onChange={onChange} nothingFoundMessage="No audit runs" data-testid="pick-run" />
  );
}

/** Picks incidents by reference or title. */
export function IncidentPicker({ value, onChange, single }: { value: string[]; onChange: (ids: string[]) => void; single?: boolean }) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 200);
  const list = useQuery({ queryKey: ["incidents.list", "picker", q], queryFn: () => call("incidents.list", { search: q || undefined, pageSize: 50, archived: "include" }) });
  const data = (list.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.reference} — ${r.title}` }));
  if (single) {
    return (
      <Select label="Incident" placeholder="Search by reference or title" searchable searchValue={search} onSearchChange={setSearch}
        data={data} value={value[0] ?? null} onChange={(v) => onChange(v ? [v] : [])} data-testid="pick-incident" />
    );
  }
  return (
    <MultiSelect label="Incidents" placeholder="Search by reference or title" searchable searchValue={search} onSearchChange={setSearch}
      data={data} value={value} onChange={onChange} data-testid="pick-incidents" />
  );
}

/** Picks a standard; `soaOnly` keeps to standards with Annex A controls. */
export function StandardPicker({ value, onChange, soaOnly }: { value: string | null; onChange: (id: string | null) => void; soaOnly?: boolean }) {
  const list = useQuery({ queryKey: ["standards.list"], queryFn: () => call("standards.list", {}) });
  const data = (list.data ?? []).filter((s) => !soaOnly || s.controlCount > 0).map((s) => ({ value: s.id, label: `${s.code} ${s.edition} — ${s.title}` }));
  return <Select label="Standard" data={data} value={value} onChange={onChange} data-testid="pick-standard" />;
}
