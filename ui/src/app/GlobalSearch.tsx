import { useRef, useState } from "react";
import { Badge, Combobox, Group, Kbd, Text, TextInput, useCombobox } from "@mantine/core";
import { useDebouncedValue, useHotkeys } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { IconSearch } from "@tabler/icons-react";
import { call } from "../api/backend";
import type { SearchHit } from "../api/bindings";
import { humanise } from "../components/badges";
import { recordView, type Navigate } from "./nav";

const KIND_COLOURS: Record<string, string> = { incident: "red", risk: "orange", action: "blue", investigation: "violet", complaint: "teal", collision: "grape", document: "indigo" };

/** One box (Ctrl+K) over incidents, risks, actions and investigations; Enter opens the best hit. */
export function GlobalSearch({ navigate }: { navigate: Navigate }) {
  const [query, setQuery] = useState("");
  const [q] = useDebouncedValue(query, 120);
  const ref = useRef<HTMLInputElement>(null);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  useHotkeys([["mod+K", () => { ref.current?.focus(); ref.current?.select(); }]], []);
  const hits = useQuery({ queryKey: ["search.global", q], queryFn: () => call("search.global", { query: q, limit: 12 }), enabled: q.trim().length > 0 });
  const open = (hit: SearchHit) => {
    const view = hit.entityType === "action" ? { name: "actions" as const, search: hit.reference } : recordView(hit.entityType, hit.id);
    if (view) navigate(view);
    combobox.closeDropdown();
    setQuery("");
    ref.current?.blur();
  };
  const items = hits.data ?? [];
  return (
    <Combobox store={combobox} onOptionSubmit={(value) => { const hit = items.find((h) => h.id === value); if (hit) open(hit); }}>
      <Combobox.Target>
        <TextInput
          ref={ref}
          w={460}
          placeholder="Search every register: reference, title, text"
          leftSection={<IconSearch size={16} />}
          rightSection={<Kbd size="xs">Ctrl K</Kbd>}
          rightSectionWidth={56}
          value={query}
          data-testid="global-search"
          aria-label="Global search"
          onChange={(e) => { setQuery(e.currentTarget.value); combobox.openDropdown(); combobox.updateSelectedOptionIndex(); }}
          onFocus={() => query && combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            if (e.key === "Enter" && combobox.getSelectedOptionIndex() < 0 && items[0]) { e.preventDefault(); open(items[0]); }
            if (e.key === "Escape") { setQuery(""); combobox.closeDropdown(); }
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!q.trim()}>
        <Combobox.Options data-testid="search-results">
          {items.length === 0 && <Combobox.Empty>{hits.isFetching ? "Searching…" : "Nothing found"}</Combobox.Empty>}
          {items.map((h) => (
            <Combobox.Option value={h.id} key={`${h.entityType}-${h.id}`} data-testid="search-hit">
              <Group gap="xs" wrap="nowrap">
                <Badge size="xs" variant="light" color={KIND_COLOURS[h.entityType]} w={96}>{humanise(h.entityType)}</Badge>
                <Text ff="monospace" size="xs" fw={600}>{h.reference}</Text>
                <Text size="sm" truncate style={{ flex: 1 }}>{h.title}</Text>
                <Text size="xs" c="dimmed">{humanise(h.status)}</Text>
              </Group>
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
