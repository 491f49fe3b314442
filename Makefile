# Two commands on a fresh machine with Python 3.11:  make run  /  make test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-install lint check bench

$(STAMP): pyproject.toml
	@echo "make: creating the virtual environment in $(VENV) ..."
	$(PYTHON) -m venv $(VENV)
	@echo "make: installing the bot and its test tools (about a minute the first time) ..."
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@echo "make: compiling the search kernels once, so the first start need not (about 20 seconds) ..."
	$(PY) -m index.precompile
	@touch $(STAMP)
	@echo "make: installed."

install: $(STAMP)

run: $(STAMP)
	$(PY) -m bot run $(ARGS)

test: $(STAMP)
	@echo "make: running the test suite (10 to 16 minutes on two cores: the answer-quality tests refit the models 15 times) ..."
	$(PY) -m pytest $(PYTEST_ARGS)

test-install: $(STAMP)
	@echo "make: installing the project into a fresh virtual environment, then running it elsewhere ..."
	$(PY) -m pytest -m slow $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .

check: $(STAMP)
	$(PY) -m bot check

# The benchmark is a developer's tool, not part of the bot: it lives in benchmarks/ (not
# installed) and runs from the project root.
bench: $(STAMP)
	$(PY) -m benchmarks.bench_scale $(ARGS)
