import { useEffect, useRef, useState } from "react";
import { AppShell, Badge, Group, Kbd, Menu, NavLink, Text, TextInput, Title, UnstyledButton } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { IconAlertTriangle, IconChecklist, IconGauge, IconHeartbeat, IconSearch, IconUserCircle, IconUsers } from "@tabler/icons-react";
import { useIsMutating } from "@tanstack/react-query";
import { signOut } from "../api/backend";
import type { AppStatus, UserView } from "../api/bindings";
import type { View } from "./nav";
import { Dashboard } from "../features/dashboard/Dashboard";
import { IncidentRegister } from "../features/incidents/IncidentRegister";
import { IncidentDetail } from "../features/incidents/IncidentDetail";
import { IncidentFormPage } from "../features/incidents/IncidentForm";
import { HealthPanel } from "../features/health/HealthPanel";
import { ActionRegister } from "../features/actions/ActionRegister";
import { UsersPage } from "../features/users/UsersPage";
import { ErrorBoundary } from "../components/ErrorBoundary";

const MODULES = [
  { name: "dashboard", label: "Dashboard", icon: IconGauge },
  { name: "incidents", label: "Incidents", icon: IconAlertTriangle },
  { name: "actions", label: "Actions", icon: IconChecklist },
  { name: "users", label: "Users", icon: IconUsers, adminOnly: true },
  { name: "health", label: "Health", icon: IconHeartbeat },
] as const;

export function Shell({ user, status, onSignedOut }: { user: UserView; status: AppStatus; onSignedOut: () => void }) {
  const [view, setView] = useState<View>({ name: "dashboard" });
  const [search, setSearch] = useState("");
  const [registerSearch, setRegisterSearch] = useState<string | undefined>(undefined);
  const searchRef = useRef<HTMLInputElement>(null);
  const saving = useIsMutating() > 0;
  useHotkeys([["mod+K", () => searchRef.current?.focus()]], []);

  // Lock after the configured idle time: the session is dropped and the passphrase asked again.
  useEffect(() => {
    let timer: number | undefined;
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        await signOut();
        onSignedOut();
      }, status.sessionIdleMinutes * 60_000);
    };
    reset();
    const events = ["mousemove", "keydown", "mousedown", "wheel"];
    events.forEach((e) => window.addEventListener(e, reset));
    return () => {
      window.clearTimeout(timer);
      events.forEach((e) => window.removeEventListener(e, reset));
    };
  }, [status.sessionIdleMinutes, onSignedOut]);

  const section = view.name.startsWith("incident") ? "incidents" : view.name;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Title order={4}>QGP Desktop</Title>
          <TextInput
            ref={searchRef}
            w={420}
            placeholder="Search incidents by reference, title, text"
            leftSection={<IconSearch size={16} />}
            rightSection={<Kbd size="xs">Ctrl K</Kbd>}
            rightSectionWidth={56}
            value={search}
            data-testid="global-search"
            aria-label="Global search"
            onChange={(e) => setSearch(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                setRegisterSearch(search);
                setView({ name: "incidents" });
              }
            }}
          />
          <Group gap="sm" wrap="nowrap">
            <Badge variant="light" color={saving ? "yellow" : "green"} data-testid="saved-indicator">
              {saving ? "Saving…" : "All saved"}
            </Badge>
            <Menu position="bottom-end">
              <Menu.Target>
                <UnstyledButton aria-label="Profile" data-testid="profile-menu">
                  <Group gap={6} wrap="nowrap">
                    <IconUserCircle size={22} />
                    <Text size="sm">{user.displayName}</Text>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{user.email} · {user.role}</Menu.Label>
                <Menu.Item data-testid="sign-out" onClick={async () => { await signOut(); onSignedOut(); }}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {MODULES.filter((m) => !("adminOnly" in m) || user.role === "admin").map((m) => (
          <NavLink
            key={m.name}
            label={m.label}
            leftSection={<m.icon size={18} />}
            active={section === m.name}
            data-testid={`nav-${m.name}`}
            onClick={() => { setRegisterSearch(undefined); setView({ name: m.name } as View); }}
          />
        ))}
        <Text size="xs" c="dimmed" mt="auto" p="xs">Version {status.version}</Text>
      </AppShell.Navbar>
      <AppShell.Main>
        <ErrorBoundary resetKey={view}>
        {view.name === "dashboard" && <Dashboard navigate={setView} />}
        {view.name === "incidents" && <IncidentRegister navigate={setView} initialSearch={registerSearch} user={user} />}
        {view.name === "incident" && <IncidentDetail id={view.id} navigate={setView} user={user} />}
        {view.name === "incident-new" && <IncidentFormPage navigate={setView} />}
        {view.name === "incident-edit" && <IncidentFormPage id={view.id} navigate={setView} />}
        {view.name === "actions" && <ActionRegister navigate={setView} user={user} />}
        {view.name === "users" && <UsersPage />}
        {view.name === "health" && <HealthPanel />}
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
