# Two commands: `make run` serves the demo, `make test` runs the whole suite (`make lint` checks
# the code's mistakes and layout).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi
# Development only: a key kept in instance/ so sessions survive restarts of `make run`.
DEV_KEY_FILE := instance/dev-secret-key

.PHONY: run test lint bench clean

$(BIN)/activate: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/activate

$(DEV_KEY_FILE):
	mkdir -p instance
	$(PYTHON) -c "import secrets; print(secrets.token_hex(32))" > $(DEV_KEY_FILE)
	chmod 600 $(DEV_KEY_FILE)

run: $(BIN)/activate $(DEV_KEY_FILE)
	SECRET_KEY=$$(cat $(DEV_KEY_FILE)) $(FLASK) db upgrade
	@if [ ! -f instance/.demo-loaded ]; then \
		SECRET_KEY=$$(cat $(DEV_KEY_FILE)) $(FLASK) demo > instance/demo-logins.txt && touch instance/.demo-loaded; \
	fi
	@echo; cat instance/demo-logins.txt; echo
	@echo "Redline on http://$(HOST):$(PORT)/ (mails: instance/mail/*.eml and the console)"
	SECRET_KEY=$$(cat $(DEV_KEY_FILE)) MAIL_FOLDER=$${MAIL_FOLDER:-instance/mail} \
		MAIL_SEND_INTERVAL=$${MAIL_SEND_INTERVAL:-5} PUBLIC_URL=$${PUBLIC_URL:-http://$(HOST):$(PORT)} \
		$(FLASK) run --host $(HOST) --port $(PORT)

test: $(BIN)/activate
	$(BIN)/pytest

# `ruff check` for mistakes, `ruff format --check` for layout: CI fails on either.
LINTED := redline tests bench config.py wsgi.py
lint: $(BIN)/activate
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

bench: $(BIN)/activate
	for b in bench/*_bench.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
