// Run tinynet's test suite inside Pyodide (CPython 3.14 on WebAssembly) under Node.
//
//   node .ci/pyodide_tests.mjs WHEEL_DIR [PYTEST_ARGS...]
//
// Pyodide comes from node_modules (npm ci); nothing is fetched from a CDN.
// The repository's tinynet/, tests/, docs/, examples/, README.md and setup.cfg
// are copied into the emscripten file system at /repo, the wheels in WHEEL_DIR
// are copied to /wheels, micropip (not bundled in the npm package) is unzipped
// from its own wheel, and micropip installs the rest from emfs: paths with
// deps=False (every dependency is pinned in .ci/pyodide-requirements.txt).
// pytest then runs with setup.cfg's own options. Its output ends with pytest's
// summary line; the exit code is pytest's.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const COPY = ["tinynet", "tests", "docs", "examples", "benchmarks", "README.md", "setup.cfg", "LICENSE",
  "package.json"];
const SKIP = new Set(["__pycache__", ".pytest_cache", ".hypothesis"]);

// copyTree(FS, from, to): copy a host file or folder into the emscripten FS.
function copyTree(FS, from, to) {
  if (fs.statSync(from).isDirectory()) {
    FS.mkdirTree(to);
    for (const name of fs.readdirSync(from)) {
      if (!SKIP.has(name)) copyTree(FS, path.join(from, name), `${to}/${name}`);
    }
  } else {
    FS.writeFile(to, fs.readFileSync(from));
  }
}

async function main() {
  const wheelDir = path.resolve(process.argv[2] || path.join(ROOT, ".ci", "pyodide-wheels"));
  const started = Date.now();
  const pyodide = await loadPyodide({
    env: {
      HOME: "/home/pyodide",
      PYTHONDONTWRITEBYTECODE: "1",
      TINYNET_HYPOTHESIS_PROFILE: process.env.TINYNET_HYPOTHESIS_PROFILE || "pyodide",
    },
  });
  const FS = pyodide.FS;
  for (const name of COPY) {
    if (fs.existsSync(path.join(ROOT, name))) copyTree(FS, path.join(ROOT, name), `/repo/${name}`);
  }
  copyTree(FS, wheelDir, "/wheels");
  pyodide.globals.set("pytest_args", pyodide.toPy(["-p", "no:cacheprovider", ...process.argv.slice(3)]));
  console.log(`pyodide ${pyodide.version} loaded and repo copied in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const rc = await pyodide.runPythonAsync(`
import os, sys, site, zipfile
wheels = sorted("/wheels/" + name for name in os.listdir("/wheels") if name.endswith(".whl"))
micropip_wheel = [w for w in wheels if os.path.basename(w).startswith("micropip-")]
if not micropip_wheel:
    raise SystemExit("no micropip wheel in /wheels")
with zipfile.ZipFile(micropip_wheel[0]) as wheel:
    wheel.extractall(site.getsitepackages()[0])
import micropip
await micropip.install(["emfs:" + w for w in wheels if w not in micropip_wheel], deps=False)
os.chdir("/repo")
sys.path.insert(0, "/repo")
import pytest
int(pytest.main(list(pytest_args)))
`);
  process.exit(rc); // pytest's summary line was the last line printed
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
