// Measures the release app: cold start to the first screen (median of 5) and memory after opening the
// incident list, on a data directory seeded by `qgp bench --keep DIR`.
// Usage: xvfb-run -a node tests/e2e/measure.mjs DATA_DIR [APP]
import { remote } from "webdriverio";
import { spawn, execSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";

const dataDir = resolve(process.argv[2] ?? "");
const root = resolve(import.meta.dirname, "../..");
const app = resolve(process.argv[3] ?? join(root, "target/release/qgp-desktop"));
if (!existsSync(join(dataDir, "qgp.sqlite3"))) throw new Error(`no database in ${dataDir}`);

const logText = () =>
  readdirSync(join(dataDir, "logs"))
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => readFileSync(join(dataDir, "logs", f), "utf8"))
    .join("");
const statusCalls = () => (logText().match(/"command":"app.status"[^\n]*"outcome":"ok"/g) ?? []).length;

// Cold start: from spawning the process to the UI's first command (it asks app.status to draw its first screen).
const starts = [];
// MEASURE_STARTS=0 measures memory only.
for (let i = 0; i < Number(process.env.MEASURE_STARTS ?? 5); i++) {
  const before = statusCalls();
  const t0 = performance.now();
  const child = spawn(app, ["--data-dir", dataDir], { stdio: "ignore" });
  while (statusCalls() === before) {
    if (performance.now() - t0 > 30000) throw new Error("the app did not draw its first screen in 30 s");
    await new Promise((r) => setTimeout(r, 10));
  }
  starts.push(performance.now() - t0);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  await new Promise((r) => setTimeout(r, 500));
}
starts.sort((a, b) => a - b);
console.error(`cold starts (ms): ${starts.map(Math.round).join(", ")}`);

// Memory after signing in and opening the incident list.
const driver = spawn(join(process.env.HOME ?? "/root", ".cargo/bin/tauri-driver"), ["--port", "4446", "--native-port", "4447"], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 1500));
const browser = await remote({
  hostname: "127.0.0.1",
  port: 4446,
  logLevel: "error",
  capabilities: { "tauri:options": { application: app, args: ["--data-dir", dataDir] }, "wdio:enforceWebDriverClassic": true, browserName: "wry" },
});
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
await (await byTestId("signin-email")).waitForDisplayed({ timeout: 20000 });
await (await byTestId("signin-email")).setValue("bench@example.com");
await (await byTestId("signin-passphrase")).setValue("benchmark passphrase");
await (await byTestId("signin-submit")).click();
await (await byTestId("nav-incidents")).waitForDisplayed({ timeout: 20000 });
await browser.execute((el) => el.click(), await byTestId("nav-incidents"));
await browser.waitUntil(async () => (await browser.$$('[data-testid="incident-row"]')).length === 50, { timeout: 20000 });
await new Promise((r) => setTimeout(r, 2000));

const kb = (text, key) => Number((text.match(new RegExp(`^${key}:\\s+(\\d+)`, "m")) ?? [0, 0])[1]);
const pids = execSync("pgrep -f 'qgp-desktop|WebKitWebProcess|WebKitNetworkProcess' || true").toString().trim().split("\n").filter(Boolean);
let rss = 0;
let pss = 0;
let own = 0;
const processes = [];
for (const pid of pids) {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
    // Only the app's own processes (the shell running this script also names qgp-desktop in its arguments).
    if (!["qgp-desktop", "WebKitWebProcess", "WebKitNetworkProcess"].includes(cmd.split("/").pop())) continue;
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    // Anonymous = the process's own memory (heaps, JS heap, buffers), as opposed to the libraries it maps.
    const p = { cmd: cmd.split("/").pop(), rssMb: kb(rollup, "Rss") / 1024, pssMb: kb(rollup, "Pss") / 1024, ownMb: kb(rollup, "Anonymous") / 1024 };
    processes.push(p);
    rss += p.rssMb;
    pss += p.pssMb;
    own += p.ownMb;
  } catch {
    /* the process ended meanwhile */
  }
}
await browser.deleteSession();
driver.kill("SIGTERM");
console.log(JSON.stringify({ coldStartMs: { median: starts[Math.floor(starts.length / 2)], all: starts.map(Math.round) }, memory: { rssMb: Math.round(rss), pssMb: Math.round(pss), ownMb: Math.round(own), processes } }, null, 2));
