# The two set-up commands are `make run` and `make test`; the rest are shortcuts for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help run test venv lint fmt unit migrate

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

run: venv ## start the embedded demo platform (SQLite, in-process bus) on 127.0.0.1:8000
	$(BIN)/registry demo

test: ## provision PostgreSQL and Kafka, then run every check and test (as CI does)
	bash infra/test.sh

venv: $(VENV)/.installed ## create the virtual environment with the pinned dependencies

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

lint: venv ## ruff, mypy and the import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: venv ## format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

unit: venv ## the fast unit tests only
	$(BIN)/python -m pytest tests/unit -q

migrate: venv ## apply migrations to DATABASE_OWNER_URL (or DATABASE_URL)
	$(BIN)/registry db upgrade
