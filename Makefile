# Two entry points, each self-contained on a fresh machine with Python 3.11, make and bash:
#   make results   set up .venv, then rebuild every result with Snakemake
#   make test      set up .venv, then lint, format-check and run the tests
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup results rerun test lint browser benchmarks clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --quiet -e '.[dev]'
	touch $@

setup: $(STAMP)

# Quiet by default: progress (jobs done / total, the job just finished) and errors in full;
# Snakemake's complete log stays in .snakemake/log/. `make results VERBOSE=1` prints
# Snakemake's own output (every job's rule, inputs and outputs); SNAKEMAKE_ARGS passes options.
SNAKEMAKE_ARGS ?=
ifeq ($(strip $(VERBOSE)),)
WORKFLOW = bash -o pipefail -c '$(BIN)/snakemake --cores all $(SNAKEMAKE_ARGS) 2>&1 | $(BIN)/python -m sciteff.report.terminal'
else
WORKFLOW = $(BIN)/snakemake --cores all $(SNAKEMAKE_ARGS)
endif

results: setup
	$(WORKFLOW)

# Scheduled reruns: keep the previous results, rebuild, then write results/changes.md (what
# changed against results.previous/), after Snakemake has finished, whether it succeeded or not.
rerun: setup
	if [ -d results ]; then rm -rf results.previous && cp -a results results.previous; fi
	status=0; $(WORKFLOW) || status=$$?; \
	$(BIN)/python -m sciteff.report.changes results.previous results; exit $$status

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(BIN)/snakemake --lint

# The report's browser test needs Debian's chromium (installed here if missing; needs root).
browser:
	command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: lint browser
	$(BIN)/pytest

# Speed: rerun the benchmarks and rewrite their README tables in place (ratios against
# baselines measured in the same run; R Benchmarking is used when Rscript finds it). Slow
# (about 10-20 minutes); not part of `make test`. The scale table is rebuilt from the
# recorded runs (the runs themselves take up to 20 minutes each: see README, Scale).
benchmarks: setup
	$(BIN)/python benchmarks/bench_dea.py --readme
	$(BIN)/python benchmarks/bench_malmquist.py --readme
	$(BIN)/python benchmarks/bench_bootstrap.py --readme
	$(BIN)/python benchmarks/bench_cli_startup.py
	$(BIN)/python benchmarks/bench_scale.py --table benchmarks/scale_results.jsonl \
		--since 2026-12-02T03:50:00Z --readme

clean:
	rm -rf results .snakemake
