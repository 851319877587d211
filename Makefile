# make run   - create .venv if needed, then open the app on the demo project
# make test  - create .venv if needed, then run every check and test
# make bench - the benchmarks (pytest-benchmark), not part of make test
# make drill - the kill drill with DRILL_KILLS kills (default 400), not part of make test
# make bundle        - a one-folder build in dist/thematic-workbench that runs without Python
# make bundle-check  - build it, then run it on a fresh project (packaging/bundle_check.py)
# make install-desktop   - the applications-menu entry, icons and .thematic file type
#                          for the current user (make uninstall-desktop removes them)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench drill lint clean install-desktop uninstall-desktop bundle bundle-check

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Thematic Workbench needs Python 3.11 or newer; '$(PYTHON)' is older." \
	         "Install python3.11 (or newer) and run: make PYTHON=python3.11 $(MAKECMDGOALS)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
	  { rm -rf $(VENV); echo "Could not create a virtual environment. On Debian or Ubuntu:" \
	         "sudo apt install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	@demo="$$($(PY) -c 'import platformdirs; print(platformdirs.user_data_dir("thematic-workbench"))')/demo.thematic"; \
	  mkdir -p "$$(dirname "$$demo")"; \
	  test -f "$$demo" || $(VENV)/bin/thematic-workbench demo "$$demo"; \
	  $(VENV)/bin/thematic-workbench "$$demo"

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest
	$(PY) -m pytest -p no:pytest-qt -p tests.block_qt tests/core tests/io tests/app tests/cli -q

bench: $(STAMP)
	$(PY) -m pytest tests/benchmarks --benchmark-only -p no:randomly -o addopts=""

drill: $(STAMP)
	TWB_DRILL_KILLS=$${DRILL_KILLS:-400} $(PY) -m pytest -p no:pytest-qt -p tests.block_qt \
	  tests/core/test_kill_drill.py -q -s -p no:randomly -o addopts=""

bundle: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bundle]'
	$(VENV)/bin/pyinstaller packaging/thematic-workbench.spec --noconfirm --log-level WARN \
	  --distpath dist --workpath build/pyinstaller

bundle-check: bundle
	$(PY) packaging/bundle_check.py dist/thematic-workbench/thematic-workbench

install-desktop: $(STAMP)
	$(PY) packaging/install_desktop.py --exec "$(abspath $(VENV))/bin/thematic-workbench"

uninstall-desktop: $(STAMP)
	$(PY) packaging/install_desktop.py --uninstall

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis .benchmarks
