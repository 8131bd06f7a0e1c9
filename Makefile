# Every target sets itself up: it creates .venv and installs nmnlp when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.nmnlp-installed
DEMO_OUT ?= demo-report

.PHONY: demo test lint eval-negex mtsamples bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)  ## analyse the shipped demo notes and print where the report is
	$(BIN)/nmnlp run corpora/demo --out $(DEMO_OUT) --overwrite

test: $(STAMP)  ## run the test suite
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check nmnlp tests scripts

eval-negex: $(STAMP)  ## assertion scores on ../shared/data/negex (skips when absent)
	$(BIN)/python scripts/eval_negex.py

mtsamples: $(STAMP)  ## run over ../shared/data/mtsamples (skips when absent)
	$(BIN)/python scripts/run_mtsamples.py

bench: $(STAMP)  ## throughput vs stock medspaCy and spaCy tokenisation (about 10 min on 5,000 notes)
	$(BIN)/python scripts/bench.py --out bench.json

clean:
	rm -rf $(VENV) $(DEMO_OUT) build *.egg-info
