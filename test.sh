#!/usr/bin/env bash
# Set up (first run only) and run the whole test suite headless: ruff, mypy, pytest.
set -euo pipefail
cd "$(dirname "$0")"
bash tools/setup.sh dev >&2
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYGAME_HIDE_SUPPORT_PROMPT=1
echo "== ruff"; .venv/bin/ruff check glassbox_game tests
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/python -m pytest "$@"
