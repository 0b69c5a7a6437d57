# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEV := NOTES_ENV=development

.PHONY: install run test lint bench bench-instructions clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

## make run: migrate, load the demo network, serve on http://127.0.0.1:5000 with the mail worker
## beside it (development mail is printed here); Ctrl-C stops both.
run: install
	$(DEV) $(BIN)/notes-app db upgrade
	$(DEV) $(BIN)/notes-app demo
	$(DEV) $(BIN)/notes-app worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(DEV) $(BIN)/gunicorn --bind 127.0.0.1:5000 --workers 2 --access-logfile - wsgi:app

## make test: lint, then the whole suite (NOTES_TEST_DATABASE_URL picks the database)
test: install
	$(BIN)/ruff check notes_app tests benchmarks
	$(BIN)/ruff format --check notes_app tests benchmarks
	$(BIN)/python -m pytest --cov --cov-report=term:skip-covered -p no:cacheprovider

lint: install
	$(BIN)/ruff check --fix notes_app tests benchmarks
	$(BIN)/ruff format notes_app tests benchmarks

## make bench: the long benchmarks, kept out of the test suite
bench: install
	$(BIN)/python benchmarks/bench_publish.py

## make bench-instructions: the same ratio in CPU instructions under valgrind (steady when busy)
bench-instructions: install
	$(BIN)/python benchmarks/bench_instructions.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .coverage htmlcov
