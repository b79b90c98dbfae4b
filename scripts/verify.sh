#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what is missing, then type-checks and runs
# every test (core, data, real data from ../shared, CLI, headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "installing Debian chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: run 'sudo apt-get install chromium' (browser tests will fail without it)" >&2
  fi
fi
if [ -z "${TRACTMIX_SHARED:-}" ] && [ -d ../shared/data ]; then
  export TRACTMIX_SHARED=../shared
fi
npx tsc --noEmit -p tsconfig.json
npx vitest run
