# `make run` and `make test` are all a fresh machine needs (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements

# A local run is a demo: debug pages, demo accounts (override: `make run DEMO_MODE=false`).
# Only for run/prepare: the tests must see the same defaults as production.
run prepare: export DEBUG ?= true
run prepare: export DEMO_MODE ?= true
run prepare: export WEB_PORT ?= 8000

.PHONY: install run prepare test test-services lint messages clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

prepare: install
	mkdir -p var/broker/out var/broker/processed var/broker/control var/media
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seeds
	$(BIN)/python manage.py esign_init
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: prepare
	$(BIN)/honcho --procfile Procfile start

test: install
	$(BIN)/pytest

test-services: install
	$(BIN)/pytest -m services

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install
	$(BIN)/python manage.py makemessages --locale en --ignore '.venv/*' --ignore 'tests/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf var staticfiles
