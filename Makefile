# The two commands (see README):  make site   — check content/, build the site into output/
#                                 make test   — run the whole test suite
# Both create .venv and install everything they need on first use.
# Editors (docs/editors.md): make new TITLE="…" CATEGORY=交管动态 [SLUG=…] [EN=1], make check, make serve.
# Publishing (docs/publishing.md): make publish [SITEURL=https://…] builds into public/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.installed-stamp
OUTPUT ?= output
CONTENT ?= content
# Pelican warnings (a skipped post, an unresolved link) are errors here.
PELICAN_FLAGS ?= --fatal warnings
PORT ?= 8000
# `make publish` output (absolute SITEURL, feeds): what GitHub Pages or the association's server serves.
PUBLISH_OUTPUT ?= public

.PHONY: site publish check new test serve scrape clean system-deps translations translations-extract translations-update screenshots

# `make check`, then Pelican (warnings fatal) into output.building-<pid>/ beside output/, then a link
# check of the result; only a build that passed everything replaces output/ (plugins/sitebuild).
site: $(VENV_STAMP)
	$(BIN)/python -m plugins.sitebuild --content $(CONTENT) --settings pelicanconf.py --output $(OUTPUT)

# The same with publishconf.py (SITEURL from the environment or `make publish SITEURL=…`).
publish: $(VENV_STAMP)
	$(BIN)/python -m plugins.sitebuild --content $(CONTENT) --settings publishconf.py --output $(PUBLISH_OUTPUT)

# Validate every post without building: each problem as `file:line: 问题 / problem — 改法 / fix`.
check: $(VENV_STAMP)
	$(BIN)/python -m plugins.content_check $(CONTENT)

# make new TITLE="…" CATEGORY=交管动态 [SLUG=…] [EN=1]: TITLE, CATEGORY, SLUG and EN are read from the
# environment (make exports command-line variables), so quotes in a title are safe; never overwrites.
new: $(VENV_STAMP)
	$(BIN)/python -m plugins.new_post --content $(CONTENT)

test: $(VENV_STAMP) system-deps
	$(BIN)/pytest

# Live preview on http://localhost:$(PORT) (plugins/preview, docs/editors.md): a saved post's page and
# its column page at once, the rest of the site rebuilt in the background (incremental builds).
# QUICK=1: a faster preview of 简体 and English only, without search (make site builds everything).
serve: $(VENV_STAMP)
	$(BIN)/python -m plugins.preview --content $(CONTENT) --settings pelicanconf.py --output $(OUTPUT) --port $(PORT) $(if $(QUICK),--quick)

scrape: $(VENV_STAMP)
	$(BIN)/python -m scraper crawl --content-dir $(CONTENT)

# --- set-up -----------------------------------------------------------------------
$(VENV_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV_STAMP)

# Debian packages the browser tests need: chromium (driven by Playwright, never a
# downloaded browser) and CJK fonts (without them every Chinese glyph is a box).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "Installing chromium and fonts-noto-cjk with apt-get"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig; \
	fi

# docs/screenshots/: the article, search and print views in each language, from a real build in chromium.
screenshots: $(VENV_STAMP) system-deps
	$(BIN)/python -m plugins.screenshots --content $(CONTENT) --out docs/screenshots

# --- interface translations (Babel) -------------------------------------------------
translations-extract: $(VENV_STAMP)
	$(BIN)/pybabel extract --no-location --project=crsa-news-archive --copyright-holder="CRSA news archive" --msgid-bugs-address="" -F theme/babel.cfg -o theme/translations/messages.pot theme

translations-update: translations-extract
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i theme/translations/messages.pot -d theme/translations

clean:
	rm -rf $(OUTPUT) $(PUBLISH_OUTPUT) __pycache__ .pytest_cache .incremental .search-index

# English translations: list missing/stale ones; STAMP=<file.en.md> records that a
# translation is up to date with its original.
translations: $(VENV_STAMP)
	$(BIN)/python -m plugins.languages.translations --content $(CONTENT) $(if $(STAMP),--stamp "$$STAMP",)

# --- search (plugins/search, docs/search.md) ------------------------------------------
# make search Q=扫黑除恶 [SEARCH_FLAGS="--lang zh-Hant --limit 5 --json"]; run `make site` first.
.PHONY: search
search: $(VENV_STAMP)
	@test -n "$$Q" || { echo 'usage: make search Q=扫黑除恶 [SEARCH_FLAGS="--lang en --json"]'; exit 2; }
	@# Q reaches the shell as an environment variable (make exports command-line variables), so
	@# quotes in it survive: make search Q='"扫黑 除恶"' searches the phrase.
	$(BIN)/python -m plugins.search $(SEARCH_FLAGS) -- "$$Q"

# --- benchmarks (docs/performance.md) ----------------------------------------------
# make bench [BENCH_N=10000] [BENCH_SEED=1] [BENCH_REPEAT=3]: builds, scraper and search against their
# baselines, printed as a table and written to bench/results/latest.json.  One part: python -m bench build|scraper|extraction|search.
BENCH_STAMP := $(VENV)/.bench-stamp
.PHONY: bench
$(BENCH_STAMP): $(VENV_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) system-deps
	$(BIN)/python -m bench
