# The two commands of the README: `make run` (set up and start with demo data) and `make test` (the whole suite).
# Everything else here is a step of those two, or a tool for developers.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
CHROMIUM := /usr/bin/chromium
SYSTEM_PACKAGES := chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils
# The CJK font embedded in the certificates (services/certificates.py looks for these files, or CERTIFICATE_FONT).
CERT_FONT_PACKAGE := fonts-wqy-microhei
CERT_FONTS := /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc /usr/share/fonts/truetype/wqy/wqy-microhei.ttc \
  /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_USER ?= postgres
# pytest: quiet, no cache folder; extra options with `make test PYTEST_ARGS="-k roster"`.
PYTEST_ARGS ?=
PYTEST := env -u PLAYWRIGHT_BROWSERS_PATH PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pytest -q -p no:cacheprovider

.PHONY: help venv translations messages db demo fonts run test test-pg browser lint bench

help:
	@echo "make run      set everything up, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test     set everything up and run the whole test suite (SQLite)"
	@echo "make test-pg  the whole suite against a throw-away PostgreSQL database on $(PG_HOST):$(PG_PORT)"
	@echo "make lint     ruff check and ruff format --check"
	@echo "make messages extract user-facing strings into the Chinese catalogue"
	@echo "make bench    the benchmarks in bench/"

venv: $(STAMP)

# Reinstalled only when a requirements file changed (the stamp is older than it).
$(STAMP): requirements.txt requirements-dev.txt
	@if [ ! -x $(BIN)/python ]; then \
	  $(PYTHON) -m venv $(VENV) || { \
	    echo "Could not create $(VENV). On Debian: apt-get install -y python3-venv" >&2; exit 1; }; \
	fi
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

# Compiles the catalogues (the .mo files are not in git); without any .po file yet there is nothing to do.
translations: venv
	@if [ -d translations ] && [ -n "$$(find translations -name '*.po' -print -quit)" ]; then \
	  $(BIN)/pybabel compile -d translations -f; \
	else \
	  echo "translations: no .po catalogue yet, nothing to compile"; \
	fi

# After changing user-facing strings: extract them, merge into the catalogue, then translate the new entries
# in translations/zh_Hans_CN/LC_MESSAGES/messages.po (tests/unit/test_catalogue.py fails until every one is).
messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l zh_Hans_CN --no-fuzzy-matching

db: venv
	$(FLASK) init-db

# The printed log-ins link to the server `run` starts: the same HOST and PORT (flask reads these variables).
demo: db
	FLASK_RUN_HOST=$(HOST) FLASK_RUN_PORT=$(PORT) $(FLASK) demo --if-empty

# The certificates' CJK font: nothing to do when CERTIFICATE_FONT or a known font file exists; as root it is
# installed with apt-get, anyone else is told how (the server still runs; certificate pages say the same).
fonts:
	@if [ -n "$${CERTIFICATE_FONT:-}" ] && [ -f "$${CERTIFICATE_FONT}" ]; then exit 0; fi; \
	for f in $(CERT_FONTS); do [ -f "$$f" ] && exit 0; done; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "fonts: no CJK font for the certificates; installing $(CERT_FONT_PACKAGE)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -q && apt-get install -y -q --no-install-recommends $(CERT_FONT_PACKAGE); \
	else \
	  echo "fonts: certificates need a CJK font. Install one with: sudo apt-get install -y $(CERT_FONT_PACKAGE)" >&2; \
	  echo "       (or set CERTIFICATE_FONT to a .ttf/.otf/.ttc Chinese font file)" >&2; \
	fi

run: venv translations fonts db demo
	$(FLASK) run --host $(HOST) --port $(PORT)

# Debian's Chromium and a CJK font for the browser tests (Playwright never downloads a browser of its own), and
# pdftoppm, with which the certificate tests look at a rendered page.
# As root they are installed when missing; anyone else is told how.
browser:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$(CHROMIUM)"; \
	if ! fc-list :lang=zh family 2>/dev/null | grep -q . \
	   && ! ls /usr/share/fonts/opentype/noto/NotoSansCJK* /usr/share/fonts/truetype/wqy/wqy-microhei* >/dev/null 2>&1; \
	then missing="$${missing:+$$missing, }a CJK font"; fi; \
	command -v pdftoppm >/dev/null || missing="$${missing:+$$missing, }pdftoppm (poppler-utils, certificate tests)"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "browser: missing $$missing; installing $(SYSTEM_PACKAGES)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -q && apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES); \
	  else \
	    echo "The tests need Debian's Chromium, a CJK font and pdftoppm (missing: $$missing)." >&2; \
	    echo "Install them with: sudo apt-get install -y $(SYSTEM_PACKAGES)" >&2; \
	    exit 1; \
	  fi; \
	fi

# Exit code 5 (nothing collected) is a failure, never a silent success.
test: venv translations browser
	@rc=0; $(PYTEST) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc = 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

# The same suite on a throw-away PostgreSQL database, dropped afterwards whatever happens.
test-pg: venv translations browser
	@name=competition_test_$$$$; \
	createdb -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) $$name; \
	trap 'dropdb -h $(PG_HOST) -p $(PG_PORT) -U $(PG_USER) --if-exists $$name' EXIT; \
	echo "test-pg: database $$name"; \
	rc=0; TEST_DATABASE_URL=postgresql+psycopg://$(PG_USER)@$(PG_HOST):$(PG_PORT)/$$name \
	  $(PYTEST) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc = 5 ]; then echo "make test-pg: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: venv
	@if [ -f bench/run.py ]; then \
	  $(BIN)/python bench/run.py; \
	else \
	  echo "bench: no bench/run.py yet; the benchmarks come with the coverage issue."; \
	fi
