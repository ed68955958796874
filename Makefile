# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app service
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test venv dev-venv translations assets lint typecheck pytest pytest-sqlite pytest-postgres browser-deps bench clean

# Every Python package (pip and setuptools too) comes pinned and hashed from requirements-dev.lock
# (README: "Upgrading dependencies"); a changed lock reinstalls. Then the project itself, editable,
# with no dependency resolution of its own and the locked setuptools as its build backend.
$(VENV)/.installed: pyproject.toml requirements.lock requirements-dev.lock
	python3 -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $@

venv: $(VENV)/.installed

translations: venv
	$(VENV)/bin/pybabel compile -d translations

# The BPMN editor's bundle (bpmn-js), built from the npm registry with the lock file; never committed.
EDITOR_BUNDLE := service/platform/web/static/editor/modeler.js
$(EDITOR_BUNDLE): package.json package-lock.json $(wildcard frontend/*)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build

assets: $(EDITOR_BUNDLE)

# `make run PORT=5077 HOST=0.0.0.0`: where the development server listens. A busy port is refused
# before anything touches the database.
HOST ?= 127.0.0.1
PORT ?= 5000

run: venv translations assets
	$(FLASK) check-port --host $(HOST) --port $(PORT)
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) deploy
	$(FLASK) serve --host $(HOST) --port $(PORT)

lint: venv
	$(VENV)/bin/ruff check service tests bench migrations gunicorn.conf.py
	$(VENV)/bin/lint-imports

typecheck: venv
	$(VENV)/bin/mypy

browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "installing Debian's chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
		|| echo "WARNING: could not install chromium; browser tests will be skipped"; \
	fi

# Both database passes run on pytest-xdist workers (`make test PYTEST_WORKERS=0` for one process); each
# worker has its own SQLite files and its own PostgreSQL databases named after PG_TEST_URL's
# (tests/conftest.py). The SQLite pass runs everything but the PostgreSQL-only tests; the PostgreSQL pass
# runs only the tests whose outcome depends on the database (marked `db` or `postgres` from the fixtures
# they use), so a test without a database runs once. The browser tests share one server, one Chromium and
# one artifacts folder, so they run in one process of their own (xdist 3.8's --dist loadgroup, which could
# keep them on one worker, does not group under pytest 9.2).
PYTEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest -q -p no:cacheprovider

pytest-sqlite: venv translations assets
	$(PYTEST) -n $(PYTEST_WORKERS) -m "not postgres and not browser"
	$(PYTEST) -m browser

pytest-postgres: venv translations
	TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -n $(PYTEST_WORKERS) -m "(db or postgres) and not browser"

test: venv translations assets browser-deps lint typecheck pytest-sqlite pytest-postgres

bench: venv translations
	$(PY) bench/bench_platform.py

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
