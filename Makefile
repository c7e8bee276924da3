# `make test` and `make mnist` set up .venv themselves on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SETUP := $(VENV)/.setup-done

.PHONY: setup lint format test demo mnist bench clean

setup: $(SETUP)

$(SETUP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[demos,test]"
	touch $(SETUP)

lint: $(SETUP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(SETUP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(PY) -m pytest -q

demo: $(SETUP)
	$(PY) -m demos.moons

mnist: $(SETUP)
	$(PY) -m demos.mnist train

bench: $(SETUP)
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache
