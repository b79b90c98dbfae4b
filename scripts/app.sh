#!/usr/bin/env bash
# Install dependencies if needed and open the app on its embedded demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec npx vite --open
