# 国培计划信息门户 — the two commands of the README are `make run` and `make test`.
PY := .venv/bin/python
# Material prints an end-of-life banner on every build; it is not actionable here.
export NO_MKDOCS_2_WARNING := 1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run validate build preview test lint lock bench bench-forms bench-search bench-preview

setup:
	@bash scripts/setup.sh

validate: setup
	$(PY) -m site_builder validate

build: validate
	$(PY) -m mkdocs build --strict --quiet

# Serve the site while data/ is edited: only the pages an edit touches are rebuilt.
# PROVINCE=江西省 builds one province's pages (a faster start with national data).
PROVINCE ?=
preview: setup
	$(PY) -m site_builder.preview --host $(HOST) --port $(PORT) $(if $(PROVINCE),--province "$(PROVINCE)")

run: build
	$(PY) -m forms_app --host $(HOST) --port $(PORT)

test: setup
	@bash scripts/system-deps.sh
	@bash scripts/services.sh
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2

lint: setup
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

lock:
	$(PY) -m pip install -q -r requirements.in && $(PY) -m pip freeze > requirements.txt

bench: setup
	$(PY) bench/validate_bench.py
	$(PY) bench/build_bench.py

bench-forms: setup
	$(PY) bench/load_forms.py

bench-search: setup
	@bash scripts/system-deps.sh
	$(PY) bench/search_bench.py

bench-preview: setup
	$(PY) bench/preview_bench.py
