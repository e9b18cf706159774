"""Errors every layer may raise: a leaf module, importing nothing from the game.

A user's mistake is reported as one clear line (file, field, problem), never a traceback: each
layer raises one of these and the command line (or the scene that asked) prints its message.
"""

from __future__ import annotations


class CliError(Exception):
    """A user mistake on the command line (a bad option, level or file): one line on stderr, exit status 2."""


class MissingPackage(Exception):
    """An optional package (fpdf2, PyAV, Pillow) is not installed; ``str()`` is the one line to print."""
