# Quick start: `make demo` (serve the demo academy) and `make test` (run the suite).
# Needs only python3 (>= 3.11) and make: the virtualenv, the packages (from PyPI) and the
# compiled French messages are made here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) example_project/manage.py
# Where the demo is served, as name:port; the FranceConnect-like provider listens on the same
# name, port 4000, and the demo points at it (e.g. `make demo HOST=192.168.1.20:8000`).
HOST ?= 127.0.0.1:8000
HOST_NAME := $(firstword $(subst :, ,$(HOST)))
FC_ISSUER := http://$(HOST_NAME):4000/api/v2
DEMO_ENV := DEMO_HOST=$(HOST_NAME) FRANCECONNECT_ISSUER=$(FC_ISSUER)

.PHONY: demo test setup setup-test messages lint clean franceconnect-provider

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

# Pure-Python compilation (Babel): no GNU gettext needed on the machine. Always rebuilt
# (a fraction of a second), so a .mo never lags behind its .po.
messages: setup
	$(VENV)/bin/pybabel compile --domain django --directory cas_educonnect/locale

demo: setup messages
	$(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) educonnect_demo --base-url http://$(HOST)
	$(DEMO_ENV) $(MANAGE) runserver $(HOST)

# A FranceConnect-like OpenID provider (node oidc-provider) on $(HOST_NAME):4000 for `make demo`.
franceconnect-provider:
	test -f .cache/oidc-provider/node_modules/oidc-provider/package.json || \
	  npm install --prefix .cache/oidc-provider --no-audit --no-fund oidc-provider@9
	FC_HOST=$(HOST_NAME) FC_RP_BASE=http://$(HOST) node tests/franceconnect/fc_provider.mjs

test: setup-test messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) example_project/db.sqlite3
	rm -f cas_educonnect/locale/*/LC_MESSAGES/django.mo
