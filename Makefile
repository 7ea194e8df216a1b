# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
LANGS := fr nl de en
PO := $(foreach l,$(LANGS),bot/locales/$(l)/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run chat test lint typecheck check-content bench locales extract rasa test-rasa clean

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

## Lint, type checks, content check and the whole test suite.
test: $(STAMP) locales lint typecheck check-content
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot nlu tests bench
	$(BIN)/ruff format --check bot nlu tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check-content: $(STAMP)
	$(BIN)/preventbot content check

bench: $(STAMP) locales
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/telegram.py
	$(BIN)/python bench/reminders.py

## Re-extract interface strings and merge them into the catalogs (then translate the .po files).
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -k N_ -o bot/locales/messages.pot bot
	$(BIN)/pybabel update --no-fuzzy-matching -i bot/locales/messages.pot -d bot/locales -D messages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache $(MO)
