#!/usr/bin/env bash
# Contract test (X2): schemathesis (pinned in .venv-lint/) against the local
# runner, logged in and anonymous. See scripts/contract/run.py.
# Env: CONTRACT_EXAMPLES (per operation, default 5), CARGO, MOTO_PYTHON.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/lint-venv.sh"
"${CARGO:-cargo}" build -q -p local-runner
target="$("${CARGO:-cargo}" metadata --format-version 1 --no-deps | "$root/.venv-lint/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
export ST="$root/.venv-lint/bin/st"
export SCHEMATHESIS_TELEMETRY=false
exec "$root/.venv-lint/bin/python" "$root/scripts/contract/run.py" "$target/debug/local-runner"
