#!/usr/bin/env bash
# Set up (first run only) and launch Glassbox. Extra arguments go to the game: ./play.sh sandbox
set -euo pipefail
cd "$(dirname "$0")"
bash tools/setup.sh >&2
exec .venv/bin/glassbox "$@"
