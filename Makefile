# 龙岗改革台账 — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Tests run as production would (DEBUG off), with a throwaway key.
# HTTPS=false: the test client and the live test server speak plain HTTP.
TEST_ENV := DEBUG=false HTTPS=false ENV_FILE=/dev/null \
	SECRET_KEY=test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz

.PHONY: run test test-fast install install-test lint format migrate loadplan messages check-python clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
	  echo "ERROR: Django 6.1 needs Python 3.12 or newer, but '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.12+ (pyenv reads .python-version) or run: make PYTHON=python3.12 ..."; \
	  exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput

loadplan: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py load_plan plan_2017

# Password-reset mails are printed in the terminal (EMAIL_URL=consolemail://).
run: loadplan
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-true} EMAIL_URL=$${EMAIL_URL:-consolemail://} \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# The quick tier: everything but the browser journeys and the hypothesis properties.
test-fast: install-test
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(BIN)/python -m pytest -m "not browser and not fuzz" $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext. Commit the .po and the compiled .mo files (users may lack gettext).
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l en -l zh_Hans --no-obsolete --no-wrap \
	  --ignore=.venv --ignore=bench --ignore=staticfiles
	DEBUG=true $(BIN)/python manage.py compilemessages -l en -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
