# The two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test bootstrap lint messages benchmark clean

bootstrap:
	@scripts/bootstrap.sh

run: bootstrap
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DEBUG=1 $(PY) manage.py load_demo --url http://$(HOST):$(PORT)/
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: bootstrap
	.venv/bin/ruff check .
	.venv/bin/pytest -n 2 $(PYTEST_ARGS)

lint: bootstrap
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

messages: bootstrap
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore='.venv' --ignore='static'

benchmark: bootstrap
	DEBUG=1 $(PY) scripts/benchmark.py $(BENCHMARK_ARGS)

clean:
	rm -rf .venv media-dev db.sqlite3 db.sqlite3-wal db.sqlite3-shm
