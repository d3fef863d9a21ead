# Two commands do all set-up on a fresh machine:
#   make demo   — create .venv, install netanalysis, run the main job on the bundled data (reports/demo/)
#   make test   — the same install plus test tools, then the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

$(VENV)/installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

.PHONY: install demo test lint bench clean
install: $(VENV)/installed

demo: install
	$(PY) cli.py demo

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
