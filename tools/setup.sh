#!/usr/bin/env bash
# Create .venv and install Glassbox into it (editable). "dev" adds the test tools.
# On a fresh Debian machine python3 may lack venv/ensurepip: install python3-venv if we can.
set -euo pipefail
cd "$(dirname "$0")/.."
extra=""
[ "${1:-}" = "dev" ] && extra="[dev]"
stamp=".venv/.glassbox-installed${extra:+-dev}"
if [ -f "$stamp" ] && [ "$stamp" -nt pyproject.toml ]; then
  exit 0
fi
# the test set-up installs the game too: playing after testing needs nothing more
if [ -z "$extra" ] && [ -f .venv/.glassbox-installed-dev ] && [ .venv/.glassbox-installed-dev -nt pyproject.toml ]; then
  exit 0
fi
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c "import ensurepip" >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing python3-venv (needed to create .venv)…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    echo "Python's venv module is missing: run 'sudo apt-get install python3-venv' and try again." >&2
    exit 1
  fi
fi
echo "Setting up Glassbox (first run, about a minute)…"
# pip and setuptools talk a lot: keep it in a log, and show the log only if something fails
log=$(mktemp "${TMPDIR:-/tmp}/glassbox-setup.XXXXXX.log")
if ! { [ -x .venv/bin/python ] || python3 -m venv .venv; } >"$log" 2>&1; then
  cat "$log" >&2; echo "Setting up Glassbox failed (log above, also in $log)." >&2; exit 1
fi
.venv/bin/python -m pip install -q --upgrade pip >>"$log" 2>&1 || true
if ! .venv/bin/python -m pip install -q -e ".${extra}" >>"$log" 2>&1; then
  cat "$log" >&2; echo "Setting up Glassbox failed (log above, also in $log)." >&2; exit 1
fi
rm -f "$log"
touch "$stamp"
echo "Glassbox is set up."
