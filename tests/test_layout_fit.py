"""Nothing collides, nothing is clipped: every screen, drawn once, with every text's box recorded.

The game's text surfaces record where they land (glassbox_game.kit.text_log); the tour
(glassbox_game.tour) visits title, level select, each level's briefing, play and debrief, the
sandbox with each layer preset, the dialogs and overlays, and each lecture beat. A screen fails on
text outside its panel, text cut by a clip or an edge, text shortened with "…", or two texts on
each other. The quick subset always runs; the whole matrix (3 window sizes × 2 text scales, the two
colour themes alternating, the tour cut into six shards the test workers share) is marked slow: `./test.sh --quick` skips it,
`pytest -m slow tests/test_layout_fit.py` runs it alone.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from glassbox_game import tour
from glassbox_game.kit import text_log
from tests.app.helpers import make_app

SIZES = ("1280x720", "1920x1080", "3840x2160")
SCALES = (1.0, 2.0)
THEMES = (("dark", "lecture-light"), ("light", "lecture-dark"))


@pytest.fixture(scope="module")
def log() -> Iterator[None]:
    text_log.start()
    yield
    text_log.stop()


_APPS: dict[str, object] = {}


@pytest.fixture(scope="module")
def apps(log) -> Iterator[dict[str, object]]:
    """One app per window size, shared by every test in this module (settings change between)."""
    yield _APPS
    for app in _APPS.values():
        app.shutdown()  # type: ignore[attr-defined]
    _APPS.clear()


def app_at(apps: dict[str, object], size: str, scale: float, themes: tuple[str, str]):
    app = apps.get(size)
    if app is None:
        app = apps[size] = make_app("menu", "--resolution", size)
    app.update_settings(text_scale=scale, theme=themes[0], lecture_theme=themes[1])  # type: ignore[attr-defined]
    return app


def check(app, **which) -> tuple[int, list[str]]:
    found: list[str] = []
    names = []
    for name in tour.tour(app, **which):
        found += tour.problems(tour.capture(app, name))
        names.append(name)
    if which.get("parts") and "dialogs" in which["parts"]:
        assert tuple(n for n in names if n in tour.DIALOG_SCREENS or (n.startswith("dialog-") and "-page-" not in n)) \
            == tour.DIALOG_SCREENS, names  # (big text: the help's further pages follow it)
    return len(names), found


def report(size: str, scale: float, themes: tuple[str, str], found: list[str]) -> str:
    head = f"{len(found)} layout problems at {size}, text {scale:.0%}, {themes[0]}/{themes[1]}:"
    return "\n".join([head, *found[:40], *(["…"] if len(found) > 40 else [])])


# -- the quick subset (every run) ----------------------------------------------------------------
QUICK = {"parts": frozenset({"menu", "levels", "sandbox", "playground", "dialogs", "lecture"}), "levels": [10, 13],
         "beats": [7, 12], "presets": ["2-8-8-8-8-1"]}


@pytest.mark.parametrize("size", SIZES)
def test_a_sample_of_screens_fits_at_normal_text(apps, size: str) -> None:
    app = app_at(apps, size, 1.0, THEMES[0])
    n, found = check(app, **QUICK)
    assert n >= 15
    assert not found, report(size, 1.0, THEMES[0], found)


def test_the_recorder_sees_a_collision_and_a_cut(log) -> None:
    """The check itself: two texts on one spot, and one text half outside its panel, are found."""
    import pygame

    pygame.init()
    from glassbox_game.kit.theme import make_theme

    theme = make_theme("dark", (640, 360))
    screen = text_log.screen((640, 360))
    with text_log.panel("left", pygame.Rect(0, 0, 200, 360)):
        screen.blit(theme.text("first words", "name"), (10, 10))
        screen.blit(theme.text("second words", "name"), (14, 12))
        screen.blit(theme.text("runs past the edge", "name"), (150, 100))
    problems = tour.problems(tour.Capture("probe", screen, [("probe", screen.records)]))
    assert any("overlaps" in p for p in problems)
    assert any("runs outside left" in p for p in problems)


# -- the whole matrix (slow) -----------------------------------------------------------------
def _shards() -> dict[str, dict]:
    """The whole tour cut into parts of a few seconds each, so two test workers share the matrix."""
    from glassbox_game.lecture_script import load_lecture_script
    from glassbox_game.levels import shipped_levels

    n_levels, n_beats = len(shipped_levels()), len(load_lecture_script(tour.LECTURE).beats)
    half_l, half_b = (n_levels + 1) // 2, (n_beats + 1) // 2
    return {
        "menu+dialogs": {"parts": frozenset({"menu", "dialogs"})},
        "sandbox": {"parts": frozenset({"sandbox", "playground"})},
        "levels-a": {"parts": frozenset({"levels"}), "levels": list(range(1, half_l + 1))},
        "levels-b": {"parts": frozenset({"levels"}), "levels": list(range(half_l + 1, n_levels + 1))},
        "lecture-a": {"parts": frozenset({"lecture"}), "beats": list(range(half_b))},
        "lecture-b": {"parts": frozenset({"lecture"}), "beats": list(range(half_b, n_beats))},
    }


SHARDS = _shards()


def _expected(which: dict) -> int:
    """How many screens the tour visits for one shard."""
    from glassbox_game.ui.params_panel import LAYER_PRESETS

    parts = which["parts"]
    return (2 if "menu" in parts else 0) + (len(tour.DIALOG_SCREENS) if "dialogs" in parts else 0) \
        + (len(LAYER_PRESETS) if "sandbox" in parts else 0) \
        + (len(tour.PLAYGROUND_SCREENS) if "playground" in parts else 0) \
        + (3 * len(which["levels"]) if "levels" in parts else 0) + (len(which["beats"]) if "lecture" in parts else 0)


def test_the_shards_cover_the_whole_tour() -> None:
    from glassbox_game.lecture_script import load_lecture_script
    from glassbox_game.levels import shipped_levels

    parts = set().union(*(w["parts"] for w in SHARDS.values()))
    assert parts == {"menu", "levels", "sandbox", "playground", "dialogs", "lecture"}
    levels = sorted(k for w in SHARDS.values() for k in w.get("levels", []))
    beats = sorted(k for w in SHARDS.values() for k in w.get("beats", []))
    assert levels == list(range(1, len(shipped_levels()) + 1))
    assert beats == list(range(len(load_lecture_script(tour.LECTURE).beats)))
    assert sum(_expected(w) for w in SHARDS.values()) == EXPECTED_SCREENS


# Colour themes do not move a text box (a theme is a palette plus the text scale and the lecture
# flag, both pairs hold one lecture theme), so each size × text scale runs one pair, alternating:
# each pair still runs at every size and at every text scale.
MATRIX = [pytest.param(size, scale, THEMES[(i + k) % 2], id=f"{size}-text{scale:.0%}-{'+'.join(THEMES[(i + k) % 2])}")
          for i, size in enumerate(SIZES) for k, scale in enumerate(SCALES)]


@pytest.mark.slow
@pytest.mark.parametrize("shard", list(SHARDS))
@pytest.mark.parametrize(("size", "scale", "themes"), MATRIX)
def test_every_screen_fits(apps, size: str, scale: float, themes: tuple[str, str], shard: str) -> None:
    app = app_at(apps, size, scale, themes)
    n, found = check(app, **SHARDS[shard])
    assert n >= _expected(SHARDS[shard])  # (more when big text puts the help on pages)
    assert not found, report(size, scale, themes, found)


def _count_screens() -> int:
    from glassbox_game.lecture_script import load_lecture_script
    from glassbox_game.levels import shipped_levels
    from glassbox_game.ui.params_panel import LAYER_PRESETS

    menus, dialogs = 2, len(tour.DIALOG_SCREENS)
    return menus + 3 * len(shipped_levels()) + len(LAYER_PRESETS) + len(tour.PLAYGROUND_SCREENS) + dialogs \
        + len(load_lecture_script(tour.LECTURE).beats)


EXPECTED_SCREENS = _count_screens()
