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
  if [[ -n ${images_job:-} ]] && kill -0 "$images_job" 2>/dev/null; then
    pkill -TERM -P "$images_job" || true
    kill "$images_job" 2>/dev/null || true
  fi
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

# The container images take minutes to build on a machine that has none (debootstrap, then each image);
# they are built while the checks and pytest run, after every host package is installed (one apt at a
# time). The container step below builds whatever this left unbuilt, so a failure here only costs time.
section "container images (built in the background; log in .local/containers/images.log)"
mkdir -p .local/containers
(bash infra/containers/install.sh && bash infra/containers/images.sh) >.local/containers/images.log 2>&1 &
images_job=$!

section "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
section "mypy"
.venv/bin/mypy
section "import contracts"
.venv/bin/lint-imports
# pytest runs in worker processes (pytest-xdist), one more than the cores, since many tests wait on a
# broker, a browser or a subprocess, and at most 4, which the private cluster's 200 connections bear; each
# worker migrates its own scratch databases. The benchmarks share one worker (they count the cluster's
# scratch databases), and the tests marked exclusive, which stop the shared broker, run afterwards alone.
workers=${REGISTRY_TEST_WORKERS:-$(($(nproc) + 1 > 4 ? 4 : $(nproc) + 1))}
section "pytest ($workers worker processes)"
.venv/bin/python -m pytest -n "$workers" --dist loadgroup -m "not exclusive"
section "pytest: the exclusive tests"
.venv/bin/python -m pytest -m exclusive
section "containers (waiting for the images built in the background)"
wait "$images_job" || echo "the background image build stopped early (exit $?); the container step builds what is missing"
tail -n 5 .local/containers/images.log
bash infra/containers/test.sh
section "done"
