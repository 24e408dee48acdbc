# Set-up and everyday commands. Each target creates .venv when it is missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DLPATH_DATA ?= $(abspath $(CURDIR)/../shared/data)
export DLPATH_DATA

.PHONY: demo test bench install

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(PY)
	$(PY) -m pip install -q -e .

# The main job: train a model on the embedded digits data set (works offline).
demo: install
	$(PY) -m dlpath train digits-mlp

# The whole test suite (installs the test extra: pytest, hypothesis, torch==2.13.0 CPU).
test: $(PY)
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m pytest -q

# Speed against PyTorch (prints samples/s and ratios); not part of the tests.
bench: $(PY)
	$(PY) -m pip install -q -e '.[test]'
	for b in mlp cnn lstm transformer; do $(PY) benchmarks/bench_$$b.py || exit 1; done
