# printvault: `make run` starts everything locally; `make test` runs every test.
# Both install what they need first (Debian packages, a Python venv with moto).

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PYTHON ?= python3
CARGO ?= cargo
export MOTO_PYTHON := $(abspath $(VENV))/bin/python

.PHONY: help run test test-rust test-web contract lint lint-rust lint-infra lint-web web web-types deps-browser bench bench-imaging bench-search bench-orders bench-sweeps bench-archive bench-export bench-e2e bench-web deps venv build-lambdas fmt openapi

help:
	@echo "make run            start moto, make the resources, serve the API on 127.0.0.1:8080"
	@echo "make test           every test: unit, handler, integration (moto), and lints"
	@echo "make test-web       the browser journeys: Playwright driving Debian's chromium against make run's stack"
	@echo "make lint           rustfmt, clippy, cfn-lint, sam validate, and the web page's types"
	@echo "make web            build the customer web page into web/dist (npm ci from the lockfile, then vite)"
	@echo "make web-types      rewrite web/src/api/schema.d.ts from docs/openapi.json"
	@echo "make contract       schemathesis against the local runner, from /v1/openapi.json"
	@echo "make bench          every benchmark below (not in CI)"
	@echo "make bench-imaging  image pipeline benchmark against libvips"
	@echo "make bench-search   search over 100,000 images in moto: items read per result, time per page"
	@echo "make bench-orders   AWS requests per order (quote, order, pay, dispatch), 1 and 20 lines"
	@echo "make bench-sweeps   the sweeps over 100,000 images in moto: items read per item due"
	@echo "make bench-archive  the archive sweep in moto (items read per customer due); the move's requests per image; printlab building a DVD image"
	@echo "make bench-export   a 2 GiB customer's full export in moto: throughput and the function's peak RSS"
	@echo "make bench-e2e      200 uploads through the local stack: PUT-to-ready latency, images/s, RSS"
	@echo "make bench-web      the web page's budgets: JavaScript on first load, a 200-image gallery's loads, drop to thumbnail"
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

# The web page's npm packages, exactly as the lockfile says (cached by npm:
# a second install needs no network).
web/node_modules/.installed: web/package-lock.json
	cd web && npm ci --prefer-offline --no-audit --no-fund --loglevel=error
	@touch $@

WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run -s build

web: web/dist/index.html

web-types: web/node_modules/.installed
	cd web && npm run -s gen

# Debian's chromium for the browser tests (never a downloaded build).
deps-browser:
	@scripts/install-deps.sh chromium

run: deps venv web
	$(CARGO) run -p local-runner -- run

test: deps venv test-rust lint contract test-web

test-rust:
	$(CARGO) test --workspace --all-targets --no-fail-fast

# The published contract, tested: schemathesis against the local runner (X2).
contract: deps venv
	@scripts/contract-test.sh

# The browser journeys against the whole local stack (scripts/web-test.sh).
test-web: deps venv deps-browser web
	@scripts/web-test.sh

lint: lint-rust lint-infra lint-web

lint-rust:
	$(CARGO) fmt --all -- --check
	@$(PYTHON) scripts/check-modules.py
	$(CARGO) clippy --workspace --all-targets -- -D warnings

lint-infra:
	@scripts/lint-infra.sh

# The page's generated API types match docs/openapi.json, and it type-checks (strict).
lint-web: web/node_modules/.installed
	cd web && npm run -s check-schema && npm run -s typecheck

fmt:
	$(CARGO) fmt --all

# Rewrite the committed OpenAPI document from the code (a test fails until it matches).
openapi:
	$(CARGO) run -q -p local-runner -- openapi > docs/openapi.json

bench: bench-imaging bench-search bench-orders bench-sweeps bench-archive bench-export bench-e2e bench-web

bench-imaging: deps
	@scripts/bench.sh

bench-search: deps venv
	$(CARGO) bench -p integration-tests --bench search

bench-orders: deps venv
	$(CARGO) bench -p integration-tests --bench orders

bench-sweeps: deps venv
	$(CARGO) bench -p integration-tests --bench sweeps

bench-export: deps venv
	$(CARGO) bench -p integration-tests --bench export

bench-archive: deps venv
	$(CARGO) bench -p integration-tests --bench archive
	$(CARGO) run --release -q -p printlab --example disc_bench

# The page's budgets in Debian's chromium against the local stack (docs/benchmarks.md).
bench-web: deps venv deps-browser web
	@scripts/web-test.sh -c playwright.bench.config.ts

# Uses the photos bench-imaging fetched (bench-data/), else generated ones.
# Once with the stack's process on one CPU, once on two.
bench-e2e: deps venv
	E2E_CPUS=1 $(CARGO) bench -p integration-tests --bench e2e
	$(CARGO) bench -p integration-tests --bench e2e

build-lambdas: deps
	@$(PYTHON) -m pip show cargo-lambda >/dev/null 2>&1 || $(PYTHON) -m pip install -q cargo-lambda
	$(CARGO) lambda build --release --bin api --bin upload-finalise --bin classify --bin notifier --bin print-dispatch --bin export \
		--bin billing-sweep --bin retention-sweep --bin anniversary-sweep --bin archive-sweep --bin trash-sweep
