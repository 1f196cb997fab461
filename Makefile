# Layer by Layer: `make book` builds the website, `make test` runs every test (the book build included).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test lab clean setup

setup: $(STAMP)

# The virtual environment: pinned requirements, then the package itself (editable).
$(STAMP): requirements.txt code/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e ./code
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going
	@echo "The book is built: open _build/html/index.html"

test: $(STAMP)
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going
	$(BIN)/python -m pytest tests

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=.

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
