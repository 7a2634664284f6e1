# The two commands a learner needs:  make lab  (open the course)  and  make test  (run every check).
# Both create .venv and install the course into it the first time, and reuse it afterwards.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.seqkeras-installed
JAX_STAMP := $(VENV)/.seqkeras-jax-installed
SITE_STAMP := $(VENV)/.seqkeras-site-installed
# The MkDocs plugins print a notice about MkDocs' future on every run; the build is unaffected.
MKDOCS := NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(BIN)/mkdocs
# The notebooks too (ruff reads .ipynb): solution and learner copies, so the generator's stubs are linted.
LINTED := seqkeras tests data/curate.py data/train_translator.py conftest.py docs notebooks
KERNEL := seqkeras
# Test files run side by side in this many processes (pytest-xdist; each notebook stays whole in
# one process). Two suits a 2-core laptop: each worker's TensorFlow (or JAX) then gets one thread
# (conftest.py shares the cores out), which trains faster in all than two processes of two threads.
# The costly files go first (conftest.py orders them; --no-loadscope-reorder keeps that order).
# JOBS=0 runs everything in one process.
JOBS ?= 2
XDIST := -n $(JOBS) --dist loadfile --no-loadscope-reorder
# JupyterLab refuses to run as root (containers, some cloud machines) unless told it may.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help install lab test test-jax test-jax-full lint unit grade notebooks execute bench translator site serve clean

help:
	@echo "make lab        open JupyterLab on notebooks/ (installs into .venv on first use)"
	@echo "make test       run the whole suite: unit tests, then every notebook under nbval"
	@echo "make test-jax   the unit tests and the solution notebooks again (quick mode), on Keras' JAX backend"
	@echo "make test-jax-full  the same at full training settings, every claim checked on JAX (slow)"
	@echo "make lint       ruff: lint and format check of seqkeras/, tests/ and the notebooks"
	@echo "make unit       unit tests only (fast)"
	@echo "make grade      your scoreboard: every learner notebook run (quick mode), each exercise's outcome"
	@echo "make notebooks  regenerate the learner notebooks from notebooks/solutions/ (never over your answers)"
	@echo "make execute    regenerate, then re-run every notebook in place to refresh stored outputs"
	@echo "make bench      time each lesson's main model per training batch, Keras' default against XLA (a few minutes)"
	@echo "make translator retrain the translator lesson 08 loads into data/ (maintainers; about 30 min on 2 cores)"
	@echo "make site       build the course website into site/ from the committed notebooks (no execution)"
	@echo "make serve      serve the website at http://127.0.0.1:8000, rebuilding when a file changes"

# Re-install only when the dependency list changes; the package itself is installed editable.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (seqkeras)" >/dev/null
	@touch $(STAMP)

install: $(STAMP)

$(JAX_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,jax]'
	@touch $(JAX_STAMP)

$(SITE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,site]'
	@touch $(SITE_STAMP)

lab: install
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/

test: install
	$(BIN)/python -m pytest $(XDIST)

# The course promises backend-agnostic Keras 3: the same tests, with JAX doing the maths
# (all but the website's two, which run no Keras). In CI the solution notebooks run in quick mode
# on JAX (every cell, with the training budgets cut by budget(); lessons 00-02 have none), so
# that the whole run fits in its time; test-jax-full trains at full settings and checks every
# claim on JAX too (about half an hour on two cores).
JAX_TESTS := tests notebooks/solutions --ignore=tests/test_site.py --ignore=tests/test_site_browser.py
test-jax: $(JAX_STAMP)
	KERAS_BACKEND=jax SEQKERAS_QUICK=1 $(BIN)/python -m pytest $(XDIST) $(JAX_TESTS)

test-jax-full: $(JAX_STAMP)
	KERAS_BACKEND=jax SEQKERAS_QUICK=0 $(BIN)/python -m pytest $(XDIST) $(JAX_TESTS)

lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

unit: install
	$(BIN)/python -m pytest $(XDIST) tests

# Grade your own work: each learner notebook run top to bottom in quick mode on a fresh kernel (the
# files are not changed) and one scoreboard of every exercise. NB picks notebooks, GRADE adds options:
#   make grade NB=notebooks/04_lstm_gru.ipynb GRADE="--strict --junit grades.xml --json grades.json"
grade: install
	$(BIN)/python -m seqkeras.grade $(NB) $(GRADE)

# A learner notebook that holds your answers is left alone (and named); FORCE=1 regenerates it anyway.
notebooks: install
	$(BIN)/python -m seqkeras.exercises build $(if $(filter 1,$(FORCE)),--force)

execute: notebooks
	$(BIN)/python -m seqkeras.exercises execute

# Maintainers: how fast each lesson's main model trains here (ms per batch, GFLOP/s), with Keras'
# default and with XLA on TensorFlow. On JAX: KERAS_BACKEND=jax make bench (once make test-jax has
# installed JAX). Not a test: it times.
bench: install
	$(BIN)/python -m seqkeras.bench

# Maintainers only: retrain the attention translator that lesson 08 (part 2) loads, deterministically
# for its seed, and write data/translator_en_zh.npz (8-bit weights). Then copy the printed sha256
# into seqkeras/data.py (REGISTRY) and data/README.md. A learner never needs this: the file is here.
translator: install
	$(BIN)/python data/train_translator.py

# Strict: a broken link, a missing image or a notebook that fails to render stops the build.
site: $(SITE_STAMP)
	$(MKDOCS) build --strict
	@du -sh site | sed 's/\t.*//; s/^/site\/ is /'

serve: $(SITE_STAMP)
	$(MKDOCS) serve

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache site .cache
