// End-to-end: drives the real built app through tauri-driver (WebKitWebDriver) under Xvfb.
// Prints "N passed, N failed" and saves a screenshot of every step in tests/e2e/artifacts/.
import { remote } from "webdriverio";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const app = join(root, "target/debug/qgp-desktop");
const artifacts = join(root, "tests/e2e/artifacts");
mkdirSync(artifacts, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), "qgp-e2e-"));
const driverBin = process.env.TAURI_DRIVER ?? join(process.env.HOME ?? "/root", ".cargo/bin/tauri-driver");

const driver = spawn(driverBin, ["--port", "4444"], { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, QGP_DATA_DIR: dataDir } });
await new Promise((r) => setTimeout(r, 1500));

let passed = 0;
let failed = 0;
// A stuck WebDriver call must fail the run, not hang CI.
const watchdog = setTimeout(() => {
  console.log("not ok - the suite did not finish within 10 minutes");
  console.log(`${passed} passed, ${failed + 1} failed`);
  driver.kill("SIGTERM");
  process.exit(1);
}, 10 * 60 * 1000);
watchdog.unref();
let browser;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e.message}`);
  }
  try {
    await browser.saveScreenshot(join(artifacts, `${String(passed + failed).padStart(2, "0")}-${name.replace(/\W+/g, "-")}.png`));
  } catch {
    /* a screenshot is an artefact, not an assertion */
  }
}
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
async function type(id, text) {
  const el = await byTestId(id);
  await el.waitForDisplayed({ timeout: 10000 });
  await el.setValue(text);
}

async function jsClick(el) {
  await el.waitForExist({ timeout: 10000 });
  await browser.execute((e) => e.click(), el);
}
async function pickOption(testId, label) {
  const input = await byTestId(testId);
  await input.waitForDisplayed({ timeout: 10000 });
  await input.click();
  const option = await browser.$(`//*[@role='option'][contains(., '${label}')]`);
  await option.waitForDisplayed({ timeout: 10000 });
  await option.click();
}
const textOf = async (id) => (await (await byTestId(id)).getProperty("textContent")).trim();
async function signIn(email) {
  await type("signin-email", email);
  await type("signin-passphrase", "correct horse battery");
  await (await byTestId("signin-submit")).click();
  await (await byTestId("nav-incidents")).waitForDisplayed({ timeout: 15000 });
}
async function openFirstIncident() {
  await jsClick(await byTestId("nav-incidents"));
  const row = await browser.$('[data-testid="incident-row"]');
  await row.waitForDisplayed({ timeout: 10000 });
  await jsClick(row);
  await (await byTestId("incident-title")).waitForDisplayed({ timeout: 10000 });
}

