import { Suspense, lazy, useCallback, useEffect, useState } from "react";
import { AppShell, Badge, Center, Group, Loader, Menu, NavLink, Text, Title, Tooltip, UnstyledButton } from "@mantine/core";
import { IconBooks, IconClipboardCheck, IconFlag, IconAlertTriangle, IconCar, IconFileText, IconChecklist, IconGauge, IconGridDots, IconHeartbeat, IconMessageReport, IconShieldExclamation, IconUserCircle, IconUsers, IconZoomQuestion, IconFileExport, IconSettings } from "@tabler/icons-react";
import { useIsMutating, useQueryClient } from "@tanstack/react-query";
import { currentSession, signOut } from "../api/backend";
import type { AppStatus, UserView } from "../api/bindings";
import type { View } from "./nav";
import { Dashboard } from "../features/dashboard/Dashboard";
import { GlobalSearch } from "./GlobalSearch";
import { ChangePassphraseDialog } from "./ChangePassphrase";
import { ErrorBoundary } from "../components/ErrorBoundary";
import { setCurrentScreen, setDraftOwner } from "../components/drafts";
import { useIdleLock } from "./idleLock";
import { useUnsaved } from "../components/unsaved";
import { count } from "../components/plural";

// Pages load when first opened, so the first screen parses only what it shows.
const IncidentRegister = lazy(() => import("../features/incidents/IncidentRegister").then((m) => ({ default: m.IncidentRegister })));
const IncidentDetail = lazy(() => import("../features/incidents/IncidentDetail").then((m) => ({ default: m.IncidentDetail })));
const IncidentFormPage = lazy(() => import("../features/incidents/IncidentForm").then((m) => ({ default: m.IncidentFormPage })));
const HealthPanel = lazy(() => import("../features/health/HealthPanel").then((m) => ({ default: m.HealthPanel })));
const ActionRegister = lazy(() => import("../features/actions/ActionRegister").then((m) => ({ default: m.ActionRegister })));
const UsersPage = lazy(() => import("../features/users/UsersPage").then((m) => ({ default: m.UsersPage })));
const RiskRegister = lazy(() => import("../features/risks/RiskRegister").then((m) => ({ default: m.RiskRegister })));
const RiskDetail = lazy(() => import("../features/risks/RiskDetail").then((m) => ({ default: m.RiskDetail })));
const RiskFormPage = lazy(() => import("../features/risks/RiskForm").then((m) => ({ default: m.RiskFormPage })));
const HeatMapPage = lazy(() => import("../features/risks/HeatMap").then((m) => ({ default: m.HeatMapPage })));
const ComplaintRegister = lazy(() => import("../features/complaints/ComplaintRegister").then((m) => ({ default: m.ComplaintRegister })));
const ComplaintDetail = lazy(() => import("../features/complaints/ComplaintDetail").then((m) => ({ default: m.ComplaintDetail })));
const ComplaintFormPage = lazy(() => import("../features/complaints/ComplaintForm").then((m) => ({ default: m.ComplaintFormPage })));
const CollisionRegister = lazy(() => import("../features/collisions/CollisionRegister").then((m) => ({ default: m.CollisionRegister })));
const CollisionDetail = lazy(() => import("../features/collisions/CollisionDetail").then((m) => ({ default: m.CollisionDetail })));
const CollisionFormPage = lazy(() => import("../features/collisions/CollisionForm").then((m) => ({ default: m.CollisionFormPage })));
const DocumentRegister = lazy(() => import("../features/documents/DocumentRegister").then((m) => ({ default: m.DocumentRegister })));
const DocumentDetail = lazy(() => import("../features/documents/DocumentDetail").then((m) => ({ default: m.DocumentDetail })));
const DocumentFormPage = lazy(() => import("../features/documents/DocumentForm").then((m) => ({ default: m.DocumentFormPage })));
const InvestigationRegister = lazy(() => import("../features/investigations/InvestigationRegister").then((m) => ({ default: m.InvestigationRegister })));
const AuditList = lazy(() => import("../features/audits/AuditList").then((m) => ({ default: m.AuditList })));
const RunScreen = lazy(() => import("../features/audits/RunScreen").then((m) => ({ default: m.RunScreen })));
const FindingRegister = lazy(() => import("../features/audits/FindingRegister").then((m) => ({ default: m.FindingRegister })));
const FindingDetail = lazy(() => import("../features/audits/FindingDetail").then((m) => ({ default: m.FindingDetail })));
const TemplateList = lazy(() => import("../features/templates/TemplatePages").then((m) => ({ default: m.TemplateList })));
const TemplateDetail = lazy(() => import("../features/templates/TemplatePages").then((m) => ({ default: m.TemplateDetail })));
const TemplateBuilder = lazy(() => import("../features/templates/TemplateBuilder").then((m) => ({ default: m.TemplateBuilder })));
const StandardsPage = lazy(() => import("../features/standards/StandardsPage").then((m) => ({ default: m.StandardsPage })));
const EvidencePage = lazy(() => import("../features/evidence/EvidencePage").then((m) => ({ default: m.EvidencePage })));
const SettingsPage = lazy(() => import("../features/settings/SettingsPage").then((m) => ({ default: m.SettingsPage })));
const InvestigationDetail = lazy(() => import("../features/investigations/InvestigationDetail").then((m) => ({ default: m.InvestigationDetail })));

