# The two commands: `make book` builds every output, `make test` runs the tests.
# Each sets up what it needs on first use (Debian packages, .venv, npm tools).

VENV   := .venv
PY     := $(VENV)/bin/python
BUILT  := $(VENV)/.installed-build
TESTED := $(VENV)/.installed-test
NODE   := node_modules/.installed

.PHONY: book pdf epub html kindle handouts release check test test-fast lint clean setup setup-build

book: $(BUILT)
	$(PY) build.py all

pdf epub html kindle handouts release check: $(BUILT)
	$(PY) build.py $@

test: $(TESTED) $(NODE)
	$(PY) -m pytest

test-fast: $(TESTED) $(NODE)
	$(PY) -m pytest -m "not slow"

lint: $(TESTED)
	$(VENV)/bin/ruff check folio tests build.py

setup: $(TESTED) $(NODE)

setup-build: $(BUILT)

$(BUILT): pyproject.toml scripts/install-system-packages.sh
	sh scripts/install-system-packages.sh build
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(TESTED): $(BUILT) pyproject.toml scripts/install-system-packages.sh
	sh scripts/install-system-packages.sh test
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

$(NODE): package.json package-lock.json $(TESTED)
	PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf output .pytest_cache
