#!/usr/bin/env bash
# The browser journeys (issue 19, X1): Debian's chromium, driven by
# Playwright from web/node_modules, against the whole local stack
# (web/e2e/stack.ts starts `local-runner run` with the built page).
# Closes with a plain `N passed, N failed` line.
# Env: CARGO, MOTO_PYTHON, CHROMIUM (default /usr/bin/chromium); extra
# arguments go to `playwright test` (a file, `-g name`, `--headed` ...).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"${CARGO:-cargo}" build -q -p local-runner
target="$("${CARGO:-cargo}" metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
export LOCAL_RUNNER="$target/debug/local-runner"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
cd web
exec npx --no-install playwright test "$@"
