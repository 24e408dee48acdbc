# Set-up and everyday commands. Each target creates .venv when it is missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DLPATH_DATA ?= $(abspath $(CURDIR)/../shared/data)
export DLPATH_DATA

.PHONY: demo test bench install browser

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(PY)
	$(PY) -m pip install -q -e .

# The main job: train a model on the embedded digits data set (works offline).
demo: install
	$(PY) -m dlpath train digits-mlp
	@echo "Next: $(VENV)/bin/dlpath path  (the learning path), then $(VENV)/bin/dlpath lab start activations"

# The whole test suite (installs the test extra: pytest, hypothesis, torch==2.13.0 CPU,
# selenium, nbclient). The web-page tests drive Debian's chromium: installed here when
# missing and this runs as root on Debian.
test: $(PY) browser
	$(PY) -m pip install -q -e '.[test]'
	$(PY) -m pytest -q

browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && apt-get install -y -q chromium chromium-driver; \
	  else \
	    echo "the web-page tests need chromium and chromium-driver:" \
	         "sudo apt-get install -y chromium chromium-driver"; \
	  fi; \
	fi

# Speed against PyTorch (prints samples/s and ratios); not part of the tests.
bench: $(PY)
	$(PY) -m pip install -q -e '.[test]'
	for b in mlp cnn lstm transformer gan; do $(PY) benchmarks/bench_$$b.py || exit 1; done
