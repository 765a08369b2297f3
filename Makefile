# 红色物业工作台 — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PORT ?= 5000
RUNTIME_DEBS := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
TEST_DEBS := chromium poppler-utils

FLASK := $(VENV)/bin/flask --app wsgi
# The PDFs' face for common characters (scripts/build_pdf_font.py; not in git).
PDF_FONT := static/fonts/hongye-pdf-sans.otf

.PHONY: run serve test test-sqlite test-postgres deps bench clean

$(VENV)/.installed: requirements.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

deps: $(VENV)/.installed
	@bash scripts/ensure-debian-packages.sh $(RUNTIME_DEBS)
	@$(MAKE) --no-print-directory $(PDF_FONT)

## Built once, after fonts-noto-cjk and fontTools (a WeasyPrint dependency) are there.
$(PDF_FONT): scripts/build_pdf_font.py
	$(VENV)/bin/python scripts/build_pdf_font.py $@

## Serve the app on http://127.0.0.1:$(PORT) with the demo street (SQLite under instance/):
## the schema upgrade and the demo street first (each once), then the dev server with the
## background-job consumer as a thread.
run: deps
	$(FLASK) db upgrade
	$(FLASK) demo-data --if-empty
	HONGYE_INPROCESS_JOBS=1 $(FLASK) run --host 127.0.0.1 --port $(PORT)

## Production-style: upgrade once, then gunicorn (gunicorn.conf.py) and the job consumer
## as its own process. See the README's deployment section.
serve: deps
	bash scripts/serve.sh

## The whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set.
test: deps
	@bash scripts/ensure-debian-packages.sh $(TEST_DEBS)
	env -u TEST_DATABASE_URL $(VENV)/bin/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
	  $(VENV)/bin/pytest -m "not browser"; \
	fi

test-sqlite: deps
	env -u TEST_DATABASE_URL $(VENV)/bin/pytest

test-postgres: deps
	$(VENV)/bin/pytest -m "not browser"

## Benchmarks: each script builds its own data and prints its figures.
bench: deps
	@bash scripts/ensure-debian-packages.sh wrk
	@for f in bench/*.py; do echo "== $$f"; $(VENV)/bin/python $$f || exit 1; done

clean:
	rm -rf $(VENV) instance/*.sqlite3* $(PDF_FONT)
