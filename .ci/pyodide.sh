#!/usr/bin/env bash
# The test suite inside Pyodide (CPython 3.14 on WebAssembly), under Node.
#
# 1. npm ci: pyodide (and playwright-core) exactly as package-lock.json pins them.
# 2. The pure-Python wheels of .ci/pyodide-requirements.txt (micropip, pytest,
#    hypothesis and their dependencies), downloaded once into .ci/pyodide-wheels
#    (git-ignored) with pip download --platform any --python-version 3.14.
# 3. node .ci/pyodide_tests.mjs: copies the repo into Pyodide's file system,
#    installs the wheels with micropip from emfs: paths and runs pytest with
#    setup.cfg's options and the light "pyodide" hypothesis profile.
#
# Exit 0 when the suite passes, 77 when Node or npm is missing (the last line
# says "skipped: ..."), anything else on failure. The last line of a run is
# pytest's summary line.
set -u
cd "$(dirname "$0")/.." || exit 1
wheels=.ci/pyodide-wheels
requirements=.ci/pyodide-requirements.txt
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "skipped: $tool not found"; exit 77; }
done
python=${PYTHON:-python3}

echo "--- npm ci"
npm ci --no-audit --no-fund --loglevel=error || exit 1

# Every pinned wheel already there? Then the cache is complete.
missing=0
while read -r name version; do
  ls "$wheels/$(echo "$name" | tr - _)-$version-"*.whl >/dev/null 2>&1 || missing=1
done < <(sed -E 's/#.*//; /^\s*$/d; s/==/ /' "$requirements")
if [ "$missing" = 1 ]; then
  echo "--- pip download into $wheels"
  "$python" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    --platform any --python-version 3.14 --implementation py -d "$wheels" -r "$requirements" || exit 1
fi

echo "--- the suite in Pyodide $(node -p 'require("./node_modules/pyodide/package.json").version')"
TINYNET_HYPOTHESIS_PROFILE=pyodide node .ci/pyodide_tests.mjs "$wheels"
