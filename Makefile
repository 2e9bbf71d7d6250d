# The two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Where links in e-mails and the certificates' QR codes point: the served address, unless given.
SITE_URL ?= http://$(HOST):$(PORT)
RUN_ENV = DEBUG=1 SITE_URL='$(SITE_URL)'
PYTEST_ARGS ?=

.PHONY: run test bootstrap lint messages lifecycles benchmark clean

bootstrap:
	@scripts/bootstrap.sh

run: bootstrap
	$(RUN_ENV) $(PY) manage.py migrate --no-input -v 0
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: bootstrap
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/pytest -n 2 $(PYTEST_ARGS)

lint: bootstrap
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

lifecycles: bootstrap
	$(PY) scripts/update_readme_lifecycles.py

messages: bootstrap
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore='.venv' --ignore='static'

# Needs PostgreSQL (BENCHMARK_DATABASE_URL, default postgres://postgres@127.0.0.1:5432) and wrk.
benchmark: bootstrap
	$(PY) scripts/benchmark.py $(BENCHMARK_ARGS)

clean:
	rm -rf .venv media db.sqlite3 db.sqlite3-wal db.sqlite3-shm
