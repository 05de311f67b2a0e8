# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pywb pins redis==2.10.6 and fakeredis<1.0, which RQ (redis>=5) cannot share an environment with: pywb gets a venv of
# its own inside ours, and its two commands are linked into ours (tests and benches run `.venv/bin/wayback`).
PYWB := $(VENV)/pywb
# Debian packages the tests drive for real: a browser (Playwright with /usr/bin/chromium) and a Redis server.
DEBIAN_PACKAGES := chromium redis-server
DEBIAN_COMMANDS := /usr/bin/chromium /usr/bin/redis-server

.PHONY: demo test lint bench clean system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(PYTHON) -m venv $(PYWB)
	$(PYWB)/bin/pip install --quiet 'pywb>=2.8'
	ln -sf ../pywb/bin/wayback ../pywb/bin/wb-manager $(BIN)/
	touch $(STAMP)

# Installs the Debian packages when one is missing and we are root; otherwise says exactly what to install.
system-packages:
	@missing=""; for command in $(DEBIAN_COMMANDS); do [ -x "$$command" ] || missing="$$missing $$(basename $$command)"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing Debian packages: $(DEBIAN_PACKAGES)"; \
			DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
		else \
			echo "missing:$$missing. Install them with: sudo apt-get install $(DEBIAN_PACKAGES)" >&2; exit 1; \
		fi; \
	fi

demo: $(STAMP)
	$(BIN)/portal-archive demo --db demo-data/archive.db

test: $(STAMP) system-packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/wayback.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/ocop.py
	$(BIN)/python bench/warc.py
	$(BIN)/python bench/walk.py
	$(BIN)/python bench/recrawl.py
	$(BIN)/python bench/rescue.py
	$(BIN)/python bench/whole_portal.py
	$(BIN)/python bench/national.py

clean:
	rm -rf $(VENV) demo-data bench/results *.egg-info
