# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
LANGS := $(patsubst bot/locales/%/LC_MESSAGES,%,$(wildcard bot/locales/*/LC_MESSAGES))
PO := $(foreach l,$(LANGS),bot/locales/$(l)/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run chat web test lint fmt typecheck check-content bench locales extract rasa test-rasa clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "preventbot needs Python 3.11+"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

locales: $(MO)

## Start the bot: on Telegram when TELEGRAM_BOT_TOKEN is set, else the local chat.
run: $(STAMP) locales
	$(BIN)/preventbot run

chat: $(STAMP) locales
	$(BIN)/preventbot chat

## The prevention services' workspace on http://127.0.0.1:8080 (`preventbot web --help`).
web: $(STAMP) locales
	$(BIN)/preventbot web

## Lint, type checks, content check and the whole test suite.
test: $(STAMP) locales lint typecheck check-content
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot nlu tests bench
	$(BIN)/ruff format --check bot nlu tests bench

## Format and fix what ruff can fix by itself.
fmt: $(STAMP)
	$(BIN)/ruff check --fix bot nlu tests bench
	$(BIN)/ruff format bot nlu tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check-content: $(STAMP)
	$(BIN)/preventbot content check

bench: $(STAMP) locales
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/telegram.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/retrain.py
	$(BIN)/python bench/replicas.py

## Rasa 3.6 in its own venv (.venv-rasa, needs Python 3.8-3.10): build var/rasa from config.yml
## and nlu/data, validate, train, serve `rasa run --enable-api` on 127.0.0.1:5005; use it with
## PREVENTBOT_NLU=rasa. First run ~11 min (install ~4 min and 2.7 GB, training ~6.5 min).
rasa:
	scripts/rasa/rasa.sh serve

## tests/nlu against the Rasa server (started and stopped here): ~11 min when it must train
## first, ~2.5 min with a trained model (22 s start-up, ~110 s of tests).
test-rasa: $(STAMP)
	scripts/rasa/rasa.sh test

## Re-extract interface strings and merge them into the catalogs (then translate the .po files).
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -k N_ -o bot/locales/messages.pot bot
	$(BIN)/pybabel update --no-fuzzy-matching -w 99 -i bot/locales/messages.pot -d bot/locales -D messages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache $(MO)
