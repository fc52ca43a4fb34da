// The playground page: controls, drawing, and the URL. No framework, no build step.
//
// Python does the work in worker.js; this file only sends the settings (as
// the URL query, which Python parses: tinynet/playground/settings.py) and
// draws what comes back. document.body.dataset.status is one of loading,
// idle, training, paused, done, error; #accuracy holds the test accuracy.
"use strict";

// Pyodide from its CDN at a pinned version, checked against the SHA-384 of
// pyodide.mjs (the same file as in the npm package pyodide@314.0.7).
// `tinynet playground --pyodide URL_OR_DIR` overrides it through config.json.
const DEFAULT_CONFIG = {
  pyodide: "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/",
  integrity: "sha384-Lp79fMwxa4n2BLtugpUAoQMlbxIdg8iCUiP1r3h7nJLkQjwlXT1JzZTeHVL+f4Dg",
};
const COLORS = { 0: [245, 147, 34], 1: [8, 119, 189] }; // orange, blue
const MAX_LAYERS = 6;

const $ = (id) => document.getElementById(id);
const worker = new Worker("worker.js", { type: "module" });
let described = null; // the last describe(): settings, query, points, bounds, sizes
let losses = { loss: [], test_loss: [] };
let last = null; // the last progress()

function setStatus(status, text) {
  document.body.dataset.status = status;
  if (text) $("status-text").textContent = text;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
  setStatus("error", "error");
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

// --- settings <-> controls <-> query -----------------------------------------

function widths() {
  return [...$("widths").querySelectorAll("input")].map((input) => input.value);
}

function renderWidths(list) {
  $("widths").replaceChildren(...list.map((w) => {
    const input = document.createElement("input");
    Object.assign(input, { type: "number", min: 1, max: 32, value: w, title: "units in this layer" });
    input.addEventListener("change", changed);
    return input;
  }));
}

function queryFromControls() {
  const params = new URLSearchParams();
  for (const element of document.querySelectorAll("[data-setting]")) {
    params.set(element.dataset.setting, element.value);
  }
  params.set("hidden", widths().join(","));
  if (described) params.set("added", described.settings.added.map((p) => p.join(",")).join(";"));
  return params.toString().replace(/%2C/g, ",").replace(/%3B/g, ";");
}

function applySettings(settings) {
  for (const element of document.querySelectorAll("[data-setting]")) {
    element.value = settings[element.dataset.setting];
  }
  renderWidths(settings.hidden);
}

function changed() {
  if (document.body.dataset.status === "loading") return;
  clearError();
  const query = queryFromControls();
  history.replaceState(null, "", "?" + query);
  worker.postMessage({ type: "reset", query });
}

// --- drawing --------------------------------------------------------------------

const mix = (p) => {
  // p = P(class 1): orange at 0, white at 0.5, blue at 1
  const [c, t] = p < 0.5 ? [COLORS[0], 1 - 2 * p] : [COLORS[1], 2 * p - 1];
  return c.map((v) => Math.round(255 + (v - 255) * t * 0.6));
};

function toCanvas(canvas, x, y) {
  const [low, high] = described.bounds;
  const scale = canvas.width / (high - low);
  return [(x - low) * scale, canvas.height - (y - low) * scale];
}

function drawMap() {
  const canvas = $("map");
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (last) {
    // one pixel per cell, then scaled up with smoothing: a soft heat map
    const grid = last.boundary.length;
    const small = new OffscreenCanvas(grid, grid);
    const image = small.getContext("2d").createImageData(grid, grid);
    last.boundary.flat().forEach((p, k) => image.data.set([...mix(p), 255], 4 * k));
    small.getContext("2d").putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  }
  if (!described) return;
  for (const [points, filled] of [[described.train, true], [described.test, false]]) {
    for (const [x, y, label] of points) {
      const [cx, cy] = toCanvas(canvas, x, y);
      ctx.beginPath();
      ctx.arc(cx, cy, 3.5, 0, 2 * Math.PI);
      ctx.strokeStyle = filled ? "white" : `rgb(${COLORS[label].join(",")})`;
      ctx.fillStyle = `rgb(${COLORS[label].join(",")})`;
      ctx.lineWidth = filled ? 1 : 2;
      if (filled) ctx.fill();
      ctx.stroke();
    }
  }
}

function drawCurves() {
  const canvas = $("curves");
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const n = losses.loss.length;
  if (n === 0) return;
  const top = Math.max(...losses.loss, ...losses.test_loss) || 1;
  for (const [series, color, dash] of [[losses.loss, "#333", []], [losses.test_loss, "#999", [4, 3]]]) {
    ctx.beginPath();
    series.forEach((v, i) => {
      const x = n === 1 ? 0 : (i / (n - 1)) * (canvas.width - 4) + 2;
      const y = canvas.height - 4 - (v / top) * (canvas.height - 8);
      i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y);
    });
    ctx.setLineDash(dash);
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.fillStyle = "#666";
  ctx.fillText(`max ${top.toPrecision(3)}`, 4, 12);
}

function drawWeights() {
  const canvas = $("weights");
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!described || !last) return;
  const sizes = described.sizes;
  const node = (l, i) => [
    20 + (l * (canvas.width - 40)) / (sizes.length - 1),
    ((i + 1) * canvas.height) / (sizes[l] + 1),
  ];
  const biggest = Math.max(1e-9, ...last.weights.flat(2).map(Math.abs));
  last.weights.forEach((matrix, l) => matrix.forEach((row, i) => row.forEach((w, j) => {
    const [x0, y0] = node(l, i);
    const [x1, y1] = node(l + 1, j);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.strokeStyle = `rgba(${COLORS[w > 0 ? 1 : 0].join(",")},0.8)`;
    ctx.lineWidth = 0.3 + (4 * Math.abs(w)) / biggest;
    ctx.stroke();
  })));
  sizes.forEach((m, l) => {
    for (let i = 0; i < m; i++) {
      const [x, y] = node(l, i);
      ctx.beginPath();
      ctx.arc(x, y, 5, 0, 2 * Math.PI);
      ctx.fillStyle = "#fff";
      ctx.fill();
      ctx.strokeStyle = "#333";
      ctx.lineWidth = 1;
      ctx.stroke();
    }
  });
}

