"""The help card names the keys the screens answer."""

from __future__ import annotations


def test_the_help_card_lists_every_key_the_screens_answer() -> None:
    from glassbox_game.scenes.overlays import LECTURE_SHORTCUTS, SHORTCUTS

    keys = " ".join(k for k, _ in [*SHORTCUTS, *LECTURE_SHORTCUTS])
    for key in ("M", "T / I", "H", "[ / ]", "Ctrl + S", "F11", "Page Down"):
        assert key in keys, key
