# Sumber Daya: `make run` (install, migrate, demo data, serve) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/sumberdaya_ci

.PHONY: run test install lint typecheck test-sqlite test-postgres messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
	$(BIN)/python -m sumberdaya.keyfile >/dev/null

run: install
	$(BIN)/sumberdaya migrate --no-input
	$(BIN)/sumberdaya demo
	# The report worker (django-tasks database backend) runs beside the server and stops with it.
	$(BIN)/sumberdaya db_worker & worker=$$!; trap "kill $$worker" EXIT INT TERM; $(BIN)/sumberdaya runserver $(HOST)

lint: install
	$(BIN)/ruff check sumberdaya tests bench
	$(BIN)/mypy sumberdaya
	$(BIN)/lint-imports

# Two workers (pytest-xdist): the suite is about twice as fast on a 2-core machine; each worker has its own
# test database.
TEST_WORKERS ?= 2

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS)

test-postgres: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS)

test: lint test-sqlite test-postgres

messages: install
	cd sumberdaya && ../$(BIN)/sumberdaya makemessages -l en --ignore 'surveys/*' --ignore '*/migrations/*'
	cd sumberdaya/surveys && ../../$(BIN)/sumberdaya makemessages -l en
	cd sumberdaya && ../$(BIN)/sumberdaya compilemessages

bench: install
	$(BIN)/python bench/recap.py
	$(BIN)/python bench/submit.py

clean:
	rm -rf $(VENV) var/static
