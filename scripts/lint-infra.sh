#!/usr/bin/env bash
# Lint the SAM template with cfn-lint and `sam validate --lint`.
#
# Tools live in a private venv at .venv-lint/ (repo root), made on first use
# by scripts/lint-venv.sh, which holds the pins. Quiet on success: one summary line.
# Works offline once the venv exists (both linters ship their specs).
#
# Env: PYTHON (default python3), TEMPLATE (default infra/template.yaml),
#      AWS_REGION for `sam validate` (default us-east-1).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="$root/.venv-lint"
template="${TEMPLATE:-infra/template.yaml}"
region="${AWS_REGION:-us-east-1}"

# No telemetry or update checks: CI and this machine have no general network.
export SAM_CLI_TELEMETRY=0
export SAM_CLI_DISABLE_UPDATE_CHECK=1

"$root/scripts/lint-venv.sh"

[[ -f "$template" ]] || { echo "lint-infra: $template not found" >&2; exit 1; }

failed=0
run_quiet() {
    local label="$1"; shift
    local out
    if ! out="$("$@" 2>&1)"; then
        echo "lint-infra: $label FAILED:" >&2
        printf '%s\n' "$out" >&2
        failed=1
    fi
}

# cfn-lint exits non-zero on errors (2) and warnings (4); both fail the lint.
# Silence a specific warning with Metadata: cfn-lint: config: ignore_checks on
# the resource, with a comment saying why.
run_quiet "cfn-lint" "$venv/bin/cfn-lint" "$template"
run_quiet "sam validate --lint" \
    "$venv/bin/sam" validate --lint --template "$template" --region "$region"

if (( failed )); then
    exit 1
fi
echo "lint-infra: ok ($template: cfn-lint, sam validate --lint)"
