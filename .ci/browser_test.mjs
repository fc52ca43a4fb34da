// The playground in a real browser: Debian's Chromium driven by playwright-core.
//
//   node .ci/browser_test.mjs [ARTIFACT_DIR]
//
// Starts `python -m tinynet.playground.server --no-browser --pyodide
// node_modules/pyodide --port 0` (PYTHON, default python3), then:
//   1. loads an autorun moons link, waits for body.dataset.status == "done"
//      and asserts #accuracy >= 0.9;
//   2. clicks train, pause, step and reset, and checks the status each time;
//   3. adds points by clicking the map and checks they reach the URL;
//   4. loads a bad link and checks #error says what is wrong;
// and saves screenshots to ARTIFACT_DIR (default .ci/artifacts). Prints one
// line per check and the timings; exits non-zero on the first failure.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ARTIFACTS = path.resolve(process.argv[2] || path.join(ROOT, ".ci", "artifacts"));
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
const MOONS = "?dataset=moons&hidden=8,8&activation=tanh&lr=0.03&epochs=200&seed=0&autorun=1";
const TIMEOUT = 180_000; // ms for Pyodide to load and 200 epochs to train

function check(ok, what) {
  if (!ok) throw new Error(`FAILED: ${what}`);
  console.log(`ok: ${what}`);
}

// startServer(): the server as a child process and its URL, read from its first line.
function startServer() {
  const python = process.env.PYTHON || "python3";
  const args = ["-m", "tinynet.playground.server", "--no-browser", "--port", "0",
    "--pyodide", path.join(ROOT, "node_modules", "pyodide")];
  const server = spawn(python, args, { cwd: ROOT, env: { ...process.env, PYTHONPATH: ROOT } });
  server.stderr.on("data", (chunk) => process.stderr.write(chunk));
  return new Promise((resolve, reject) => {
    server.stdout.on("data", (chunk) => {
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(chunk));
      if (match) resolve({ server, url: match[0] });
    });
    server.on("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
}

const status = (page) => page.evaluate(() => document.body.dataset.status);
const waitStatus = (page, wanted) => page.waitForFunction(
  (list) => list.includes(document.body.dataset.status), wanted, { timeout: TIMEOUT });

async function autorunMoons(page, url) {
  const t0 = Date.now();
  await page.goto(url + MOONS);
  await waitStatus(page, ["idle", "training", "done", "error"]);
  const loaded = (Date.now() - t0) / 1000;
  await waitStatus(page, ["done", "error"]);
  const trained = (Date.now() - t0) / 1000 - loaded;
  check(await status(page) === "done", `the autorun link finishes (${await page.textContent("#error")})`);
  const accuracy = Number(await page.textContent("#accuracy"));
  console.log(`page load with Pyodide ${loaded.toFixed(1)} s; 200 epochs of moons ${trained.toFixed(1)} s; `
    + `test accuracy ${accuracy}`);
  check(accuracy >= 0.9, `moons test accuracy ${accuracy} >= 0.9`);
  await page.screenshot({ path: path.join(ARTIFACTS, "playground.png"), fullPage: true });
}

async function controls(page) {
  await page.click("#reset");
  await waitStatus(page, ["idle"]);
  check(await page.textContent("#epoch") === "0", "reset goes back to epoch 0");
  await page.click("#train");
  await waitStatus(page, ["training"]);
  await page.waitForFunction(() => Number(document.querySelector("#epoch").textContent) > 0);
  await page.click("#pause");
  await waitStatus(page, ["paused"]);
  const paused = await page.textContent("#epoch");
  await page.waitForTimeout(500);
  check(await page.textContent("#epoch") === paused, `pause stops training at epoch ${paused}`);
  await page.click("#step");
  await page.waitForFunction((e) => document.querySelector("#epoch").textContent === String(e + 1),
    Number(paused));
  check(true, "step trains one epoch");
}

async function addPoints(page) {
  const box = await page.locator("#map").boundingBox();
  await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.2);
  await page.check("input[name=add-class][value='1']");
  await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.8);
  await page.waitForFunction(() => new URLSearchParams(location.search).get("added").split(";").length === 2);
  const added = new URL(page.url()).searchParams.get("added");
  check(/^[-\d.]+,[-\d.]+,0;[-\d.]+,[-\d.]+,1$/.test(added), `two clicks add two points: added=${added}`);
  await page.screenshot({ path: path.join(ARTIFACTS, "playground-added.png"), fullPage: true });
}

async function badLink(page, url) {
  await page.goto(url + "?dataset=moons&lr=fast");
  await waitStatus(page, ["error"]);
  const message = await page.textContent("#error");
  check(message.includes("lr") && message.includes("fast") && await page.isVisible("#error"),
    `a bad link shows its error: ${message}`);
}

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const started = Date.now();
  // PLAYGROUND_URL: test a page served some other way (e.g. statically) instead.
  const { server, url } = process.env.PLAYGROUND_URL
    ? { server: null, url: process.env.PLAYGROUND_URL } : await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
    await autorunMoons(page, url);
    await controls(page);
    await addPoints(page);
    await badLink(page, url);
    console.log(`browser test passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await browser.close();
    if (server) server.kill();
  }
}

main().catch((error) => {
  console.error(error.message || error);
  process.exit(1);
});
