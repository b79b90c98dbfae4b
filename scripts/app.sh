#!/usr/bin/env bash
# Install dependencies if needed and open the app: on its embedded demo data, or on a bundle folder
# inside this repository given as the argument (npm run app -- bundles/cook).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ $# -ge 1 ]; then
  dir="${1%/}"
  case "$dir" in /*) abs="$dir" ;; *) abs="$(pwd)/$dir" ;; esac
  if [ ! -f "$abs/bundle.json" ]; then
    echo "npm run app: $1 has no bundle.json; give a bundle folder made by tractmix fetch or build" >&2
    exit 2
  fi
  rel="$(realpath --relative-to="$(pwd)" "$abs")"
  case "$rel" in ..*) echo "npm run app: $1 is outside this folder; the app serves bundles from inside it (fetch with --out bundles/NAME)" >&2; exit 2 ;; esac
  exec npx vite --open "/?data=${rel}/"
fi
exec npx vite --open