// --- messages from the worker ----------------------------------------------------

const fromWorker = {
  status: (m) => setStatus(m.status, m.text),
  error: (m) => showError(m.message),
  describe: (m) => {
    described = m.data;
    applySettings(described.settings);
    history.replaceState(null, "", "?" + described.query);
    $("code").textContent = described.code;
    drawMap();
  },
  progress: (m) => {
    if (m.reset) losses = { loss: [], test_loss: [] };
    losses.loss.push(...(m.data.loss || []));
    losses.test_loss.push(...(m.data.test_loss || []));
    last = m.data;
    $("epoch").textContent = last.epoch;
    $("accuracy").textContent = last.accuracy_text;
    drawMap();
    drawCurves();
    drawWeights();
  },
};

worker.onmessage = (event) => fromWorker[event.data.type](event.data);
worker.onerror = (event) => showError(`the worker failed: ${event.message || "could not start"}`);

// --- controls --------------------------------------------------------------------

function command(type) {
  if (document.body.dataset.status === "loading") return;
  if (type !== "reset" && !described) return; // the settings are bad: fix them first
  if (type === "reset") return changed();
  worker.postMessage({ type });
}

for (const type of ["train", "pause", "step", "reset"]) {
  $(type).addEventListener("click", () => command(type));
}
for (const element of document.querySelectorAll("[data-setting]")) {
  element.addEventListener("change", changed);
}
$("add-layer").addEventListener("click", () => {
  if (widths().length < MAX_LAYERS) renderWidths([...widths(), 4]);
  changed();
});
$("remove-layer").addEventListener("click", () => {
  renderWidths(widths().slice(0, -1));
  changed();
});
$("map").addEventListener("click", (event) => {
  if (!described || document.body.dataset.status === "loading") return;
  const canvas = $("map");
  const box = canvas.getBoundingClientRect();
  const [low, high] = described.bounds;
  const x = low + ((event.clientX - box.left) / box.width) * (high - low);
  const y = high - ((event.clientY - box.top) / box.height) * (high - low);
  let label = Number(document.querySelector("input[name=add-class]:checked").value);
  if (event.shiftKey) label = 1 - label;
  worker.postMessage({ type: "add", x, y, label });
});

async function start() {
  let config = DEFAULT_CONFIG;
  try {
    const response = await fetch("config.json");
    if (response.ok) config = { ...config, ...(await response.json()) };
  } catch (error) {
    // static hosting without config.json: the CDN defaults
  }
  renderWidths([8, 8]);
  worker.postMessage({ type: "init", ...config, query: location.search.slice(1) });
}

start();
