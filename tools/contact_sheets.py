"""Contact sheets: every screen of the game, small, one sheet per window size (docs/screenshots/contact/).

Usage: .venv/bin/python tools/contact_sheets.py [SIZE ...]   (default 1280x720 1920x1080 3840x2160)
       a SIZE@2 (e.g. 1920x1080@2) makes the sheet at 200 % text: contact-1920x1080-text200.png
Each sheet is composed with pygame (no extra dependency) from one frame of every screen the tour
visits, at 100 % text in the dark theme with the light lecture theme; under each thumbnail, the
screen's name and the number of layout problems the fit check found there (0 is the goal).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
_tmp = tempfile.mkdtemp()
for var in ("GLASSBOX_CONFIG_DIR", "GLASSBOX_DATA_DIR", "HOME"):
    os.environ[var] = str(Path(_tmp) / var.lower())
    Path(os.environ[var]).mkdir(parents=True, exist_ok=True)

import pygame  # noqa: E402

from glassbox_game import tour  # noqa: E402
from glassbox_game.app import App  # noqa: E402
from glassbox_game.cli import build_parser  # noqa: E402
from glassbox_game.kit import text_log  # noqa: E402
from glassbox_game.kit.fonts import Fonts  # noqa: E402

COLUMNS = 8
THUMB_W = 400
OUT = ROOT / "docs" / "screenshots" / "contact"


def sheet(size: str, scale: float = 1.0) -> Path:
    args = build_parser().parse_args(["menu", "--headless", "--resolution", size])
    app = App(args, [])
    app.start("menu", args)
    app.update_settings(text_scale=scale, theme="dark", lecture_theme="lecture-light")
    shots: list[tuple[str, pygame.Surface, int]] = []
    for name in tour.tour(app):
        cap = tour.capture(app, name)
        w, h = cap.surface.get_size()
        thumb = pygame.transform.smoothscale(cap.surface, (THUMB_W, round(THUMB_W * h / w)))
        shots.append((name, thumb, len(tour.problems(cap))))
    app.shutdown()
    pygame.display.init()
    pygame.font.init()
    fonts = Fonts()
    label_h = 28
    tw, th = shots[0][1].get_size()
    rows = -(-len(shots) // COLUMNS)
    gap = 12
    out = pygame.Surface((COLUMNS * (tw + gap) + gap, rows * (th + label_h + gap) + gap + 40))
    out.fill((24, 26, 32))
    title = fonts.render(f"Glassbox — every screen at {size} (text {scale:.0%}, dark / lecture-light)", 22,
                         (230, 234, 242), True)
    out.blit(title, (gap, 10))
    for k, (name, thumb, n) in enumerate(shots):
        x = gap + (k % COLUMNS) * (tw + gap)
        y = 40 + gap + (k // COLUMNS) * (th + label_h + gap)
        out.blit(thumb, (x, y))
        colour = (140, 200, 140) if n == 0 else (240, 120, 100)
        out.blit(fonts.render(f"{name} · {n} problems", 16, colour), (x, y + th + 4))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / (f"contact-{size}.png" if scale == 1.0 else f"contact-{size}-text{round(scale * 100)}.png")
    pygame.image.save(out, str(path))
    return path


def main(argv: list[str]) -> int:
    text_log.start()
    for spec in argv or ["1280x720", "1920x1080", "3840x2160"]:
        size, _, scale = spec.partition("@")
        print(sheet(size, float(scale or 1.0)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
