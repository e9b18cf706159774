"""``glassbox lecture SCRIPT --export-slides DIR``: every beat's final frame as a PNG, and one PDF of them.

A beat's final frame is the state a presenter reaches by pressing Next through all of the beat's
phase steps: the lecture rebuilds it exactly (as Page Up does), then frames are drawn until the last
stepped phase has finished playing its packets. The PDF has one page per beat, the PNG at the page's full size.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from glassbox_game.errors import CliError

SETTLE_FRAMES = 6  # frames drawn after a beat's end state has stopped moving
SETTLE_LIMIT = 180  # at most three seconds of game time waiting for a stepped phase's packets
PDF_NAME = "slides.pdf"


def slide_name(number: int, title: str) -> str:
    """``01-meet-the-glass-box.png``: sorted in beat order, readable in a file list."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-")
    return f"{number:02d}-{slug}.png" if slug else f"{number:02d}.png"


def export_slides(app: Any, scene: Any, folder: Path) -> list[Path]:
    """Save the final frame of every beat of ``scene``'s script into ``folder``; returns the PNG paths."""
    import pygame

    from glassbox_game.app import FRAME_DT

    paths = []
    for k, beat in enumerate(scene.script.beats):
        scene.go_to_end(k)
        for _ in range(SETTLE_LIMIT):  # a phase stepped by key plays its packets for a moment
            if not getattr(scene.sim, "stepping", False):
                break
            app.frame_once(FRAME_DT)
        for _ in range(SETTLE_FRAMES):
            app.frame_once(FRAME_DT)
        path = folder / slide_name(beat.number, beat.title)
        pygame.image.save(app.screen, str(path))
        paths.append(path)
    return paths


def write_slides_pdf(paths: list[Path], size: tuple[int, int], out: Path, title: str) -> None:
    """One page per PNG, 96 px to the inch (a 1920×1080 slide is a 20 × 11.25 inch page)."""
    from glassbox_game.optional import require

    fpdf = require("fpdf")
    w, h = size[0] * 0.75, size[1] * 0.75  # points
    pdf = fpdf.FPDF(orientation="landscape" if w >= h else "portrait", unit="pt", format=(min(w, h), max(w, h)))
    pdf.set_title(title)
    pdf.set_creator("Glassbox")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    for path in paths:
        pdf.add_page()
        pdf.image(str(path), x=0, y=0, w=w, h=h)
    pdf.output(str(out))


def export_slides_main(args: argparse.Namespace) -> int:
    """``lecture SCRIPT --export-slides DIR``: 0 when every slide and the PDF are written."""
    from glassbox_game.errors import MissingPackage
    from glassbox_game.optional import require
    from glassbox_game.record import headless_app

    if not getattr(args, "lecture_script", None):
        raise CliError("--export-slides needs a lecture script: glassbox lecture SCRIPT --export-slides DIR")
    try:
        require("fpdf")
    except MissingPackage as exc:
        raise CliError(str(exc)) from None
    folder = Path(args.export_slides)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"--export-slides {folder}: cannot create the folder ({exc.strerror})") from None
    args.frames = None
    args.screenshot = None
    app = headless_app(args, "lecture")
    try:
        scene = app.top
        if getattr(scene, "script", None) is None:
            raise CliError(f"{args.lecture_script}: no lecture script to export")
        size = app.size
        try:
            paths = export_slides(app, scene, folder)
            write_slides_pdf(paths, size, folder / PDF_NAME, scene.script.title)
        except OSError as exc:
            raise CliError(f"--export-slides {folder}: cannot write ({exc.strerror or exc})") from None
    finally:
        app.shutdown()
    print(f"wrote {len(paths)} slides ({size[0]}x{size[1]}) and {PDF_NAME} to {folder}")
    return 0
