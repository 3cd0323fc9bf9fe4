# Every target sets up what it needs: a fresh clone only needs python3 and node/npm.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
export CLUBESS_ENV ?= development
# `make run PORT=5001`; mail links follow it unless BASE_URL is set
export PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: venv node_modules run test test-postgres e2e bench bench-scale lint translations messages territories-data geometry-data clean setup

$(VENV)/.stamp-reqs: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.stamp-reqs

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

node_modules: node_modules/.stamp

translations: venv
	@if [ -n "$$(find translations -name '*.po' 2>/dev/null)" ]; then $(BIN)/pybabel compile -d translations >/dev/null; fi

setup: venv translations

# After changing UI strings: extract them (templates/_macros too: babel skips "_" folders unless told),
# update the English catalogue, then translate its empty entries; the French catalogue holds only the plural
# forms (French says « 0 document »), written by scripts/french_plurals.py.
messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs ".* node_modules __pycache__" -o /tmp/clubess-messages.pot .
	$(BIN)/pybabel update -i /tmp/clubess-messages.pot -d translations -l en --no-fuzzy-matching -w 120
	$(BIN)/python scripts/french_plurals.py /tmp/clubess-messages.pot

run: setup
	$(FLASK) db upgrade
	$(FLASK) territories load
	$(FLASK) practices thesaurus
	$(FLASK) practices reindex
	$(FLASK) demo load --if-empty
	@echo "Serving http://127.0.0.1:$(PORT) (demo accounts in README.md)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: setup node_modules
	$(BIN)/python -m pytest tests --ignore=tests/e2e $(PYTEST_ARGS)

test-postgres: setup node_modules
	@test -n "$(TEST_DATABASE_URL)" || { echo "Set TEST_DATABASE_URL=postgresql+psycopg://user:password@127.0.0.1:5432/db"; exit 2; }
	TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python -m pytest tests --ignore=tests/e2e $(PYTEST_ARGS)

e2e: setup node_modules
	@test -x /usr/bin/chromium || { echo "Browser tests need Debian's Chromium: apt-get install chromium"; exit 2; }
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/search.py --sizes $${SEARCH_SIZES:-5000,50000}
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then \
	  $(BIN)/python bench/search.py --sizes $${SEARCH_SIZES:-5000,50000} --database-url "$(BENCH_DATABASE_URL)"; \
	else echo "search bench on PostgreSQL: set BENCH_DATABASE_URL=postgresql+psycopg://user:password@127.0.0.1/db (emptied first)"; fi
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/invitations.py
	$(BIN)/python bench/press.py
	$(BIN)/python bench/reset_timing.py
	$(BIN)/python bench/signin_sheet.py
	$(BIN)/python bench/territory_map.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/lists.py
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then $(BIN)/python bench/territory_map.py --database-url "$(BENCH_DATABASE_URL)"; fi
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then $(BIN)/python bench/signin_sheet.py --database-url "$(BENCH_DATABASE_URL)"; fi
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then $(BIN)/python bench/press.py --database-url "$(BENCH_DATABASE_URL)"; fi
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then $(BIN)/python bench/matching.py --database-url "$(BENCH_DATABASE_URL)"; fi
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then $(BIN)/python bench/dashboard.py --database-url "$(BENCH_DATABASE_URL)"; fi
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then $(BIN)/python bench/lists.py --database-url "$(BENCH_DATABASE_URL)"; fi

# The region at full size on PostgreSQL (BENCH_DATABASE_URL, emptied first), every page family under load:
# `make bench-scale SCALE_ARGS="--practices 50000"`; a small try without PostgreSQL: SCALE_ARGS="--sqlite --practices 500"
bench-scale: setup
	@if [ -z "$(BENCH_DATABASE_URL)" ] && ! echo "$(SCALE_ARGS)" | grep -q -- --sqlite; then \
	  echo "Set BENCH_DATABASE_URL=postgresql+psycopg://user:password@127.0.0.1/db (it is emptied first)"; exit 2; fi
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python bench/scale.py $(SCALE_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check clubess tests bench scripts config.py wsgi.py

# Rebuild clubess/data/territories-<region>.json from the official dataset (maintainers only).
territories-data: venv node_modules
	$(BIN)/python scripts/build_territories.py --region $${CLUB_REGION_CODE:-11}

# Rebuild clubess/data/geometry-<region>.json (the map's shapes) from ../shared/data/geo (maintainers only).
geometry-data: venv node_modules
	$(BIN)/python scripts/build_geometry.py --region $${CLUB_REGION_CODE:-11} $(if $(GEO_SOURCE),--source $(GEO_SOURCE))

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find translations -name '*.mo' -delete
