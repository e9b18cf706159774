"""``python -m glassbox_game`` is the same as the ``glassbox`` command."""

import sys

from glassbox_game.cli import main

sys.exit(main())
