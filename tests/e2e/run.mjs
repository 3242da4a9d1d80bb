// End-to-end: drives the real built app through tauri-driver (WebKitWebDriver) under Xvfb.
// Prints "N passed, N failed" and saves a screenshot of every step in tests/e2e/artifacts/.
import { remote } from "webdriverio";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const app = join(root, "target/debug/qgp-desktop");
const artifacts = join(root, "tests/e2e/artifacts");
// Screenshots from an earlier run (steps since renamed or renumbered) would pass for this run's.
rmSync(artifacts, { recursive: true, force: true });
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
/** The data directory of the second installation (a replacement laptop) the last steps use. */
let newLaptop;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e.message}`);
  }
  await shot(`${String(passed + failed).padStart(2, "0")}-${name.replace(/\W+/g, "-")}.png`);
}
/** Saves a screenshot in the artefacts folder (a step saves one as it ends; a step may save one mid-way too). */
async function shot(fileName) {
  try {
    // A WebDriver screenshot waits for the page's next painted frame; an idle page without accelerated compositing
    // paints none, so a 1-pixel animation keeps frames coming while the screenshot is taken.
    await browser.execute(() => {
      const tick = document.createElement("div");
      tick.id = "e2e-frame-tick";
      tick.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0.01";
      tick.animate([{ backgroundColor: "#000" }, { backgroundColor: "#fff" }], { duration: 100, iterations: Infinity });
      document.body.append(tick);
    });
    await browser.saveScreenshot(join(artifacts, fileName));
  } catch {
    /* a screenshot is an artefact, not an assertion */
  }
  await browser.execute(() => document.getElementById("e2e-frame-tick")?.remove()).catch(() => {});
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
  // Selects with the same options keep theirs mounted but hidden: pick the visible one.
  let option;
  await browser.waitUntil(
    async () => {
      for (const o of await browser.$$(`//*[@role='option'][contains(., '${label}')]`)) {
        if (await o.isDisplayed()) {
          option = o;
          return true;
        }
      }
      return false;
    },
    { timeout: 10000, timeoutMsg: `option '${label}' not shown for ${testId}` },
  );
  await option.click();
}
/** Clicks the visible dropdown option with this exact text (other selects keep theirs mounted but hidden). */
async function pickVisible(label) {
  let option;
  await browser.waitUntil(async () => {
    for (const o of await browser.$$(`//*[@role='option'][normalize-space(.)='${label}']`)) if (await o.isDisplayed()) { option = o; return true; }
    return false;
  }, { timeout: 10000, timeoutMsg: `no visible option '${label}'` });
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
  // With the keyboard, as the issue asks of every register: the row takes focus and Enter opens it.
  await browser.execute((el) => el.focus(), row);
  await browser.keys("Enter");
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

  await step("an unsaved incident survives the window reloading and comes back from the dashboard", async () => {
    await jsClick(await byTestId("nav-incidents"));
    await jsClick(await byTestId("new-incident"));
    await type("field-title", "Ladder left across the corridor");
    await new Promise((r) => setTimeout(r, 1000)); // WebKit hands local storage to its storage process asynchronously
    // What a crash, the idle lock or closing the window does to the screen: the form is gone.
    await browser.refresh();
    const drafts = await byTestId("unsaved-drafts");
    await drafts.waitForDisplayed({ timeout: 20000 });
    if (!(await drafts.getText()).includes("New incident")) throw new Error("the draft is not listed on the dashboard");
    await jsClick(await byTestId("draft-open"));
    await (await byTestId("draft-notice")).waitForDisplayed({ timeout: 10000 });
    const title = await (await byTestId("field-title")).getValue();
    if (title !== "Ladder left across the corridor") throw new Error(`title after the reload: ${title}`);
    await shot(`${String(passed + failed + 1).padStart(2, "0")}-a-the-restored-draft.png`);
    await jsClick(await byTestId("draft-discard"));
    if ((await (await byTestId("field-title")).getValue()) !== "") throw new Error("discarding kept the text");
    await openFirstIncident();
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

  await step("record a risk and see it in its heat-map cell", async () => {
    await jsClick(await byTestId("nav-risks"));
    await jsClick(await byTestId("new-risk"));
    await type("risk-field-title", "Racking collapse in aisle 4");
    await type("risk-field-description", "Repeated forklift strikes weaken the uprights");
    await pickOption("risk-field-likelihood", "4 · Likely");
    await pickOption("risk-field-impact", "5 · Severe");
    await (await byTestId("save-risk")).click();
    await (await byTestId("risk-title")).waitForDisplayed({ timeout: 10000 });
    const badge = await textOf("level-badge");
    if (badge !== "20 · Critical") throw new Error(`rating ${badge}`);
    await jsClick(await byTestId("nav-heat-map"));
    const cell = await byTestId("heat-cell-4-5");
    await cell.waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => (await cell.getProperty("textContent")).trim() === "1", { timeout: 10000, timeoutMsg: "risk not in cell 4×5" });
    await jsClick(cell);
    await browser.waitUntil(async () => (await browser.$$('[data-testid="risk-row"]')).length === 1, { timeout: 10000, timeoutMsg: "cell does not list the risk" });
  });

  await step("assess the risk; the heat map follows the residual rating", async () => {
    await jsClick(await browser.$('[data-testid="risk-row"]'));
    await jsClick(await byTestId("assess-risk"));
    await pickOption("assess-residual-likelihood", "2 · Unlikely");
    await pickOption("assess-residual-impact", "2 · Minor");
    await (await byTestId("assess-save")).click();
    await browser.waitUntil(async () => (await textOf("level-badge")) === "4 · Low", { timeout: 10000, timeoutMsg: "rating did not follow the assessment" });
    await jsClick(await byTestId("nav-heat-map"));
    const moved = await byTestId("heat-cell-2-2");
    await moved.waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => (await moved.getProperty("textContent")).trim() === "1", { timeout: 10000, timeoutMsg: "risk not in cell 2×2" });
    const old = (await textOf("heat-cell-4-5"));
    if (old !== "·") throw new Error(`cell 4×5 still shows ${old}`);
  });

  await step("open an investigation of an incident with a 5-whys chain", async () => {
    await jsClick(await byTestId("nav-incidents"));
    await jsClick(await byTestId("new-incident"));
    await type("field-title", "Pallet fell from height");
    await type("field-description", "A pallet fell from level 3 in aisle 2");
    await type("field-date", "2026-11-21");
    await (await byTestId("save-incident")).click();
    await (await byTestId("incident-title")).waitForDisplayed({ timeout: 10000 });
    await jsClick(await byTestId("tab-investigations"));
    await jsClick(await byTestId("open-investigation"));
    await pickOption("inv-lead", "Max Manager");
    await pickOption("inv-reviewer", "Ada Admin");
    await type("inv-problem", "A pallet fell three levels into a walkway");
    await (await byTestId("inv-save")).click();
    await (await byTestId("investigation-title")).waitForDisplayed({ timeout: 10000 });
    await jsClick(await byTestId("tab-whys"));
    await jsClick(await byTestId("why-add"));
    const whys = async () => browser.$$('[data-testid="why-why"]');
    await (await whys())[0].setValue("Why did the pallet fall?");
    await (await browser.$$('[data-testid="why-because"]'))[0].setValue("It was not seated on the beam");
    await jsClick(await byTestId("why-add"));
    await browser.waitUntil(async () => (await whys()).length === 2, { timeout: 5000 });
    await (await whys())[1].setValue("Why was it not seated?");
    await (await browser.$$('[data-testid="why-because"]'))[1].setValue("Beam locks were missing");
    await jsClick((await browser.$$('[data-testid="why-root"]'))[1]);
    await jsClick(await byTestId("whys-save"));
    await browser.waitUntil(async () => (await textOf("tab-whys")) === "5 whys (2)", { timeout: 10000, timeoutMsg: "whys not saved" });
  });

  await step("global search finds records across registers", async () => {
    await type("global-search", "pallet");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="search-hit"]')).length >= 2, { timeout: 10000, timeoutMsg: "no hits" });
    const text = await (await byTestId("search-results")).getProperty("textContent");
    if (!text.includes("INC-") || !text.includes("INV-")) throw new Error(`hits: ${text}`);
    await browser.keys("Enter");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="incident-title"], [data-testid="investigation-title"]')).length === 1, { timeout: 10000, timeoutMsg: "Enter did not open the best hit" });
  });

  await step("record a complaint and acknowledge it", async () => {
    await jsClick(await byTestId("nav-complaints"));
    await jsClick(await byTestId("new-complaint"));
    await type("complaint-field-title", "Delivery a week late");
    await type("complaint-field-description", "Order 4411 arrived seven days after the promised date");
    await type("complaint-field-complainant", "Jo Bloggs");
    await pickOption("complaint-field-owner", "Max Manager");
    await (await byTestId("save-complaint")).click();
    await (await byTestId("complaint-title")).waitForDisplayed({ timeout: 10000 });
    await jsClick(await byTestId("transition-acknowledged"));
    await jsClick(await byTestId("step-confirm"));
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Acknowledged", { timeout: 10000, timeoutMsg: "not acknowledged" });
  });

  await step("investigate the complaint, resolve it and close it", async () => {
    await jsClick(await byTestId("transition-under_investigation"));
    await jsClick(await byTestId("step-confirm"));
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Under investigation", { timeout: 10000, timeoutMsg: "not investigating" });
    await jsClick(await byTestId("transition-resolved"));
    await type("step-resolutionSummary", "Refunded the delivery charge and changed courier");
    await jsClick(await byTestId("step-confirm"));
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Resolved", { timeout: 10000, timeoutMsg: "not resolved" });
    await jsClick(await byTestId("transition-closed"));
    await type("step-closureNotes", "Customer confirmed by phone");
    await jsClick(await byTestId("step-confirm"));
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Closed", { timeout: 10000, timeoutMsg: "not closed" });
  });

  await step("record a road traffic collision with two third parties; the registration is kept in capitals", async () => {
    await jsClick(await byTestId("nav-collisions"));
    await jsClick(await byTestId("new-collision"));
    await type("collision-field-title", "Van clipped a parked car");
    await type("collision-field-description", "Reversing out of bay 3");
    await type("collision-field-date", "2026-11-25");
    await type("collision-field-location", "Depot yard");
    await type("collision-field-driver", "Sam Driver");
    await type("collision-field-registration", "ab12 cde");
    for (const name of ["Pat Other", "Lee Cyclist"]) {
      await jsClick(await byTestId("add-third-party"));
      const inputs = await browser.$$('[data-testid="third-party-name"]');
      await inputs[inputs.length - 1].setValue(name);
    }
    await (await byTestId("save-collision")).click();
    await (await byTestId("collision-title")).waitForDisplayed({ timeout: 10000 });
    const line = await (await browser.$("main")).getProperty("textContent");
    if (!line.includes("AB12 CDE")) throw new Error("registration not upper-cased");
    await jsClick(await byTestId("tab-parties"));
    await browser.waitUntil(async () => (await browser.$$('[data-testid="third-party-row"]')).length === 2, { timeout: 10000, timeoutMsg: "two third parties not shown" });
    const parties = await (await browser.$("main")).getProperty("textContent");
    if (!parties.includes("Pat Other") || !parties.includes("Lee Cyclist")) throw new Error("third parties missing");
    await jsClick(await byTestId("tab-details"));
  });

  await step("link the collision to the risk; the link shows on both", async () => {
    await jsClick(await byTestId("link-risk"));
    await type("link-search", "racking");
    const pickButton = await byTestId("link-pick");
    await pickButton.waitForDisplayed({ timeout: 10000 });
    await jsClick(pickButton);
    await browser.waitUntil(async () => (await textOf("linked-risks")).includes("RSK-2026-0001"), { timeout: 10000, timeoutMsg: "link not shown" });
    await jsClick(await browser.$("//button[contains(., 'RSK-2026-0001')]"));
    await jsClick(await byTestId("tab-links"));
    await browser.waitUntil(async () => (await browser.$$('[data-testid="linked-record"]')).length === 1, { timeout: 10000, timeoutMsg: "risk does not list the collision" });
  });

  await step("the dashboard shows risks by level and the actions", async () => {
    await jsClick(await byTestId("nav-dashboard"));
    const low = await byTestId("dash-level-low");
    await low.waitForDisplayed({ timeout: 10000 });
    if ((await textOf("dash-level-low")) !== "1") throw new Error(`low risks: ${await textOf("dash-level-low")}`);
    if ((await textOf("dash-level-critical")) !== "0") throw new Error("the critical count should have moved to low");
    await (await byTestId("stat-actions-open")).waitForDisplayed({ timeout: 10000 });
  });

  await step("the health panel runs its checks", async () => {
    await jsClick(await byTestId("nav-health"));
    const overall = await byTestId("health-overall");
    await overall.waitForDisplayed({ timeout: 15000 });
    const text = async (id) => (await (await byTestId(id)).getProperty("textContent")).trim();
    await browser.waitUntil(async () => (await text("health-overall")) !== "", { timeout: 10000 });
    // The app backs itself up 20 s after start once a profile exists (made in the first step): the Backups line
    // turns OK without anyone pressing "Back up now", and names the schedule.
    await browser.waitUntil(
      async () => {
        if ((await text("check-backup.age")).startsWith("OK")) return true;
        await jsClick(await byTestId("health-rerun"));
        return false;
      },
      { timeout: 40000, interval: 4000, timeoutMsg: "no automatic backup was taken" },
    );
    const backups = await text("check-backup.age");
    if (!backups.includes("automatic backup every 24 h")) throw new Error(backups);
    // A CI machine short of disk space may warn; nothing may fail.
    const status = await text("health-overall");
    if (!["OK", "Warning"].includes(status)) throw new Error(`overall ${status}`);
    const integrity = await text("check-db.integrity");
    if (!integrity.startsWith("OK")) throw new Error(integrity);
    const chain = await text("check-audit.chain");
    if (!chain.startsWith("OK")) throw new Error(chain);
  });
  await step("a manager drafts a controlled document and sends it for review", async () => {
    await jsClick(await byTestId("nav-documents"));
    await jsClick(await byTestId("new-document"));
    await type("document-field-title", "Lifting operations procedure");
    await pickOption("document-field-owner", "Max Manager");
    await type("document-field-body", "Every lift has a written plan.");
    await (await byTestId("save-document")).click();
    await (await byTestId("document-title")).waitForDisplayed({ timeout: 10000 });
    await jsClick(await byTestId("transition-in_review"));
    await jsClick(await byTestId("step-confirm"));
    await browser.waitUntil(async () => (await textOf("status-badge")) === "In review", { timeout: 10000, timeoutMsg: "not in review" });
    // The author cannot approve their own document (segregation of duties): the button says why.
    const approve = await byTestId("transition-approved");
    if (await approve.isEnabled()) throw new Error("the author could approve");
  });

  await step("an administrator deactivates a profile, which then cannot sign in", async () => {
    await jsClick(await byTestId("profile-menu"));
    await jsClick(await byTestId("switch-profile"));
    await signIn("ada@example.com");
    await jsClick(await byTestId("nav-users"));
    const maxRow = await browser.$("//tr[@data-testid='user-row'][contains(., 'max@example.com')]");
    await maxRow.waitForDisplayed({ timeout: 10000 });
    await jsClick(await maxRow.$('[data-testid="toggle-user"]'));
    await type("user-state-reason", "Left the company");
    await (await byTestId("user-state-confirm")).click();
    await browser.waitUntil(async () => !(await (await browser.$("table")).getProperty("textContent")).includes("max@example.com"), {
      timeout: 10000,
      timeoutMsg: "deactivated profile still listed",
    });
    await jsClick(await byTestId("profile-menu"));
    await jsClick(await byTestId("sign-out"));
    await type("signin-email", "max@example.com");
    await type("signin-passphrase", "correct horse battery");
    await (await byTestId("signin-submit")).click();
    await browser.waitUntil(async () => (await (await browser.$("body")).getProperty("textContent")).includes("has been deactivated"), {
      timeout: 10000,
      timeoutMsg: "a deactivated profile signed in",
    });
  });
  await step("the administrator approves it with a signature and publishes it", async () => {
    await type("signin-email", "ada@example.com");
    await type("signin-passphrase", "correct horse battery");
    await (await byTestId("signin-submit")).click();
    await (await byTestId("nav-documents")).waitForDisplayed({ timeout: 15000 });
    await jsClick(await byTestId("nav-documents"));
    const row = await browser.$('[data-testid="document-row"]');
    await row.waitForDisplayed({ timeout: 10000 });
    await jsClick(row);
    await jsClick(await byTestId("transition-approved"));
    const meaning = await textOf("signature-meaning");
    if (!meaning.includes("I approve version 1.0")) throw new Error(meaning);
    await type("step-passphrase", "correct horse battery");
    await (await byTestId("step-confirm")).click();
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Approved", { timeout: 10000, timeoutMsg: "not approved" });
    await type("version-effective", new Date().toLocaleDateString("sv-SE"));
    await jsClick(await byTestId("version-save"));
    const publish = await byTestId("transition-published");
    await publish.waitForEnabled({ timeout: 10000 });
    await jsClick(publish);
    await jsClick(await byTestId("step-confirm"));
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Published", { timeout: 10000, timeoutMsg: "not published" });
    const body = await textOf("published-body");
    if (body !== "Every lift has a written plan.") throw new Error(body);
  });

  await step("version 2.0 gets the document file while version 1.0 stays in force", async () => {
    await jsClick(await byTestId("new-revision"));
    await (await browser.$("//label[contains(., 'Major (x+1.0')]")).click();
    await type("revision-summary", "Add the lift plan form");
    await jsClick(await byTestId("revision-save"));
    await browser.waitUntil(async () => (await textOf("tab-working")).includes("Version 2.0"), { timeout: 10000, timeoutMsg: "no working version 2.0" });
    const header = await (await browser.$("main")).getProperty("textContent");
    if (!header.includes("In force: version 1.0")) throw new Error("version 1.0 no longer in force");
    const file = join(dataDir, "lift-plan.txt");
    writeFileSync(file, "Lift plan form: load, route, signals, exclusion zone.");
    const input = await browser.$('[data-testid="evidence-panel"] input[type="file"]');
    await input.waitForExist({ timeout: 10000 });
    // The picker's input is hidden behind its button; WebDriver types a path only into a visible one.
    await browser.execute((e) => { e.style.display = "block"; }, input);
    await input.setValue(file);
    await browser.waitUntil(async () => (await browser.$$('[data-testid="evidence-row"]')).length === 1, { timeout: 10000, timeoutMsg: "file not attached" });
    if (!(await textOf("evidence-row")).includes("lift-plan.txt")) throw new Error(await textOf("evidence-row"));
  });

  await step("the document asks viewers to acknowledge it, and a periodic review is signed", async () => {
    await jsClick(await byTestId("edit-document"));
    await (await browser.$("//label[contains(., 'Readers must acknowledge it')]")).click();
    await pickOption("document-field-ack-roles", "Viewer");
    await (await byTestId("save-document")).click();
    await (await byTestId("document-title")).waitForDisplayed({ timeout: 10000 });
    await jsClick(await byTestId("start-review"));
    await jsClick(await byTestId("step-confirm"));
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Under review", { timeout: 10000, timeoutMsg: "review not started" });
    await jsClick(await byTestId("record-review"));
    await type("review-notes", "Checked against LOLER; still right.");
    await type("review-passphrase", "correct horse battery");
    await jsClick(await byTestId("review-confirm"));
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Published", { timeout: 10000, timeoutMsg: "review not recorded" });
    await jsClick(await byTestId("tab-reviews"));
    if (!(await textOf("review-row")).includes("No change")) throw new Error(await textOf("review-row"));
  });

  await step("a viewer sees no create buttons, the backend refuses a forced call, and the viewer acknowledges the document", async () => {
    await jsClick(await byTestId("nav-users"));
    await jsClick(await byTestId("add-user"));
    await type("user-name", "Vic Viewer");
    await type("user-email", "vic@example.com");
    await pickOption("user-role", "Viewer");
    await type("user-passphrase", "correct horse battery");
    await (await byTestId("user-save")).click();
    await browser.waitUntil(async () => (await (await browser.$("table")).getProperty("textContent")).includes("vic@example.com"), { timeout: 10000 });
    await jsClick(await byTestId("profile-menu"));
    await jsClick(await byTestId("switch-profile"));
    await signIn("vic@example.com");
    await (await byTestId("my-acknowledgements")).waitForDisplayed({ timeout: 10000 });
    for (const [nav, button] of [["nav-incidents", "new-incident"], ["nav-documents", "new-document"], ["nav-complaints", "new-complaint"], ["nav-risks", "new-risk"]]) {
      await jsClick(await byTestId(nav));
      await browser.pause(300);
      if ((await browser.$$(`[data-testid="${button}"]`)).length) throw new Error(`a viewer sees ${button}`);
    }
    const refused = await browser.execute(async () => {
      try {
        await window.__TAURI_INTERNALS__.invoke("call", { name: "incidents.create", input: { title: "forced" } });
        return "allowed";
      } catch (e) {
        return e.kind;
      }
    });
    if (refused !== "forbidden") throw new Error(`forced call: ${refused}`);
    await jsClick(await byTestId("nav-documents"));
    await jsClick(await browser.$('[data-testid="document-row"]'));
    await jsClick(await byTestId("acknowledge"));
    if (!(await textOf("signature-meaning")).includes("read and understood version 1.0")) throw new Error(await textOf("signature-meaning"));
    await type("ack-passphrase", "correct horse battery");
    await jsClick(await byTestId("ack-confirm"));
    await browser.waitUntil(async () => (await browser.$$('[data-testid="acknowledge"]')).length === 0, { timeout: 10000, timeoutMsg: "not acknowledged" });
    await jsClick(await byTestId("tab-acks"));
    if (!(await textOf("ack-progress")).includes("1 of 1")) throw new Error(await textOf("ack-progress"));
  });

  await step("the administrator builds a template with a conditional question and publishes it", async () => {
    await jsClick(await byTestId("profile-menu"));
    await jsClick(await byTestId("switch-profile"));
    await signIn("ada@example.com");
    await jsClick(await byTestId("nav-audits"));
    await jsClick(await browser.$("//button[normalize-space(.)='Templates']"));
    await jsClick(await byTestId("new-template"));
    await type("template-name", "Loading bay check");
    await jsClick(await byTestId("template-create"));
    await jsClick(await byTestId("add-section"));
    await jsClick(await byTestId("add-question"));
    await jsClick(await byTestId("add-question"));
    const texts = await browser.$$('[data-testid="q-text"]');
    await texts[0].setValue("Dock leveller safe to use");
    await texts[1].setValue("What is wrong with it?");
    // The first question: yes/no where "No" raises a finding; the second shows only when the first is "No".
    const findingBoxes = await browser.$$('[data-testid="q-option-finding"]');
    await jsClick(findingBoxes[1]);
    const visibility = await browser.$$('[data-testid="q-visibility"]');
    await visibility[1].click();
    await pickVisible("Only if…");
    await (await byTestId("q-rule-value")).click();
    await pickVisible("No");
    // Question 2's type: text.
    const types = await browser.$$('[data-testid="q-type"]');
    await types[1].click();
    await pickVisible("Text");
    await jsClick(await byTestId("template-save"));
    await browser.waitUntil(async () => !(await (await byTestId("template-save")).isEnabled()), { timeout: 10000, timeoutMsg: "draft not saved" });
    // Published from the builder itself, after a confirmation that says what publishing means.
    await jsClick(await byTestId("builder-publish"));
    const confirm = await byTestId("template-publish-confirm");
    await confirm.waitForDisplayed({ timeout: 10000 });
    await jsClick(confirm);
    await browser.waitUntil(async () => (await (await browser.$("main")).getProperty("textContent")).includes("Published"), { timeout: 10000, timeoutMsg: "not published" });
  });

  await step("run it: a photo, a finding-raising answer, completion refused until the required answer is given, signed off", async () => {
    await jsClick(await byTestId("template-start-run"));
    await pickOption("run-lead", "Ada Admin");
    await type("run-location", "Loading bay 2");
    await jsClick(await byTestId("run-start"));
    await (await byTestId("run-title")).waitForDisplayed({ timeout: 10000 });
    const cards = () => browser.$$('[data-testid="question-card"]');
    if ((await cards()).length !== 1) throw new Error("the conditional question shows before it should");
    // Answer "No": it raises a finding, and the follow-up question appears.
    await (await browser.$("//*[@data-testid='question-card'][1]//label[normalize-space(.)='No']")).click();
    await browser.waitUntil(async () => (await cards()).length === 2, { timeout: 10000, timeoutMsg: "the conditional question did not appear" });
    const file = join(dataDir, "leveller.png");
    // A real (tiny) PNG, so the screen shows its preview.
    writeFileSync(file, Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64"));
    const input = await browser.$("//*[@data-testid='question-card'][1]//input[@type='file']");
    await browser.execute((e) => { e.style.display = "block"; }, input);
    await input.setValue(file);
    await browser.waitUntil(async () => (await browser.$$('[data-testid="photo-thumb"]')).length === 1, { timeout: 10000, timeoutMsg: "photo not attached or no preview" });
    // The follow-up is required and still empty: completion is refused, naming it.
    const complete = await byTestId("transition-completed");
    if (await complete.isEnabled()) throw new Error("completion allowed with a required answer missing");
    if (!(await textOf("completion-problems")).includes("What is wrong with it?")) throw new Error(await textOf("completion-problems"));
    const follow = await browser.$("//*[@data-testid='question-card'][2]//textarea | //*[@data-testid='question-card'][2]//input[not(@type='file') and not(@type='checkbox')]");
    await follow.setValue("Lip plate cracked");
    await (await byTestId("run-title")).click();
    await complete.waitForEnabled({ timeout: 10000 });
    await jsClick(complete);
    await type("step-passphrase", "correct horse battery");
    await jsClick(await byTestId("step-confirm"));
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Completed", { timeout: 10000, timeoutMsg: "not completed" });
  });

  await step("the finding is there, and an action is raised from it", async () => {
    await jsClick(await byTestId("tab-findings"));
    const row = await browser.$('[data-testid="finding-row"]');
    await row.waitForDisplayed({ timeout: 10000 });
    if (!(await row.getProperty("textContent")).includes("Dock leveller safe to use")) throw new Error(await row.getProperty("textContent"));
    await jsClick(row);
    await (await byTestId("finding-heading")).waitForDisplayed({ timeout: 10000 });
    await jsClick(await byTestId("finding-raise-action"));
    await type("action-title", "Replace the lip plate");
    await type("action-description", "Order and fit a new lip plate");
    await pickOption("action-owner", "Ada Admin");
    await type("action-due", "2027-01-31");
    await jsClick(await byTestId("action-save"));
    await browser.waitUntil(async () => (await textOf("status-badge")) === "Action planned", { timeout: 10000, timeoutMsg: "the finding did not move to action planned" });
  });

  await step("the audit report is exported as a PDF from the run, with the run's reference and answers in it", async () => {
    await jsClick(await byTestId("nav-audits"));
    const row = await browser.$('[data-testid="run-row"]');
    await row.waitForDisplayed({ timeout: 10000 });
    const reference = (await row.getProperty("textContent")).match(/AUD-\d{4}-\d{4}/)[0];
    await jsClick(row);
    await (await byTestId("run-title")).waitForDisplayed({ timeout: 10000 });
    await jsClick(await byTestId("record-outputs"));
    await jsClick(await byTestId("run-report"));
    await (await byTestId("job-done")).waitForDisplayed({ timeout: 120000 });
    const path = await textOf("job-path");
    if (!existsSync(path)) throw new Error(`no file at ${path}`);
    const text = execFileSync("pdftotext", [path, "-"]).toString();
    for (const expected of [reference, "Dock leveller safe to use", "Lip plate cracked", "Replace the lip plate", "Appendix: evidence files"]) {
      if (!text.includes(expected)) throw new Error(`${expected} not in the PDF`);
    }
    await browser.keys("Escape");
  });

  await step("an evidence pack is created from the run and verifies in the app; a damaged copy does not", async () => {
    await jsClick(await byTestId("record-outputs"));
    await jsClick(await byTestId("run-pack"));
    await browser.waitUntil(async () => (await browser.$('[data-testid="job-path"]').isExisting()) && (await textOf("job-path")).endsWith(".zip"),
      { timeout: 120000, timeoutMsg: "the pack was not written" });
    const pack = await textOf("job-path");
    await browser.keys("Escape");
    await jsClick(await byTestId("nav-reports"));
    await jsClick(await byTestId("tab-verify"));
    await type("verify-path", pack);
    await jsClick(await byTestId("verify-run"));
    await (await byTestId("verify-ok")).waitForDisplayed({ timeout: 30000 });
    if ((await textOf("verify-signature")) !== "valid") throw new Error("signature not valid");
    // One byte changed in the middle of the file (inside the stored report): named as altered.
    const bytes = readFileSync(pack);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    const damaged = pack.replace(/\.zip$/, "-damaged.zip");
    writeFileSync(damaged, bytes);
    const input = await byTestId("verify-path");
    await input.clearValue();
    await input.setValue(damaged);
    await jsClick(await byTestId("verify-run"));
    await (await byTestId("verify-bad")).waitForDisplayed({ timeout: 30000 });
    if (!(await (await byTestId("verify-path-browse")).isDisplayed())) throw new Error("no Browse… for the pack file");
    // The verification's job is over once its button stops spinning.
    await browser.waitUntil(async () => (await (await byTestId("verify-run")).getAttribute("data-loading")) === null,
      { timeout: 10000, timeoutMsg: "Verify still busy" });
  });

  await step("a CSV with one bad row: the dry run names the row and column, and nothing is imported", async () => {
    const csv = join(dataDir, "old-incidents.csv");
    writeFileSync(csv, "Title,Description,Incident date,Severity\nFall from ladder,Warehouse,2026-11-02,high\nCut hand,Canteen,2026-02-30,low\n");
    await jsClick(await byTestId("tab-import"));
    const input = await browser.$("//input[@type='file' and contains(@accept,'.csv')]");
    await input.waitForExist({ timeout: 10000 });
    await browser.execute((e) => { e.style.display = "block"; }, input);
    await input.setValue(csv);
    const errors = await byTestId("import-errors");
    await errors.waitForDisplayed({ timeout: 30000 });
    const rows = await browser.$$('[data-testid="import-error-row"]');
    if (rows.length !== 1) throw new Error(`${rows.length} error rows`);
    const text = await rows[0].getProperty("textContent");
    if (!text.includes("3") || !text.includes("Incident date") || !text.includes("2026-02-30")) throw new Error(text);
    if (await (await byTestId("import-run")).isExisting()) throw new Error("import offered despite an error");
  });

  await step("the window keeps drawing while the backend backs up and re-checks everything (figures printed)", async () => {
    // Not a timed test: it prints the longest gap between frames while each command runs (docs/performance.md has
    // the figures on a 100,000-record database from tests/e2e/stalls.mjs). A command on the main thread stops frames.
    for (const name of ["backup.create", "health.report"]) {
      const seen = await browser.executeAsync((name, done) => {
        const w = { longest: 0, frames: 0, last: performance.now(), on: true };
        const tick = (t) => { w.longest = Math.max(w.longest, t - w.last); w.last = t; w.frames++; if (w.on) requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
        const t0 = performance.now();
        window.__TAURI_INTERNALS__.invoke("call", { name, input: {} }).then(
          () => { w.on = false; done({ ok: true, ms: performance.now() - t0, longest: Math.max(w.longest, performance.now() - w.last), frames: w.frames }); },
          (e) => { w.on = false; done({ ok: false, error: JSON.stringify(e) }); },
        );
      }, name);
      if (!seen.ok) throw new Error(`${name}: ${seen.error}`);
      console.log(`# ${name}: ${Math.round(seen.ms)} ms, longest frame gap ${Math.round(seen.longest)} ms, ${seen.frames} frames`);
    }
  });
  await step("an administrator restores a backup from Health: it shows what it holds, asks first, and everyone signs in again", async () => {
    await jsClick(await byTestId("nav-health"));
    await (await byTestId("backups-card")).waitForDisplayed({ timeout: 15000 });
    const before = (await browser.$$('[data-testid="backup-row"]')).length;
    await jsClick(await browser.$("//button[normalize-space(.)='Back up now']"));
    await browser.waitUntil(async () => (await browser.$$('[data-testid="backup-row"]')).length > before || before >= 10,
      { timeout: 30000, timeoutMsg: "the new backup is not listed" });
    // A record made after the backup, beside the running app (the qgp CLI works next to it).
    const cli = { env: { ...process.env, QGP_DATA_DIR: dataDir, QGP_USER: "ada@example.com", QGP_PASSPHRASE: "correct horse battery" } };
    const qgp = join(root, "target/debug/qgp");
    execFileSync(qgp, ["call", "incidents.create", JSON.stringify({ title: "Recorded after the backup", description: "Will be rolled back", incidentDate: "2026-11-20" })], cli);
    await jsClick((await browser.$$('[data-testid="backup-check"]'))[0]);
    const checked = await byTestId("backup-checked");
    await checked.waitForDisplayed({ timeout: 30000 });
    if (!(await checked.getProperty("textContent")).includes("This backup verifies")) throw new Error("the newest backup does not verify");
    await jsClick(await byTestId("backup-restore"));
    await shot(`${String(passed + failed + 1).padStart(2, "0")}-a-a-restore-asks-first.png`);
    await jsClick(await byTestId("backup-restore-confirm"));
    await (await byTestId("session-ended")).waitForDisplayed({ timeout: 30000 });
    await signIn("ada@example.com");
    const left = JSON.parse(execFileSync(qgp, ["call", "incidents.list", JSON.stringify({ search: "Recorded after the backup" })], cli).toString());
    if (left.total !== 0) throw new Error("the record made after the backup is still there");
  });

  await step("a second launch on the same data directory brings the first window forward instead of opening another", async () => {
    // Needs a D-Bus session bus (the CI runs the tests under dbus-run-session, as a desktop session has one).
    if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error("no D-Bus session bus: run the end-to-end tests under dbus-run-session");
    const second = spawnSync(app, [], { env: { ...process.env, QGP_DATA_DIR: dataDir }, timeout: 30000 });
    if (second.status !== 0) throw new Error(`the second launch did not hand over (exit ${second.status}, ${second.signal ?? ""}): ${second.stderr}`);
    const logs = join(dataDir, "logs");
    await browser.waitUntil(() => readdirSync(logs).some((f) => readFileSync(join(logs, f), "utf8").includes("brought the window forward")),
      { timeout: 15000, timeoutMsg: "the running app did not hear of the second launch" });
    await (await byTestId("nav-incidents")).waitForDisplayed({ timeout: 5000 });
  });

  await step("a replacement laptop restores the backup set from its first screen and carries on where the lost one stopped", async () => {
    const cli = { env: { ...process.env, QGP_DATA_DIR: dataDir, QGP_USER: "ada@example.com", QGP_PASSPHRASE: "correct horse battery" } };
    const qgp = join(root, "target/debug/qgp");
    const set = JSON.parse(execFileSync(qgp, ["backup", "create"], cli).toString());
    const incidents = JSON.parse(execFileSync(qgp, ["call", "incidents.list", "{}"], cli).toString()).total;
    // The old laptop is gone: a new window on an empty data directory.
    await browser.deleteSession();
    newLaptop = mkdtempSync(join(tmpdir(), "qgp-e2e-new-laptop-"));
    browser = await remote({
      hostname: "127.0.0.1", port: 4444, logLevel: "warn",
      capabilities: { "tauri:options": { application: app, args: ["--data-dir", newLaptop] }, "wdio:enforceWebDriverClassic": true, browserName: "wry" },
    });
    await jsClick(await byTestId("setup-restore"));
    await type("restore-path", set.path);
    await type("restore-email", "ada@example.com");
    await type("restore-passphrase", "not the passphrase");
    await jsClick(await byTestId("restore-submit"));
    await browser.waitUntil(async () => browser.execute(() => document.body.textContent.includes("Nothing was restored")),
      { timeout: 60000, timeoutMsg: "a wrong passphrase was not refused" });
    await (await byTestId("restore-passphrase")).setValue("correct horse battery");
    await shot(`${String(passed + failed + 1).padStart(2, "0")}-a-restore-onto-new-laptop.png`);
    await jsClick(await byTestId("restore-submit"));
    await (await byTestId("nav-incidents")).waitForDisplayed({ timeout: 60000 });
    const here = { env: { ...cli.env, QGP_DATA_DIR: newLaptop } };
    const restored = JSON.parse(execFileSync(qgp, ["call", "incidents.list", "{}"], here).toString()).total;
    if (restored !== incidents) throw new Error(`${restored} incidents on the new laptop, ${incidents} on the old`);
    execFileSync(qgp, ["audit-trail", "verify"], here);
  });

  await step("a long unbroken word wraps instead of widening the page, and a short window still reaches Settings", async () => {
    const here = { env: { ...process.env, QGP_DATA_DIR: newLaptop, QGP_USER: "ada@example.com", QGP_PASSPHRASE: "correct horse battery" } };
    const qgp = join(root, "target/debug/qgp");
    const word = `PartNumber${"X".repeat(170)}`;
    execFileSync(qgp, ["call", "incidents.create", JSON.stringify({ title: word, description: "Y".repeat(400), incidentDate: "2026-11-20" })], here);
    const fits = async (where) => {
      const [page, view] = await browser.execute(() => [document.documentElement.scrollWidth, window.innerWidth]);
      if (page > view) throw new Error(`${where}: the page is ${page} px wide in a ${view} px window`);
    };
    await jsClick(await byTestId("nav-incidents"));
    // The register remembers the last search ("racking"): clear it so the new incident is listed.
    await jsClick(await browser.$("//button[normalize-space(.)='Clear filters']"));
    await browser.waitUntil(async () => (await browser.$$('[data-testid="incident-row"]')).length > 1, { timeout: 10000 });
    await fits("the register");
    await jsClick(await browser.$(`//*[@data-testid="incident-row"][contains(., "PartNumber")]`));
    await (await byTestId("incident-title")).waitForDisplayed({ timeout: 10000 });
    await fits("the incident");
    await browser.setWindowSize(1280, 560);
    const settings = await byTestId("nav-settings");
    await browser.execute((el) => el.scrollIntoView({ block: "end" }), settings);
    // Reachable: the point at the middle of the entry is on screen and is the entry itself (nothing covers it).
    const reachable = await browser.execute((el) => {
      const r = el.getBoundingClientRect();
      const y = r.top + r.height / 2;
      return y > 0 && y < window.innerHeight && el.contains(document.elementFromPoint(r.left + r.width / 2, y));
    }, settings);
    if (!reachable) throw new Error("Settings cannot be reached on a short window");
    await browser.setWindowSize(1280, 800);
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
