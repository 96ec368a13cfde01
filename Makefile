# Two commands for a newcomer: `make site` and `make test`. Everything else is installed by them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PROJECT ?= examples/demo
OUT    ?= site
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve validate test unit-test site-test browser spelling bench bench-spreadsheets reference clean help

help:
	@echo "make site      — установить зависимости, проверить демонстрационный проект и собрать сайт в site/"
	@echo "make serve     — предпросмотр с автообновлением при изменении данных, templates/, content/"
	@echo "make test      — установить всё для тестов и запустить все тесты"
	@echo "make validate  — только проверить данные"
	@echo "make publish DEST=DIR — собрать, проверить и атомарно заменить сайт в DIR"
	@echo "make bench     — замеры скорости и памяти"
	@echo "make bench-spreadsheets — чтение результатов из CSV, .xlsx и .ods разными библиотеками"
	@echo "make reference — пересобрать эталон tests/reference/mini/ (только если вывод изменён намеренно)"

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/python -m generator validate --project $(PROJECT)

site: $(STAMP)
	$(BIN)/python -m generator validate --project $(PROJECT)
	$(BIN)/python -m generator build --project $(PROJECT) --out $(OUT)
	@echo "Сайт собран в $(OUT)/. Откройте его: make serve (http://127.0.0.1:8000/)"
	@echo "или: $(BIN)/python -m http.server --directory $(OUT) --bind 127.0.0.1 8000"

serve: $(STAMP)
	$(BIN)/python -m generator serve --project $(PROJECT)

browser: $(STAMP)
	bash site_tests/install.sh

# Debian's hunspell and Russian dictionary for tests/test_spelling.py (installed only if missing).
spelling:
	bash tests/install-spelling.sh

# Unit and integration tests, then the browser suite against a fresh build of the demo.
test: $(STAMP) browser spelling
	$(BIN)/python -m pytest tests
	$(BIN)/python -m generator build --project $(PROJECT) --out $(OUT) --quiet
	SITE_DIR=$(CURDIR)/$(OUT) $(BIN)/python -m pytest site_tests

unit-test: $(STAMP) spelling
	$(BIN)/python -m pytest tests

# Reference output of tests/fixtures/mini (Markdown, open data, charts, embeds, feed), which
# tests/test_reference.py compares with a fresh build on every test run. Regenerate it only when a
# change of the output is intended, then review git diff tests/reference/. A failed build leaves
# the stored tree as it was.
reference: $(STAMP)
	$(BIN)/python tests/reference.py

clean:
	rm -rf $(OUT) .build .cache test-output

# make publish DEST=DIR: build into a temporary folder next to DIR, check the built site (links,
# archive checksums, no foreign resources), and only then swap it into DIR in one step; when
# anything fails DIR keeps the previous site. See docs/publishing.md.
ifneq ($(filter publish,$(MAKECMDGOALS)),)
ifeq ($(strip $(DEST)),)
$(error Укажите папку сайта: make publish DEST=/путь/к/папке/сайта)
endif
endif
.PHONY: publish
# make itself always exits 2 when a recipe fails, so the recipe names the generator's own code
# (0 done, 1 a fault of the machine or the generator, 2 bad data); CI calls the CLI directly.
publish: $(STAMP)
	@$(BIN)/python -m generator publish --project $(PROJECT) --dest $(DEST); code=$$?; \
	if [ $$code -ne 0 ]; then echo "make publish: код выхода генератора $$code ($$( [ $$code -eq 2 ] && echo 'ошибка в данных' || echo 'сбой машины или генератора')); make сообщает свой код 2, в CI вызывайте python -m generator publish" >&2; fi; \
	exit $$code

# Scale benchmark (not a test): synthetic data for N = 100, 1000, 5000 schools, phase timings, peak RSS,
# output sizes, cold and warm builds. Several minutes on 2 cores; results in bench-output/results.md.
# Fewer sizes: make bench BENCH_ARGS="--sizes 100 1000"
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/spreadsheets.py

# Reading results at 5,000 schools × 6 years × 12 measures from CSV, .xlsx and .ods, by every reader
# considered (issue #24); results in bench-output/spreadsheets/results.md. About 4 minutes.
bench-spreadsheets: $(STAMP)
	$(BIN)/python bench/spreadsheets.py $(SPREADSHEET_ARGS)
