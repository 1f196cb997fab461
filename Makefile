# Layer by Layer: `make book` builds the website, `make test` runs every test (the book build included).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# MathJax for the site and axe-core for the browser tests, pinned, from the npm registry (tools/fetch_vendor.py)
VENDOR := _assets/.vendor-stamp.json
# JupyterLab opens the .md chapters as notebooks (jupytext's viewer is made their default)
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
# The editions (tools/editions.py): English into _build/html, Korean into _build/html/ko.
# `make book LANGS=en` builds one alone. Each is `jupyter-book build . -W -n --keep-going` with its
# language; they share one execution of the chapters (tools/build_book.py says how).
LANGS ?= en ko
BOOK_BUILD := $(BIN)/python tools/build_book.py --langs $(LANGS)
# The translated editions' catalogues: locales/<lang>/LC_MESSAGES/*.po (locales/README.md)
TRANSLATIONS := ko

.PHONY: book test lab clean setup browser locales

setup: $(STAMP) $(VENDOR)

# The virtual environment: pinned requirements, then the package itself (editable).
# requirements.txt pins every package, dependencies included, so it is installed as it stands
# (--no-deps) and `pip check` proves nothing is missing. That lets it leave out two optional
# packages a dependency's extra would pull in (jupyter-events wants jsonschema[format-nongpl]):
# rfc3987-syntax and its lark. jsonschema imports them when present, in every chapter's kernel
# (glue -> nbformat -> jsonschema), and they compile 39 grammars at import: 1.3 s per chapter,
# for URI format checks nothing in the book makes.
$(STAMP): requirements.txt code/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.txt
	$(BIN)/python -m pip check
	$(BIN)/python -m pip install --quiet --no-deps -e ./code
	touch $(STAMP)

# The site serves its own JavaScript: nothing loads from a CDN at read time.
$(VENDOR): tools/fetch_vendor.py
	$(PYTHON) tools/fetch_vendor.py

$(LAB_SETTINGS): tools/jupyterlab-overrides.json $(STAMP)
	mkdir -p $(dir $@)
	cp tools/jupyterlab-overrides.json $@

# The browser tests use Debian's Chromium (never a downloaded browser) and need a Korean font for
# the screenshots. Only `make test` installs system packages; `make book` needs none.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation)
	@fc-list :lang=ko 2>/dev/null | grep -q . || (apt-get update && apt-get install -y --no-install-recommends fonts-nanum fontconfig)

book: setup
	$(BOOK_BUILD)
	@echo "The book is built: open _build/html/index.html (한국어: _build/html/ko/index.html)"

# The gettext build extracts the English messages into _build/gettext/*.pot, which
# tests/test_locales.py compares with the catalogues (every message translated, none fuzzy).
test: setup browser $(LAB_SETTINGS)
	$(BOOK_BUILD)
	$(BIN)/python tools/build_book.py --gettext
	$(BIN)/python -m pytest tests

# After editing the English: extract its messages and merge them into every catalogue; new
# messages come in empty, changed ones fuzzy. Then translate them (locales/README.md).
locales: setup
	$(BIN)/python tools/build_book.py --gettext
	$(BIN)/sphinx-intl update --pot-dir _build/gettext --locale-dir locales $(addprefix --language ,$(TRANSLATIONS))

# --allow-root only when run as root (containers, CI machines): JupyterLab refuses root otherwise
lab: setup $(LAB_SETTINGS)
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf _build .pytest_cache .hypothesis
	find locales -name "*.mo" -delete
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

# Benchmarks (issue 7): installs the optional peers (PyTorch CPU, threadpoolctl; never requirements of
# the book) into .venv, runs every benchmark and writes benchmarks/results/latest.json and scaling.json.
# Extra arguments: make bench BENCH_ARGS="--threads 1 --note 'quiet machine'" (see benchmarks/README.md).
.PHONY: bench
bench: setup
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements.txt
	$(BIN)/python -m pytest -q -p no:cacheprovider benchmarks/test_torch_peer.py
	MAKE_BENCH=1 $(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)
