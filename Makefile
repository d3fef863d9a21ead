# Two commands do all set-up on a fresh machine:
#   make demo   — create .venv, install netanalysis, run the main job on the bundled data (reports/demo/)
#   make test   — the same install plus test tools, then the whole test suite
#   (make browser: only the headless-Chromium tests; make lint: ruff + mypy; make bench: benchmarks)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

$(VENV)/installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

.PHONY: install demo test browser lint bench clean
install: $(VENV)/installed

demo: install
	$(PY) cli.py demo

test: install
	$(PY) -m pytest

# only the tests that open pages in headless Chromium (they skip, saying why, without /usr/bin/chromium)
browser: install
	$(PY) -m pytest -m browser -rs

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
