#!/usr/bin/env bash
# Set up (first run only) and run the tests headless: ruff, mypy, pytest.
#   ./test.sh            everything (what CI runs)
#   ./test.sh --quick    everything but the tests marked slow: the quick edit loop
#   ./test.sh ARGS…      any other arguments go to pytest (e.g. tests/engine -x, -m slow)
# The tests run in two worker processes (the machine has two cores); GLASSBOX_TEST_WORKERS=0 runs
# them in this process instead.
set -euo pipefail
cd "$(dirname "$0")"
bash tools/setup.sh dev >&2
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYGAME_HIDE_SUPPORT_PROMPT=1
args=()
for a in "$@"; do
  if [ "$a" = "--quick" ]; then args+=(-m "not slow"); else args+=("$a"); fi
done
echo "== ruff"; .venv/bin/ruff check glassbox_game tests
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/python -m pytest -n "${GLASSBOX_TEST_WORKERS:-2}" --dist worksteal ${args[@]+"${args[@]}"}
