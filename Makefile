# mock-interview: `make run` starts the app, `make test` runs the tests.
# Both install whatever is missing first (system packages, .venv, the package and its model).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# espeak-ng: the interviewer's voice; libportaudio2: microphone and speaker;
# libsndfile1: audio files; pulseaudio, pulseaudio-utils, libasound2-plugins: the
# virtual sound server of the end-to-end tests; tmux: drives the app in those tests.
SYSTEM_PACKAGES := espeak-ng libportaudio2 libsndfile1 pulseaudio pulseaudio-utils libasound2-plugins tmux sqlite3

.PHONY: setup system-deps run test test-fast bench clean

setup: system-deps $(STAMP)

system-deps:
	@scripts/install-system-deps.sh $(SYSTEM_PACKAGES)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: setup
	$(BIN)/mock-interview $(ARGS)

# The tests run with no network: in a namespace without interfaces where that is
# allowed (root), and in every case with internet sockets blocked (tests/nonet).
NO_NETWORK := $(shell unshare -n true 2>/dev/null && echo "unshare -n --")

test: setup
	@echo "Running the tests with no network ($(if $(NO_NETWORK),network namespace and ,)sockets blocked)"
	PYTHONPATH=$(CURDIR)/tests/nonet $(NO_NETWORK) $(BIN)/python -m pytest -q -rs $(PYTEST_ARGS)

test-fast: setup
	PYTHONPATH=$(CURDIR)/tests/nonet $(BIN)/python -m pytest -q -m "not real_model and not e2e" $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/accuracy.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
