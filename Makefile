# Two commands on a fresh machine:  make demo  and  make test.
# Both create the virtual environment in .venv (if missing) and install what they need.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
IPGRAPH = $(BIN)/ipgraph
CHROMIUM ?= /usr/bin/chromium
# The query page's editor (CodeMirror from npm, bundled by esbuild); git-ignored, in the wheel.
BUNDLE  = src/ipgraph/web/static/editor.js

.PHONY: demo test lint typecheck pytest browser virtuoso bundle benchmarks clean help

help:
	@echo "make demo        install, then show what the graph holds"
	@echo "make test        install test extras and Chromium, then ruff, mypy and pytest"
	@echo "make benchmarks  run benchmarks/ (ratios against the raw libraries)"
	@echo "make bundle      build the query page's editor (npm ci + esbuild) into $(BUNDLE)"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installed once per change of pyproject.toml; the marker records which extras.
$(VENV)/.installed-base: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e '.[server,oxigraph]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-base

# Debian's Chromium for the browser tests (Playwright drives it; no browser download), and a
# CJK font so that Chinese labels render in screenshots.
browser:
	@if [ ! -x $(CHROMIUM) ] || ! fc-list 2>/dev/null | grep -qi wqy; then \
	  echo "installing Debian's chromium and fonts-wqy-microhei for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi
	@$(CHROMIUM) --version

# Debian's Virtuoso 7 for the remote-store tests (tests/virtuoso.py starts its own instance on
# free loopback ports with its own database in a temporary directory; the packaged service is
# neither configured nor started). debconf would ask for a DBA password: none is needed here.
virtuoso:
	@if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then \
	  echo "installing Debian's virtuoso-opensource for the remote-store tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq virtuoso-opensource >/dev/null; \
	fi
	@virtuoso-t -? 2>&1 | sed -n 's/^Version /virtuoso-t /p'

# The editor of the query page: frontend/package-lock.json pins CodeMirror and esbuild; npm ci
# installs exactly those from the npm registry and esbuild bundles frontend/editor.js. Node and
# npm come from Debian when missing. Nothing is fetched when the page runs.
$(BUNDLE): frontend/package.json frontend/package-lock.json frontend/editor.js
	@if ! command -v npm >/dev/null; then \
	  echo "installing Debian's nodejs and npm to build the query page's editor"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	@test -s $@ && touch $@

bundle: $(BUNDLE)

demo: $(VENV)/.installed-base $(BUNDLE)
	@echo "== ipgraph info"
	@$(IPGRAPH) info
	@echo; echo "== ipgraph find 工信部"
	@$(IPGRAPH) find 工信部
	@echo; echo "== ipgraph find 'patent navigation'"
	@$(IPGRAPH) find 'patent navigation' --limit 5
	@echo; echo "== ipgraph show MOF"
	@$(IPGRAPH) show MOF
	@echo; echo "== ipgraph validate"
	@$(IPGRAPH) validate
	@echo; echo "== ipgraph query --list   (named competency queries)"
	@$(IPGRAPH) query --list
	@echo; echo "== ipgraph query --name joint-documents"
	@$(IPGRAPH) query --name joint-documents
	@echo; echo "== ipgraph query --name connections --param entity=财政部"
	@$(IPGRAPH) query --name connections --param entity=财政部
	@echo; echo "== ipgraph query 'SELECT ?region ?zh ...' --format csv"
	@$(IPGRAPH) query 'SELECT ?region ?zh WHERE { ?m a ipg:Mechanism ; ipg:carriedOutIn ?region . ?region rdfs:label ?zh FILTER(lang(?zh) = "zh") } ORDER BY ?region' --format csv
	@echo; echo "== ipgraph path MOF Zhejiang   (how is the Ministry of Finance connected to Zhejiang?)"
	@$(IPGRAPH) path MOF Zhejiang
	@echo; echo "== ipgraph path MOE MOST --via ipg:PolicyDocument --all"
	@$(IPGRAPH) path MOE MOST --via ipg:PolicyDocument --all --lang en
	@echo; echo "== ipgraph neighbors CNIPA --depth 2 --type ipg:Ministry"
	@$(IPGRAPH) neighbors CNIPA --depth 2 --type ipg:Ministry --lang en
	@echo; echo "== ipgraph rank --type ipg:Agency"
	@$(IPGRAPH) rank --type ipg:Agency
	@echo; echo "== ipgraph synth + load: a 20k-triple synthetic graph in a persistent Oxigraph store"
	@rm -rf $(VENV)/demo-kgdb
	@$(IPGRAPH) synth --triples 20000 --seed 1 -o $(VENV)/demo-synth.nt
	@$(IPGRAPH) load --store oxigraph:$(VENV)/demo-kgdb $(VENV)/demo-synth.nt --quiet
	@$(IPGRAPH) path 'Synthetic Ministry of Commerce' 'Anhui (synthetic)' --store oxigraph:$(VENV)/demo-kgdb
	@echo; echo "== ipgraph render --all   (offline HTML graph views)"
	@echo "open this page in a browser (works from file://, no network):"
	@$(IPGRAPH) render --all | sed "s|^|  file://$(CURDIR)/|"
	@echo; echo "serve the graph over SPARQL with: $(IPGRAPH) serve   (then http://127.0.0.1:8000/)"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test $(BUNDLE) browser virtuoso
	IPGRAPH_REQUIRE_VIRTUOSO=1 $(BIN)/python -m pytest

test: lint typecheck pytest

benchmarks: $(VENV)/.installed-test
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache graphs/*.html graphs/site \
	  frontend/node_modules src/ipgraph/web/static
