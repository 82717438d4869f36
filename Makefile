# SC KIS: build, run and test.
#
#   make run    install what is missing, prepare the database, seed demo data,
#               serve on http://127.0.0.1:8000
#   make test   install what is missing (plus PostgreSQL, Chromium, axe-core),
#               run pytest against a throwaway PostgreSQL cluster
#               (extra pytest arguments: make test PYTEST_ARGS='-k pdf -x')
#   make lint   ruff check + ruff format --check
#   make bench  time the rendering of each PDF document (SQLite in a temp dir)
#   make clean  remove generated files (make distclean: also .venv, node_modules)
#
# Works on Debian 12 / Ubuntu 24.04 as root or as a sudo user, without stdin.
# Longer shell logic lives in scripts/.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:
MAKEFLAGS += --no-print-directory

PY     := .venv/bin/python
MANAGE := $(PY) manage.py
OS_ID  := $(shell . /etc/os-release 2>/dev/null && echo $$ID)

# System packages. WeasyPrint needs pango/pangoft2 (harfbuzz, fontconfig come
# with them; harfbuzz-subset makes rendering ~3x faster) and a font;
# compilemessages needs gettext; graphviz's dot draws Formularz 4's diagram.
APT_RUN  := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
            libfontconfig1 fonts-dejavu-core gettext graphviz
# Tests add a PostgreSQL server, Chromium (Debian's deb; Ubuntu's is a snap,
# see scripts/chromium-path.sh) and npm unless some npm is already installed.
APT_TEST := $(APT_RUN) postgresql \
            $(if $(filter debian,$(OS_ID)),chromium) \
            $(if $(shell command -v npm),,nodejs npm)

# Django apps/project folders that hold translations (compilemessages would
# otherwise walk .venv and node_modules too).
LOCALE_DIRS := $(wildcard locale */locale)

.PHONY: help run test lint clean distclean apt-run apt-test venv npm-deps \
        prepare test-in-db bench

help:
	@sed -n '1,/^$$/s/^# \{0,1\}//p' Makefile

# Prerequisites run left to right (.NOTPARALLEL).
run: apt-run venv prepare
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

test: apt-test venv npm-deps
	@chromium=$$(scripts/chromium-path.sh); \
	CHROMIUM_PATH=$$chromium DJANGO_ALLOW_ASYNC_UNSAFE=true \
	    scripts/with-postgres.sh $(MAKE) test-in-db

# Runs inside scripts/with-postgres.sh (DATABASE_URL is set). pytest's exit
# code 5 ("no tests collected") counts as a failure.
test-in-db: prepare
	@echo "==> pytest $(PYTEST_ARGS)"
	@rc=0; $(PY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

apt-run:
	@scripts/apt-ensure.sh $(APT_RUN)

apt-test:
	@scripts/apt-ensure.sh $(APT_TEST)

# The script makes its own SQLite database in a temporary folder.
bench: apt-run venv
	$(PY) scripts/bench_documents.py

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

venv:
	@scripts/venv.sh

npm-deps: node_modules/.stamp

node_modules/.stamp: package.json package-lock.json
	@echo "==> npm ci"
	@npm ci --silent --no-audit --no-fund
	@test -f node_modules/axe-core/axe.min.js
	@touch $@

prepare:
	@echo "==> migrate, compilemessages, collectstatic"
	@$(MANAGE) migrate --noinput -v 0
	@$(if $(LOCALE_DIRS),$(MANAGE) compilemessages -v 0 \
	    --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=var,true)
	@$(MANAGE) collectstatic --noinput -v 0

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache *.egg-info
	find . -path ./.venv -prune -o -path ./node_modules -prune -o \
	    -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf .venv node_modules
