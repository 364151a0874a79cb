# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/udsat demo --out output

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# The report's browser tests drive Debian's chromium (Playwright's own download does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# Two workers: the default demo's tests and the rest run side by side (tests/conftest.py).
test: lint browser
	$(BIN)/pytest -n 2 --dist loadgroup

# Every wheel udsat and its runtime dependencies need, for a machine without internet (README.md:
# "Install without internet"). Defaults: this machine's platform and $(PYTHON)'s version; e.g.
#   make wheelhouse PLATFORM=win_amd64 PYTHON_VERSION=3.11 [WHEELHOUSE=folder]
PLATFORM ?=
PYTHON_VERSION ?=
WHEELHOUSE ?= wheelhouse
.PHONY: wheelhouse
wheelhouse:
	$(PYTHON) scripts/wheelhouse.py --out '$(WHEELHOUSE)' \
	  $(if $(PLATFORM),--platform '$(PLATFORM)') $(if $(PYTHON_VERSION),--python-version '$(PYTHON_VERSION)')

clean:
	rm -rf $(VENV) output .cache
