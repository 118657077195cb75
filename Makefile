# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.requirements-installed
PORT   ?= 8501

.PHONY: run test test-fast soak lint typecheck lock bench venv chromium demo docs catalog screenshots clean-store help

help:
	@echo "make run          start the dashboard on http://localhost:$(PORT) (demo data on first start)"
	@echo "make test         install what is needed and run every test, browser tests included"
	@echo "make test-fast    unit and AppTest tests only (no browser), for use while working"
	@echo "make soak         the concurrency tests 30 times in a row (SOAK=N)"
	@echo "make lint         ruff check of the code, the tests, the scripts and the benchmark"
	@echo "make typecheck    mypy over swgdash/"
	@echo "make lock         compile pyproject.toml's dependencies to requirements.txt, hashed (UPGRADE=name to move one)"
	@echo "make bench        measure speed and memory; results in bench/RESULTS.md"
	@echo "make demo         regenerate the bundled demo extract in data/demo/ and its IATI sample"
	@echo "make docs         regenerate the contract tables of docs/extract-format.md and the settings table of README.md"
	@echo "make catalog      extract the messages from the code and update the Lao catalog (docs/translating.md)"
	@echo "make screenshots  write a PNG of every page to docs/screenshots/"

# requirements.txt is the lock: every package pinned with its hashes, compiled from pyproject.toml (make lock).
$(STAMP): requirements.txt
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null && [ "$$(id -u)" = "0" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

# Browser tests use Debian's Chromium (and the two-server rig Debian's nginx); install them when
# missing and we are root.
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null || [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium and nginx ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils nginx >/dev/null; \
	  else \
	    echo "Missing: run 'sudo apt-get install chromium poppler-utils nginx' (browser tests, charts on slides, PDF checks, the two-server rig)"; \
	    exit 1; \
	  fi; \
	fi

run: venv
	$(BIN)/python -m streamlit run server.py --server.port $(PORT)

# Two runs: everything but the browser tests on both cores (pytest-xdist), then the browser tests on both
# cores too, a test module per worker (--dist loadfile: a module's server and its tests stay together;
# much of a browser test is waiting on its server or Chromium, so two at once take 12.6 min, not 18).
test: venv chromium
	$(BIN)/python -m pytest -m 'not browser' -n 2 --dist worksteal tests/unit tests/app
	$(BIN)/python -m pytest -m browser -n 2 --dist loadfile tests/browser

# Everything but the browser tests (tests/browser/) and the slow end-to-end variants of tests whose fast
# variant runs here (marked slow), on both cores (pytest-xdist): while working;
# `make test` before you stop.
test-fast: venv
	$(BIN)/python -m pytest -m 'not browser and not slow' -n 2 --dist worksteal tests/unit tests/app

# The concurrency tests (publishers racing against both stores) 30 times in a row, each a new
# process: a race that loses one run in thirty fails here (SOAK=N for another count).
SOAK ?= 30
soak: venv
	for i in $$(seq $(SOAK)); do $(BIN)/python -m pytest -q -p no:cacheprovider -m concurrency tests/unit \
	  || { echo "soak: run $$i of $(SOAK) failed"; exit 1; }; done; echo "soak: $(SOAK) runs passed"

# Zero findings in both, as `make test` passes (rules and settings in pyproject.toml).
LINTED := swgdash pages tests scripts bench dashboard.py server.py
lint: venv
	$(BIN)/ruff check $(LINTED)
	$(BIN)/python scripts/check_lock.py

typecheck: venv
	$(BIN)/mypy

# The lock from pyproject.toml's dependencies and groups (test, dev): every other pin in requirements.txt is
# kept as it is; UPGRADE=name (or name==version) moves one package. Then `make venv` installs it.
lock: venv
	$(BIN)/uv pip compile pyproject.toml --group test --group dev --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" --quiet -o requirements.txt $(if $(UPGRADE),--upgrade-package "$(UPGRADE)")

# Measured speed (not a test): BENCH_SCALES=demo,100,1000 for the largest scale.
bench: venv
	$(BIN)/python bench/run.py
	$(BIN)/python -m bench.cli_speed
	$(BIN)/python -m bench.signin
	$(BIN)/python -m bench.first_page
	$(BIN)/python -m bench.iati_import

demo: venv
	$(BIN)/python scripts/make_demo.py
	$(BIN)/python scripts/make_demo_iati.py

docs: venv
	$(BIN)/python scripts/write_docs.py

# The messages people read, from the code to swgdash/locale/messages.pot, then merged into each
# language's catalog (new messages arrive untranslated; `make test` fails until they are translated).
catalog: venv
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-wrap --sort-by-file \
	  --project "SWG Dashboard" --omit-header -o swgdash/locale/messages.pot . 
	$(BIN)/pybabel update -i swgdash/locale/messages.pot -d swgdash/locale --no-wrap --ignore-obsolete --no-fuzzy-matching

screenshots: venv chromium
	$(BIN)/python scripts/screenshots.py docs/screenshots
	$(BIN)/python scripts/screenshots_handoff.py docs/screenshots/handoff
	$(BIN)/python scripts/screenshots_pack.py docs/screenshots/pack

clean-store:
	rm -rf data/store
