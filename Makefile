# Outsourcing Advisor — developer tasks. `make help` lists the targets.
# Every Python command runs from .venv directly; no activation needed.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV        := .venv
PY          := $(VENV)/bin/python
MANAGE      := $(PY) manage.py
RUFF        := $(VENV)/bin/ruff
# Interpreter used to create .venv: python3.11 if present, else python3.
BOOT_PY     := $(or $(shell command -v python3.11 2>/dev/null),$(shell command -v python3 2>/dev/null),python3)
PY_STAMP    := $(VENV)/.installed
NODE_STAMP  := node_modules/.package-lock.json
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-ipaexfont-gothic \
                gettext chromium poppler-utils
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles
PYTEST_ARGS ?=

.PHONY: help install system-packages compilemessages run test test-suite bench lint format \
        typecheck messages clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) \
	  | awk 'BEGIN {FS = ":.*## "} {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}'
	@echo "  Pass pytest options with PYTEST_ARGS, e.g. make test PYTEST_ARGS='-m \"not e2e\"'"

# ---------------------------------------------------------------------------------------------
# Setup. Each step is skipped when already done, so `make install` is cheap to repeat.

install: system-packages $(PY_STAMP) $(NODE_STAMP) compilemessages ## Set up everything (idempotent)

# Debian packages for WeasyPrint (pango, harfbuzz), Japanese fonts, gettext, and the e2e/PDF
# tests (chromium, poppler-utils). Installed if we are root; otherwise the command is printed.
system-packages:
	@missing=(); \
	for pkg in $(APT_PACKAGES); do \
	  dpkg -s "$$pkg" >/dev/null 2>&1 || missing+=("$$pkg"); \
	done; \
	if (( $${#missing[@]} == 0 )); then exit 0; fi; \
	if [[ $$(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then \
	  echo "Installing system packages: $${missing[*]}"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -q && apt-get install -y -q "$${missing[@]}"; \
	else \
	  echo "WARNING: missing system packages: $${missing[*]}"; \
	  echo "         install them with: sudo apt-get install -y $${missing[*]}"; \
	fi

$(PY):
	$(BOOT_PY) -m venv $(VENV)

# Python packages; re-run only when pyproject.toml changes (or .venv is new).
$(PY_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

# Bootstrap and htmx from the npm registry (served as our own static files).
$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null || { echo "ERROR: npm is required (install Node.js 20)"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# Compile .po -> .mo only when some .po file is newer than its .mo.
compilemessages: $(PY_STAMP)
	@stale=0; \
	while IFS= read -r po; do \
	  if [[ "$$po" -nt "$${po%.po}.mo" ]]; then stale=1; fi; \
	done < <(find . \( -path ./.venv -o -path ./node_modules -o -path ./staticfiles \) -prune \
	              -o -name '*.po' -path '*/locale/*' -print); \
	if (( stale )); then \
	  echo "Compiling translations"; \
	  $(MANAGE) compilemessages -v 0 $(I18N_IGNORE); \
	fi

# ---------------------------------------------------------------------------------------------
# Everyday tasks.

run: install ## Migrate, load demo data, start a background worker and the dev server on :8000
	DEBUG=true $(MANAGE) migrate --noinput
	DEBUG=true $(MANAGE) seed_demo
	@# The worker runs large imports and reports; it stops with the server (Ctrl+C stops both).
	DEBUG=true $(MANAGE) db_worker --no-reload --verbosity 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  DEBUG=true $(MANAGE) runserver 127.0.0.1:8000

test: install ## Lint, format, layers, types, migration and system checks, then the whole pytest suite
	$(RUFF) check .
	$(RUFF) format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(PY) -m pytest $(PYTEST_ARGS)

test-suite: install ## Only the pytest suite (e.g. with DATABASE_URL=postgres://...)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install ## Run the benchmarks (tests/bench.py)
	$(PY) tests/bench.py

lint: $(PY_STAMP) ## ruff check and ruff format --check
	$(RUFF) check .
	$(RUFF) format --check .

format: $(PY_STAMP) ## Fix what ruff can fix and reformat the code
	$(RUFF) check --fix .
	$(RUFF) format .

typecheck: $(PY_STAMP) ## mypy on the packages listed in pyproject.toml, and the layers contract
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

messages: $(PY_STAMP) ## Update locale/*.po (ja, en) from the source, then compile them
	mkdir -p locale
	$(MANAGE) makemessages -l ja -l en $(I18N_IGNORE)
	$(MANAGE) compilemessages -v 0 $(I18N_IGNORE)

clean: ## Remove caches, collected static files and the install stamp (keeps .venv, node_modules, db)
	rm -f $(PY_STAMP)
	rm -rf staticfiles .pytest_cache .ruff_cache .mypy_cache
	find . \( -path ./.venv -o -path ./node_modules \) -prune -o -name __pycache__ -type d \
	  -exec rm -rf {} +