try {
  browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: { "tauri:options": { application: app }, "wdio:enforceWebDriverClassic": true, browserName: "wry" },
  });

  await step("first run asks for the administrator profile", async () => {
    await type("setup-name", "Ada Admin");
    await type("setup-email", "ada@example.com");
    await type("setup-passphrase", "correct horse battery");
    await (await byTestId("setup-submit")).click();
    await (await byTestId("nav-incidents")).waitForDisplayed({ timeout: 15000 });
  });

  await step("a bad incident shows field errors and saves nothing", async () => {
    await (await byTestId("nav-incidents")).click();
    await (await byTestId("new-incident")).click();
    await type("field-description", "Forklift reversed into racking");
    await type("field-date", "2099-01-01");
    await (await byTestId("save-incident")).click();
    const form = await browser.$("form");
    await browser.waitUntil(async () => (await form.getProperty("textContent")).includes("Title cannot be blank"), { timeout: 10000 });
    const body = await form.getProperty("textContent");
    if (!body.includes("cannot be in the future")) throw new Error("date error not shown");
    if (!body.includes("Request id")) throw new Error("no request id shown");
  });

  await step("record an incident", async () => {
    await type("field-title", "Forklift collision with racking");
    const date = await byTestId("field-date");
    await date.clearValue();
    await date.setValue("2026-11-20");
    await type("field-location", "Warehouse B aisle 4");
    await (await byTestId("save-incident")).click();
    const title = await byTestId("incident-title");
    await title.waitForDisplayed({ timeout: 10000 });
    if ((await title.getText()) !== "Forklift collision with racking") throw new Error("wrong title");
  });

  await step("find it by search", async () => {
    await (await byTestId("nav-incidents")).click();
    await type("incident-search", "racking");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="incident-row"]')).length === 1, { timeout: 10000 });
    const row = await browser.$('[data-testid="incident-row"]');
    if (!(await row.getText()).includes("INC-")) throw new Error("row has no reference");
    await browser.execute((el) => el.click(), row);
    await (await byTestId("incident-title")).waitForDisplayed({ timeout: 10000 });
  });

  await step("the history shows who recorded it", async () => {
    const tab = await byTestId("tab-history");
    await tab.waitForDisplayed({ timeout: 10000 });
    await browser.execute((el) => el.click(), tab);
    await browser.waitUntil(async () => (await browser.$$('[data-testid="history-row"]')).length >= 1, { timeout: 10000 });
    const text = await (await byTestId("history-table")).getProperty("textContent");
    if (!text.includes("Ada Admin") || !text.includes("Create")) throw new Error(`history: ${text}`);
  });

  await step("assign an investigator and start the investigation", async () => {
    const edit = await byTestId("edit-incident");
    await edit.waitForDisplayed({ timeout: 10000 });
    await browser.execute((el) => el.click(), edit);
    const picker = await byTestId("field-investigator");
    await picker.waitForDisplayed({ timeout: 10000 });
    await picker.click();
    const option = await browser.$("//*[@role='option'][contains(., 'Ada Admin')]");
    await option.waitForDisplayed({ timeout: 10000 });
    await option.click();
    await (await byTestId("save-incident")).click();
    const start = await byTestId("transition-under_investigation");
    await start.waitForEnabled({ timeout: 10000 });
    await start.click();
    await (await byTestId("transition-confirm")).click();
    await browser.waitUntil(async () => (await (await byTestId("status-badge")).getProperty("textContent")) === "Under investigation", {
      timeout: 10000,
      timeoutMsg: "status did not change",
    });
  });

  await step("raise an action; the incident refuses to close while it is open", async () => {
    await jsClick(await byTestId("tab-actions"));
    await jsClick(await byTestId("raise-action"));
    await type("action-title", "Fit end-of-aisle guards");
    await type("action-description", "Guards on every racking end in aisle 4");
    await pickOption("action-owner", "Ada Admin");
    await type("action-due", "2099-12-31");
    await (await byTestId("action-save")).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="action-row"]')).length === 1, { timeout: 10000 });
    const close = await byTestId("transition-closed");
    await browser.waitUntil(async () => !(await close.isEnabled()), { timeout: 10000, timeoutMsg: "close should be blocked by the open action" });
  });

  await step("the owner completes the action", async () => {
    await jsClick(await byTestId("action-step-completed"));
    await type("step-completion-notes", "Guards fitted and bolted");
    await (await byTestId("step-confirm")).click();
    await browser.waitUntil(async () => (await textOf("action-status")) === "Completed", { timeout: 10000, timeoutMsg: "not completed" });
  });

  await step("the administrator adds a manager profile", async () => {
    await jsClick(await byTestId("nav-users"));
    await jsClick(await byTestId("add-user"));
    await type("user-name", "Max Manager");
    await type("user-email", "max@example.com");
    await pickOption("user-role", "Manager");
    await type("user-passphrase", "correct horse battery");
    await (await byTestId("user-save")).click();
    await browser.waitUntil(async () => (await (await browser.$("table")).getProperty("textContent")).includes("max@example.com"), { timeout: 10000 });
  });

  await step("the manager verifies the action with a signature", async () => {
    await jsClick(await byTestId("profile-menu"));
    await jsClick(await byTestId("sign-out"));
    await signIn("max@example.com");
    await openFirstIncident();
    await jsClick(await byTestId("tab-actions"));
    await jsClick(await byTestId("action-step-verified"));
    const meaning = await textOf("signature-meaning");
    if (!meaning.includes("I verify that ACT-")) throw new Error(meaning);
    await type("step-verification-notes", "Checked on site: guards fitted");
    await type("step-passphrase", "correct horse battery");
    await (await byTestId("step-confirm")).click();
    await browser.waitUntil(async () => (await textOf("action-status")) === "Verified", { timeout: 10000, timeoutMsg: "not verified" });
  });

  await step("the incident closes once its actions are done", async () => {
    const close = await byTestId("transition-closed");
    await close.waitForEnabled({ timeout: 10000 });
    await jsClick(close);
    await type("transition-reason", "Guards fitted and verified effective");
    await type("transition-closure-notes", "Root cause removed");
    await (await byTestId("transition-confirm")).click();
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Closed", { timeout: 10000, timeoutMsg: "not closed" });
  });

  await step("the health panel runs its checks", async () => {
    await (await byTestId("nav-health")).click();
    const overall = await byTestId("health-overall");
    await overall.waitForDisplayed({ timeout: 15000 });
    const text = async (id) => (await (await byTestId(id)).getProperty("textContent")).trim();
    await browser.waitUntil(async () => (await text("health-overall")) !== "", { timeout: 10000 });
    const status = await text("health-overall");
    // No backup exists in a fresh data directory, so Warning is the honest answer; nothing may fail.
    if (!["OK", "Warning"].includes(status)) throw new Error(`overall ${status}`);
    const integrity = await text("check-db.integrity");
    if (!integrity.startsWith("OK")) throw new Error(integrity);
    const chain = await text("check-audit.chain");
    if (!chain.startsWith("OK")) throw new Error(chain);
  });
} catch (e) {
  failed++;
  console.log(`not ok - session: ${e.message}`);
} finally {
  if (browser) await browser.deleteSession().catch(() => {});
  driver.kill("SIGTERM");
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
