"""Glassbox: a game that trains a tiny neural network in a glass box."""

import os

# pygame prints a banner on import unless told not to; the game and its tools never want it.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

__version__ = "0.1.0"
