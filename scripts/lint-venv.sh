#!/usr/bin/env bash
# Makes (or remakes, when the pins below change) the lint venv .venv-lint/
# with the pinned linters and the contract tester. Quiet when it is current.
set -euo pipefail

CFN_LINT_VERSION="1.58.0"
SAM_CLI_VERSION="1.170.0"
SCHEMATHESIS_VERSION="4.32.5"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-lint"
pins="cfn-lint==${CFN_LINT_VERSION} aws-sam-cli==${SAM_CLI_VERSION} schemathesis==${SCHEMATHESIS_VERSION}"

venv_is_current() {
    [[ -x "$venv/bin/cfn-lint" && -x "$venv/bin/sam" && -x "$venv/bin/st" && -f "$venv/.pins" ]] \
        && [[ "$(cat "$venv/.pins")" == "$pins" ]]
}

if ! venv_is_current; then
    echo "lint-venv: installing ${pins} into .venv-lint/" >&2
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv"
    # Keep the venv out of git without touching the repo's .gitignore.
    printf '*\n' >"$venv/.gitignore"
    "$venv/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip >&2
    # shellcheck disable=SC2086 # $pins is a list of requirement specifiers
    "$venv/bin/python" -m pip install --disable-pip-version-check -q $pins >&2
    printf '%s' "$pins" >"$venv/.pins"
fi
