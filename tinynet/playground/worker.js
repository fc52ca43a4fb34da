// The playground's Web Worker: Pyodide, tinynet, and the training loop.
//
// A module worker (Pyodide refuses classic workers). It loads Pyodide
// (checked against its integrity hash when one is given),
// unpacks tinynet's own source files (tinynet.zip, next to this file) into
// Pyodide's file system, and drives a tinynet.playground.session.Session.
// Training runs CHUNK epochs at a time; between chunks the worker reads its
// messages, so "pause" takes effect at once and the page stays responsive.
//
// page -> worker: {type: "init", pyodide, integrity, query}, {type: "reset", query},
//                 {type: "train"}, {type: "pause"}, {type: "step"},
//                 {type: "add", x, y, label}
// worker -> page: {type: "status", status, text}, {type: "describe", data},
//                 {type: "progress", data}, {type: "error", message}
"use strict";

const CHUNK = 5; // epochs per train() call: fixed, so a link reproduces a run
let pyodide = null;
let session = null; // a PyProxy of the Session
let running = false;
let target = 0; // train until this epoch

const post = (type, fields) => self.postMessage({ type, ...fields });

async function loadPyodideFrom(base, integrity) {
  // import() cannot check an integrity hash, fetch can: fetch and check
  // pyodide.mjs, then import it from a blob: URL. indexURL tells it where the
  // rest of Pyodide (pyodide.asm.wasm, python_stdlib.zip) lives.
  let response;
  try {
    response = await fetch(base + "pyodide.mjs", integrity ? { integrity } : {});
  } catch (error) {
    const why = integrity ? "offline, or its integrity hash does not match" : "offline?";
    throw new Error(`could not load ${base}pyodide.mjs (${why}): ${error.message}`);
  }
  if (!response.ok) throw new Error(`could not load ${base}pyodide.mjs (HTTP ${response.status})`);
  const blob = new Blob([await response.text()], { type: "text/javascript" });
  const { loadPyodide } = await import(URL.createObjectURL(blob));
  return await loadPyodide({ indexURL: base });
}

async function init(message) {
  post("status", { status: "loading", text: "loading Python (Pyodide)..." });
  const started = performance.now();
  pyodide = await loadPyodideFrom(message.pyodide, message.integrity);
  const zip = await fetch(new URL("tinynet.zip", self.location.href));
  if (!zip.ok) throw new Error(`could not load tinynet.zip (HTTP ${zip.status})`);
  pyodide.unpackArchive(await zip.arrayBuffer(), "zip", { extractDir: "/home/pyodide/lib" });
  pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide/lib")
from tinynet.playground.session import Session
`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  post("status", { status: "ready", text: `Python ${pyodide.version} ready in ${seconds} s`, seconds });
  reset(message.query);
}

// call(code, values): run Python with the given globals set; return its JSON result.
function call(code, values = {}) {
  for (const [name, value] of Object.entries(values)) pyodide.globals.set(name, value);
  return JSON.parse(pyodide.runPython(code));
}

function reset(query) {
  running = false;
  if (session) session.destroy();
  session = null;
  pyodide.globals.set("query", query);
  session = pyodide.runPython("Session(query)");
  const data = call("json.dumps(session.describe())", { session });
  post("describe", { data });
  post("progress", { data: call("json.dumps(session.progress())", { session }), reset: true });
  target = data.settings.epochs;
  post("status", { status: "idle", text: "ready: press train" });
  if (data.settings.autorun === 1) train();
}

function trainChunk(epochs) {
  const data = call("json.dumps(session.train(epochs))", { session, epochs });
  post("progress", { data });
  return data.epoch;
}

function loop() {
  if (!running) return;
  try {
    const epoch = trainChunk(Math.min(CHUNK, target - currentEpoch()));
    if (epoch >= target) {
      running = false;
      post("status", { status: "done", text: `done: ${epoch} epochs` });
      return;
    }
  } catch (error) {
    running = false;
    return fail(error);
  }
  setTimeout(loop, 0);
}

const currentEpoch = () => call("json.dumps(session.epoch)", { session });

function train() {
  if (running) return;
  const epoch = currentEpoch();
  if (epoch >= target) target = epoch + call("json.dumps(session.settings['epochs'])", { session });
  running = true;
  post("status", { status: "training", text: "training..." });
  setTimeout(loop, 0);
}

function fail(error) {
  // A Python exception arrives as a PythonError whose message ends with the
  // traceback's last line: "tinynet.errors.TinynetError: playground: ...".
  const lines = String(error && error.message ? error.message : error).trim().split("\n");
  const last = lines[lines.length - 1].replace(/^[\w.]+(Error|Diverged): /, "");
  post("error", { message: last });
}

const handlers = {
  init,
  reset: (m) => reset(m.query),
  train,
  pause: () => {
    running = false;
    post("status", { status: "paused", text: "paused" });
  },
  step: () => {
    running = false;
    trainChunk(1);
    post("status", { status: "paused", text: "one epoch trained" });
  },
  add: (m) => {
    const args = { session, px: m.x, py: m.y, label: m.label };
    post("describe", { data: call("json.dumps(session.add_point(px, py, label))", args) });
    if (!running) post("progress", { data: call("json.dumps(session.progress())", { session }) });
  },
};

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type !== "init" && !pyodide) throw new Error("Python is still loading");
    if (message.type !== "init" && message.type !== "reset" && !session) {
      throw new Error("fix the settings first");
    }
    await handlers[message.type](message);
  } catch (error) {
    running = false;
    fail(error);
  }
};
