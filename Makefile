# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: run test setup install lint format messages bench bench-http lock clean

# Another port: make run PORT=8001 (links in emails follow it)
PORT ?= 8000
run setup: export SITE_URL ?= http://127.0.0.1:$(PORT)

run: setup ## Set everything up and serve the site at http://127.0.0.1:8000
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# One test process per core (at most 4); the test databases are kept between runs.
# Start from fresh ones with: make test PYTEST_ARGS=--create-db
TEST_PROCESSES ?= auto

test: install ## Run the whole test suite
	$(BIN)/pytest -n $(TEST_PROCESSES) --maxprocesses 4 $(PYTEST_ARGS)

setup: install
	$(BIN)/python manage.py reset_old_layout
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --port $(PORT)

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install ## Refresh and compile the translation catalogues (needs GNU gettext)
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete --no-location --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'private-media/*'
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

bench: setup ## Requests per second of the main pages against a bare view
	$(BIN)/python manage.py bench

# Over HTTP under production settings: gunicorn, PostgreSQL and Redis (the local ones unless
# DATABASE_URL and REDIS_URL say otherwise); the table goes to docs/benchmark.md.
bench-http: install ## Requests per second over HTTP under production settings
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/9} \
	$(BIN)/python manage.py bench_http $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .test-media .test-db*

lock: ## Re-pin constraints.txt to what the bounds in pyproject.toml resolve to today
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e '.[dev]'
	(echo '# Exact versions every machine installs (pip install -c constraints.txt). Refresh: make lock'; \
	 .lock-venv/bin/python -m pip freeze --exclude-editable) > constraints.txt
	rm -rf .lock-venv
