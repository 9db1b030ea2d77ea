# motcua developer commands. The two set-up commands are `make run` and `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALL_STAMP := $(VENV)/.motcua-install-stamp
BENCH_STAMP := $(VENV)/.motcua-bench-stamp

LOCK_TOOLS_STAMP := $(VENV)/.motcua-lock-tools-stamp

.PHONY: install run test lint bench lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "motcua needs Python >= 3.11 (set PYTHON=python3.x)")'
	$(PYTHON) -m venv $(VENV)

# Installs the pinned, hash-checked dependencies of requirements/test.txt (docs/deploy.md "Supply
# chain"), checks that the lock still matches pyproject.toml, then motcua itself without
# dependencies; the build backend (setuptools) comes from the lock too, hence no build isolation.
# Re-installs only when pyproject.toml or the lock changes, so `make test` is fast on re-runs.
$(INSTALL_STAMP): pyproject.toml requirements/test.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	$(BIN)/python requirements/lock.py check
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

install: $(INSTALL_STAMP)

run: install
	$(BIN)/motcua demo

test: install
	$(BIN)/pytest

# Static checks (docs/adr/0003-static-checks.md). mypy's scope and bandit's skips are in pyproject.toml.
# mypy's Django plugin imports motcua.settings: a throwaway key stops it writing .motcua-secret here.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	MOTCUA_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" $(BIN)/mypy
	@# bandit tests only the first literal part of an f-string and warns "nosec encountered ..., but
	@# no failed test" for each other part of a line that carries a nosec: noise, dropped here.
	@echo '$(BIN)/bandit --quiet -c pyproject.toml -r motcua'
	@$(BIN)/bandit --quiet -c pyproject.toml -r motcua 2>$(VENV)/bandit.stderr; status=$$?; \
	grep -v 'nosec encountered .*, but no failed test' $(VENV)/bandit.stderr >&2; exit $$status

$(BENCH_STAMP): requirements/bench.txt $(INSTALL_STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/bench.txt
	@touch $@

bench: $(BENCH_STAMP)
	@set -e; found=0; \
	for script in bench/*.py; do \
		[ -e "$$script" ] || continue; \
		case "$$(basename $$script)" in _*) continue;; esac; \
		found=1; echo "== $$script"; $(BIN)/python "$$script"; \
	done; \
	[ $$found = 1 ] || echo "No benchmarks in bench/ yet."

# Regenerates requirements/{test,runtime,bench}.txt from pyproject.toml (network: PyPI), keeping
# the current pins where they still fit; `make lock UPGRADE=1` takes the newest allowed versions.
# uv, the compiler, is pinned with hashes in requirements/lock-tools.txt.
$(LOCK_TOOLS_STAMP): requirements/lock-tools.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/lock-tools.txt
	@touch $@

lock: $(LOCK_TOOLS_STAMP)
	$(BIN)/python requirements/lock.py compile --uv $(BIN)/uv $(if $(UPGRADE),--upgrade)

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
