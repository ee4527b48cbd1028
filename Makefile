# Each target sets up what it needs: a fresh clone only needs Python 3.11 and make.
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,embedded]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv with the forum, its dev tools and the embedded PostgreSQL

run: install ## Serve on http://127.0.0.1:8000 (embedded PostgreSQL unless DATABASE_URL is set)
	$(BIN)/forum serve --seed-if-empty

test: install ## Run the whole suite against a real PostgreSQL (TEST_DATABASE_URL or embedded)
	$(BIN)/pytest -n 2 --dist loadfile

lint: install ## Ruff over the code, tests, migrations and benchmarks
	$(BIN)/ruff check forum tests migrations bench
	$(BIN)/ruff format --check forum tests migrations bench

bench-data: install ## Fill the benchmark database: make bench-data ARGS="--posts 100000"
	$(BIN)/python -m bench.generate $(ARGS)

bench: install ## Load-test the forum on the benchmark data (installs wrk if missing)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run $(ARGS)

db-revision: install ## Autogenerate a migration: make db-revision m="what changed"
	$(BIN)/alembic revision --autogenerate -m "$(m)"

.PHONY: help install run test lint db-revision bench-data bench
