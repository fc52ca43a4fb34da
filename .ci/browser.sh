#!/usr/bin/env bash
# The playground in headless Chromium: .ci/browser_test.mjs with playwright-core.
#
# Needs Node and npm (npm ci installs playwright-core and the local Pyodide
# the page loads) and Debian's chromium, installed with apt-get when missing.
# Screenshots go to .ci/artifacts (git-ignored).
#
# Exit 0 when the browser test passes, 77 when Node, npm or Chromium is
# missing and cannot be installed (the last line says "skipped: ..."),
# anything else on failure.
set -u
cd "$(dirname "$0")/.." || exit 1
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "skipped: $tool not found"; exit 77; }
done
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/pyodide ]; then
  echo "--- npm ci"
  npm ci --no-audit --no-fund --loglevel=error || exit 1
fi
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "--- $chromium not found, trying apt-get install chromium"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
    >/tmp/tinynet-apt-chromium.log 2>&1 || tail -n 5 /tmp/tinynet-apt-chromium.log
  [ -x "$chromium" ] || { echo "skipped: chromium not installed and apt-get could not install it"; exit 77; }
fi
echo "--- $("$chromium" --version 2>/dev/null | head -n 1)"
CHROMIUM="$chromium" node .ci/browser_test.mjs .ci/artifacts
