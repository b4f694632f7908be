#!/usr/bin/env bash
# The README's test command: provisions what the tests need on a fresh machine, runs every gate and
# test, and stops what it started. Idempotent; safe to run again on a warm machine.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

section() { printf '\n== %s (%ss)\n' "$1" "$((SECONDS - started))"; }

section "python environment"
make --no-print-directory venv
export PYTHON=.venv/bin/python

stop_services() {
  bash infra/kafka/down.sh || true
  bash infra/postgres/down.sh || true
}
trap stop_services EXIT

section "postgresql"
bash infra/postgres/up.sh
# shellcheck disable=SC1091
source .local/postgres.env
section "kafka"
bash infra/kafka/up.sh
# shellcheck disable=SC1091
source .local/kafka.env
section "helm"
bash infra/helm/fetch.sh
section "chromium"
bash infra/browser/up.sh

section "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
section "mypy"
.venv/bin/mypy
section "import contracts"
.venv/bin/lint-imports
section "pytest"
.venv/bin/python -m pytest
section "containers"
bash infra/containers/test.sh
section "done"