const MODULES = [
  { name: "dashboard", label: "Dashboard", icon: IconGauge },
  { name: "incidents", label: "Incidents", icon: IconAlertTriangle },
  { name: "risks", label: "Risks", icon: IconShieldExclamation },
  { name: "heat-map", label: "Heat map", icon: IconGridDots },
  { name: "audits", label: "Audits", icon: IconClipboardCheck },
  { name: "findings", label: "Findings", icon: IconFlag },
  { name: "actions", label: "Actions", icon: IconChecklist },
  { name: "collisions", label: "Collisions", icon: IconCar },
  { name: "complaints", label: "Complaints", icon: IconMessageReport },
  { name: "investigations", label: "Investigations", icon: IconZoomQuestion },
  { name: "documents", label: "Documents", icon: IconFileText },
  { name: "standards", label: "Standards", icon: IconBooks },
  { name: "reports", label: "Reports & exports", icon: IconFileExport },
  { name: "users", label: "Users", icon: IconUsers, adminOnly: true },
  { name: "health", label: "Health", icon: IconHeartbeat },
  { name: "settings", label: "Settings", icon: IconSettings },
] as const;

export function Shell({ user, status, onSignedOut }: { user: UserView; status: AppStatus; onSignedOut: () => void }) {
  // Drafts of unsaved forms are this profile's; set before any form can mount.
  useState(() => setDraftOwner(user.id));
  const [view, setView] = useState<View>({ name: "dashboard" });
  useEffect(() => setCurrentScreen(view), [view]);
  const saving = useIsMutating() > 0;
  const unsaved = useUnsaved();
  const queryClient = useQueryClient();
  const [changingPassphrase, setChangingPassphrase] = useState(false);

  // Lock after the configured idle time: the session is dropped and the passphrase asked again.
  const lock = useCallback(async () => {
    await signOut();
    onSignedOut();
  }, [onSignedOut]);
  useIdleLock(status.sessionIdleMinutes, queryClient, lock, currentSession);

  const SECTIONS: Record<string, string> = { incident: "incidents", "incident-new": "incidents", "incident-edit": "incidents", risk: "risks", "risk-new": "risks", "risk-edit": "risks", investigation: "investigations", complaint: "complaints", "complaint-new": "complaints", "complaint-edit": "complaints", collision: "collisions", "collision-new": "collisions", "collision-edit": "collisions", document: "documents", "document-new": "documents", "document-edit": "documents", run: "audits", templates: "audits", template: "audits", "template-edit": "audits", finding: "findings" };
  const section = SECTIONS[view.name] ?? view.name;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Title order={4}>QGP Desktop</Title>
          <GlobalSearch navigate={setView} />
          <Group gap="sm" wrap="nowrap">
            {unsaved.length > 0 && !saving ? (
              <Tooltip label={`Not saved: ${unsaved.join("; ")}`} multiline w={320} withArrow>
                <Badge variant="light" color="red" data-testid="saved-indicator">{count(unsaved.length, "change")} not saved</Badge>
              </Tooltip>
            ) : (
              <Badge variant="light" color={saving ? "yellow" : "green"} data-testid="saved-indicator">
                {saving ? "Saving…" : "All saved"}
              </Badge>
            )}
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
                <Menu.Item data-testid="change-passphrase" onClick={() => setChangingPassphrase(true)}>Change passphrase</Menu.Item>
                <Menu.Item data-testid="switch-profile" onClick={async () => { await signOut(); onSignedOut(); }}>Switch profile</Menu.Item>
                <Menu.Item data-testid="sign-out" onClick={async () => { await signOut(); onSignedOut(); }}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      {/* The list scrolls on a short window (below ~700 px the last entries, Settings among them, were cut off). */}
      <AppShell.Navbar p="xs" style={{ overflowY: "auto" }}>
        {MODULES.filter((m) => !("adminOnly" in m) || user.role === "admin").map((m) => (
          <NavLink
            key={m.name}
            label={m.label}
            leftSection={<m.icon size={18} />}
            active={section === m.name}
            data-testid={`nav-${m.name}`}
            onClick={() => setView({ name: m.name } as View)}
          />
        ))}
        <Text size="xs" c="dimmed" mt="auto" p="xs">Version {status.version}</Text>
      </AppShell.Navbar>
      <AppShell.Main>
        <ErrorBoundary resetKey={view}>
        <Suspense fallback={<Center py="xl"><Loader /></Center>}>
        {view.name === "dashboard" && <Dashboard navigate={setView} />}
        {view.name === "reports" && <EvidencePage user={user} tab={view.tab} />}
        {view.name === "settings" && <SettingsPage user={user} />}
        {view.name === "incidents" && <IncidentRegister navigate={setView} user={user} />}
        {view.name === "incident" && <IncidentDetail id={view.id} navigate={setView} user={user} />}
        {view.name === "incident-new" && <IncidentFormPage navigate={setView} />}
        {view.name === "incident-edit" && <IncidentFormPage id={view.id} navigate={setView} />}
        {view.name === "risks" && <RiskRegister navigate={setView} user={user} />}
        {view.name === "risk" && <RiskDetail id={view.id} navigate={setView} user={user} />}
        {view.name === "risk-new" && <RiskFormPage navigate={setView} />}
        {view.name === "risk-edit" && <RiskFormPage id={view.id} navigate={setView} />}
        {view.name === "heat-map" && <HeatMapPage navigate={setView} />}
        {view.name === "actions" && <ActionRegister key={view.search ?? ""} navigate={setView} user={user} initialSearch={view.search} />}
        {view.name === "collisions" && <CollisionRegister navigate={setView} user={user} />}
        {view.name === "collision" && <CollisionDetail id={view.id} navigate={setView} user={user} />}
        {view.name === "collision-new" && <CollisionFormPage navigate={setView} />}
        {view.name === "collision-edit" && <CollisionFormPage id={view.id} navigate={setView} />}
        {view.name === "complaints" && <ComplaintRegister navigate={setView} user={user} />}
        {view.name === "complaint" && <ComplaintDetail id={view.id} navigate={setView} user={user} />}
        {view.name === "complaint-new" && <ComplaintFormPage navigate={setView} />}
        {view.name === "complaint-edit" && <ComplaintFormPage id={view.id} navigate={setView} />}
        {view.name === "documents" && <DocumentRegister navigate={setView} user={user} />}
        {view.name === "document" && <DocumentDetail id={view.id} navigate={setView} user={user} />}
        {view.name === "document-new" && <DocumentFormPage navigate={setView} />}
        {view.name === "document-edit" && <DocumentFormPage id={view.id} navigate={setView} />}
        {view.name === "investigations" && <InvestigationRegister navigate={setView} />}
        {view.name === "investigation" && <InvestigationDetail id={view.id} navigate={setView} user={user} />}
        {view.name === "audits" && <AuditList navigate={setView} user={user} />}
        {view.name === "run" && <RunScreen id={view.id} navigate={setView} user={user} />}
        {view.name === "findings" && <FindingRegister navigate={setView} />}
        {view.name === "finding" && <FindingDetail id={view.id} navigate={setView} user={user} />}
        {view.name === "templates" && <TemplateList navigate={setView} user={user} />}
        {view.name === "template" && <TemplateDetail id={view.id} navigate={setView} user={user} />}
        {view.name === "template-edit" && <TemplateBuilder id={view.id} navigate={setView} />}
        {view.name === "standards" && <StandardsPage user={user} />}
        {view.name === "users" && <UsersPage />}
        {view.name === "health" && <HealthPanel admin={user.role === "admin"} />}
        </Suspense>
        </ErrorBoundary>
      </AppShell.Main>
      {changingPassphrase && <ChangePassphraseDialog onClose={() => setChangingPassphrase(false)} />}
    </AppShell>
  );
}
