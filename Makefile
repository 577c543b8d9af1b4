# Quick start: `make demo` (serve the demo academy) and `make test` (run the suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) example_project/manage.py
HOST ?= 127.0.0.1:8000

.PHONY: demo test setup setup-test messages lint clean

$(VENV)/.example: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[example]"
	touch $@

$(VENV)/.test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.example

setup: $(VENV)/.example

setup-test: $(VENV)/.test

demo: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) educonnect_demo
	$(MANAGE) runserver $(HOST)

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

messages: setup
	cd cas_educonnect && ../$(PY) ../example_project/manage.py compilemessages

lint: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) example_project/db.sqlite3
