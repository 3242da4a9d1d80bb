// Measures how long the window stops drawing while the backend works: a requestAnimationFrame loop in the page records
// the longest gap between frames during sign-in (Argon2), a backup, attaching a large photo and Health's re-hash of
// every evidence file. On a data directory seeded by `qgp bench --keep DIR` (100,000 incidents, 100,000 actions).
// Usage: xvfb-run -a node tests/e2e/stalls.mjs DATA_DIR PHOTO [APP]   (prints JSON; the figures go in docs/performance.md)
import { remote } from "webdriverio";
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const dataDir = resolve(process.argv[2] ?? "");
const photo = resolve(process.argv[3] ?? "");
const root = resolve(import.meta.dirname, "../..");
const app = resolve(process.argv[4] ?? join(root, "target/debug/qgp-desktop"));
if (!existsSync(join(dataDir, "qgp.sqlite3"))) throw new Error(`no database in ${dataDir}`);
if (!existsSync(photo)) throw new Error(`no photo at ${photo}`);

const driver = spawn(join(process.env.HOME ?? "/root", ".cargo/bin/tauri-driver"), ["--port", "4448", "--native-port", "4449"], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 1500));
const browser = await remote({
  hostname: "127.0.0.1",
  port: 4448,
  logLevel: "error",
  capabilities: { "tauri:options": { application: app, args: ["--data-dir", dataDir] }, "wdio:enforceWebDriverClassic": true, browserName: "wry" },
});
const byTestId = (id) => browser.$(`[data-testid="${id}"]`);

/** Starts the frame watch: every frame records the gap since the one before. */
const watch = () =>
  browser.execute(() => {
    const w = { longest: 0, frames: 0, last: performance.now(), on: true };
    window.__frameWatch = w;
    const tick = (t) => {
      w.longest = Math.max(w.longest, t - w.last);
      w.last = t;
      w.frames++;
      if (w.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
/** Stops the watch and returns its longest gap (ms) and frame count. */
const stopWatch = () =>
  browser.execute(() => {
    const w = window.__frameWatch;
    w.on = false;
    w.longest = Math.max(w.longest, performance.now() - w.last);
    return { longestGapMs: Math.round(w.longest), frames: w.frames };
  });
/** Runs a backend command from the page, as the UI does, while the frame watch runs. */
async function measure(label, command, args) {
  await watch();
  const t0 = performance.now();
  const outcome = await browser.executeAsync((command, args, done) => {
    window.__TAURI_INTERNALS__.invoke(command, args).then(() => done("ok"), (e) => done(`error: ${JSON.stringify(e)}`));
  }, command, args);
  const commandMs = Math.round(performance.now() - t0);
  const frames = await stopWatch();
  if (outcome !== "ok") throw new Error(`${label}: ${outcome}`);
  console.error(`${label}: command ${commandMs} ms, longest frame gap ${frames.longestGapMs} ms over ${frames.frames} frames`);
  return { label, commandMs, ...frames };
}

await browser.setTimeout({ script: 600000 });
await (await byTestId("signin-email")).waitForDisplayed({ timeout: 30000 });
await new Promise((r) => setTimeout(r, 1000));
const results = [];
results.push(await measure("idle second", "call", { name: "app.status", input: {} }));
results.push(await measure("sign-in (Argon2id)", "sign_in", { email: "bench@example.com", passphrase: "benchmark passphrase" }));
const incident = await browser.executeAsync((done) => {
  window.__TAURI_INTERNALS__.invoke("call", { name: "incidents.list", input: { pageSize: 1 } }).then((v) => done(v.items[0].id), (e) => done(`error: ${JSON.stringify(e)}`));
});
const megabytes = (statSync(photo).size / 1e6).toFixed(1);
results.push(await measure(`attach a ${megabytes} MB photo`, "call", { name: "evidence.attach", input: { entityType: "incident", entityId: incident, path: photo } }));
results.push(await measure("backup of the whole database", "call", { name: "backup.create", input: {} }));
results.push(await measure("Health (re-hashes every evidence file)", "call", { name: "health.report", input: {} }));
await browser.deleteSession();
driver.kill("SIGTERM");
console.log(JSON.stringify({ app, results }, null, 2));
