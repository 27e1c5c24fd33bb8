# Accord — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
BASE_STAMP := $(VENV)/.base-installed
DEV_STAMP := $(VENV)/.dev-installed
# The test suite talks to the real PostgreSQL and Redis (override to point elsewhere).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/accord
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0
# pytest-xdist workers (each its own test database and Redis database: tests/conftest.py); 0 runs in one process.
PYTEST_WORKERS ?= 2

.PHONY: run serve test lint audit bench messages compilemessages syslibs check-deploy clean worker beat

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(BASE_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e . 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -c "import django, celery, allauth" && touch $@

$(DEV_STAMP): pyproject.toml $(BASE_STAMP)
	$(PY) -m pip install -q -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -c "import pytest, pytest_django, playwright" && touch $@

syslibs:
	@bash .ci/system-libs.sh

# Links in e-mails follow the address `make run` serves unless SITE_URL is set.
run: export SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))
run: $(BASE_STAMP) syslibs
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py demo_organizer
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: $(BASE_STAMP)
	$(VENV)/bin/celery -A conference worker -l info --concurrency 2

beat: $(BASE_STAMP)
	$(VENV)/bin/celery -A conference beat -l info

test: $(DEV_STAMP) syslibs
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	  $(PY) -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	DATABASE_URL= $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/bandit -q -r conference registration sessions_app onsite logistics cooperation privacy demo -x '*/migrations/*,*/tests/*' -ll
	$(VENV)/bin/lint-imports

audit: $(DEV_STAMP)
	$(VENV)/bin/pip-audit --skip-editable || echo "pip-audit could not reach its service; floors are checked by tests/test_advisories.py"

check-deploy: $(BASE_STAMP)
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$(openssl rand -hex 40 2>/dev/null || echo check-deploy-$$RANDOM-$$RANDOM-$$RANDOM-$$RANDOM-$$RANDOM-abcdefghijklmnop) \
	  ALLOWED_HOSTS=accord.example.org $(PY) manage.py check --deploy --fail-level WARNING

bench: $(DEV_STAMP) syslibs
	@for script in $(filter-out bench/common.py bench/locustfile.py,$(wildcard bench/*.py)); do echo "== $$script"; DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)_bench} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} $(PY) $$script || exit 1; done

messages: $(DEV_STAMP)
	$(PY) manage.py makemessages -l fr -l ar --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'static/vendor/*'
	$(PY) manage.py makemessages -d djangojs -l fr -l ar --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'static/vendor/*'
	@# The .po files are the only source of the translations (edit them with Poedit, Weblate or a text editor).
	@# What is still to translate or to check (untranslated or fuzzy), per catalog:
	@for po in locale/*/LC_MESSAGES/*.po; do \
	  echo "$$po: $$(msgfmt --statistics -o /dev/null "$$po" 2>&1)"; \
	  msgattrib --untranslated --no-obsolete --no-wrap "$$po" | grep '^msgid ' | tail -n +2 | sed 's/^/  to translate: /'; \
	  msgattrib --only-fuzzy --no-obsolete --no-wrap "$$po" | grep '^msgid ' | sed 's/^/  fuzzy, to check: /'; \
	done

compilemessages: $(BASE_STAMP)
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf var
