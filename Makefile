# Two commands do all set-up on a fresh machine:
#   make demo   - install into .venv and check the demo article
#   make test   - install into .venv (with test extras) and run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   := corpora/us-uk-putin-talks

.PHONY: demo test bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# re-install when the project metadata changes
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/tq check $(DEMO)/it.txt $(DEMO)/en.txt

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/tq bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
