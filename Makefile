# printvault: `make run` starts everything locally; `make test` runs every test.
# Both install what they need first (Debian packages, a Python venv with moto).

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PYTHON ?= python3
CARGO ?= cargo
export MOTO_PYTHON := $(abspath $(VENV))/bin/python

.PHONY: help run test test-rust contract lint lint-rust lint-infra bench bench-imaging bench-search bench-orders bench-sweeps bench-e2e deps venv build-lambdas fmt openapi

help:
	@echo "make run            start moto, make the resources, serve the API on 127.0.0.1:8080"
	@echo "make test           every test: unit, handler, integration (moto), and lints"
	@echo "make lint           rustfmt, clippy, cfn-lint and sam validate"
	@echo "make contract       schemathesis against the local runner, from /v1/openapi.json"
	@echo "make bench          every benchmark below (not in CI)"
	@echo "make bench-imaging  image pipeline benchmark against libvips"
	@echo "make bench-search   search over 100,000 images in moto: items read per result, time per page"
	@echo "make bench-orders   AWS requests per order (quote, order, pay, dispatch), 1 and 20 lines"
	@echo "make bench-sweeps   the sweeps over 100,000 images in moto: items read per item due"
	@echo "make bench-e2e      200 uploads through the local stack: PUT-to-ready latency, images/s, RSS"
	@echo "make openapi        rewrite docs/openapi.json from the code"
	@echo "make build-lambdas  release Lambda binaries with cargo-lambda"

deps:
	@scripts/install-deps.sh

$(VENV)/.installed: infra/requirements-local.txt
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { scripts/install-deps.sh python3-venv && $(PYTHON) -m venv $(VENV); }
	@echo "installing moto into $(VENV)"
	@$(VENV)/bin/python -m pip install --disable-pip-version-check -q -r infra/requirements-local.txt
	@touch $@

venv: $(VENV)/.installed

run: deps venv
	$(CARGO) run -p local-runner -- run

test: deps venv test-rust lint contract

test-rust:
	$(CARGO) test --workspace --all-targets --no-fail-fast

# The published contract, tested: schemathesis against the local runner (X2).
contract: deps venv
	@scripts/contract-test.sh

lint: lint-rust lint-infra

lint-rust:
	$(CARGO) fmt --all -- --check
	@$(PYTHON) scripts/check-modules.py
	$(CARGO) clippy --workspace --all-targets -- -D warnings

lint-infra:
	@scripts/lint-infra.sh

fmt:
	$(CARGO) fmt --all

# Rewrite the committed OpenAPI document from the code (a test fails until it matches).
openapi:
	$(CARGO) run -q -p local-runner -- openapi > docs/openapi.json

bench: bench-imaging bench-search bench-orders bench-sweeps bench-e2e

bench-imaging: deps
	@scripts/bench.sh

bench-search: deps venv
	$(CARGO) bench -p integration-tests --bench search

bench-orders: deps venv
	$(CARGO) bench -p integration-tests --bench orders

bench-sweeps: deps venv
	$(CARGO) bench -p integration-tests --bench sweeps

# Uses the photos bench-imaging fetched (bench-data/), else generated ones.
# Once with the stack's process on one CPU, once on two.
bench-e2e: deps venv
	E2E_CPUS=1 $(CARGO) bench -p integration-tests --bench e2e
	$(CARGO) bench -p integration-tests --bench e2e

build-lambdas: deps
	@$(PYTHON) -m pip show cargo-lambda >/dev/null 2>&1 || $(PYTHON) -m pip install -q cargo-lambda
	$(CARGO) lambda build --release --bin api --bin upload-finalise --bin classify --bin notifier --bin print-dispatch \
		--bin billing-sweep --bin retention-sweep --bin anniversary-sweep
