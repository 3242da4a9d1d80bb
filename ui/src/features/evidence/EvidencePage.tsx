import { Stack, Tabs, Text, Title } from "@mantine/core";
import type { UserView } from "../../api/bindings";
import { ReportsTab } from "./ReportsTab";
import { PacksTab } from "./PacksTab";
import { VerifyPack } from "./VerifyPack";
import { ImportWizard } from "./ImportWizard";
import { DatabaseExport } from "./DatabaseExport";

/** Reports, evidence packs, pack verification, imports and the full export: what leaves and enters the app. */
export function EvidencePage({ user, tab }: { user: UserView; tab?: string }) {
  const canImport = user.role !== "viewer";
  return (
    <Stack>
      <Title order={2}>Reports and exports</Title>
      <Text c="dimmed" size="sm">Everything here is written in the background; you can keep working, and cancel a long one.</Text>
      <Tabs defaultValue={tab ?? "reports"} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="reports" data-testid="tab-reports">Reports</Tabs.Tab>
          <Tabs.Tab value="packs" data-testid="tab-packs">Evidence packs</Tabs.Tab>
          <Tabs.Tab value="verify" data-testid="tab-verify">Verify a pack</Tabs.Tab>
          {canImport && <Tabs.Tab value="import" data-testid="tab-import">Import</Tabs.Tab>}
          {user.role === "admin" && <Tabs.Tab value="database" data-testid="tab-database">Full export</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="reports" pt="md"><ReportsTab /></Tabs.Panel>
        <Tabs.Panel value="packs" pt="md"><PacksTab /></Tabs.Panel>
        <Tabs.Panel value="verify" pt="md"><VerifyPack /></Tabs.Panel>
        {canImport && <Tabs.Panel value="import" pt="md"><ImportWizard /></Tabs.Panel>}
        {user.role === "admin" && <Tabs.Panel value="database" pt="md"><DatabaseExport /></Tabs.Panel>}
      </Tabs>
    </Stack>
  );
}
