"""``glassbox lecture SCRIPT --export-slides DIR``: one PNG per beat and one PDF of them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from glassbox_game.cli import main
from glassbox_game.lecture_script import load_lecture_script
from glassbox_game.slides import slide_name

pypdf = pytest.importorskip("pypdf")
Image = pytest.importorskip("PIL.Image")
STORY = Path(__file__).resolve().parents[1] / "lectures" / "backprop-story.toml"


def test_every_beat_becomes_a_slide(tmp_path, capsys):
    out = tmp_path / "slides"
    assert main(["lecture", str(STORY), "--export-slides", str(out), "--resolution", "640x360"]) == 0
    beats = load_lecture_script(STORY).beats
    pngs = sorted(out.glob("*.png"))
    assert [p.name for p in pngs] == [slide_name(b.number, b.title) for b in beats]
    assert pngs[0].name == "01-meet-the-glass-box.png"
    sizes = set()
    pixels = []
    for p in pngs:
        with Image.open(p) as im:
            sizes.add(im.size)
            pixels.append(im.convert("RGB").tobytes())
    assert sizes == {(640, 360)}
    assert len(set(pixels)) == len(beats)  # every beat looks different (its caption at least)
    reader = pypdf.PdfReader(str(out / "slides.pdf"))
    assert len(reader.pages) == len(beats)
    assert f"{len(beats)} slides" in capsys.readouterr().out


def test_export_slides_needs_a_script(tmp_path, capsys):
    assert main(["lecture", "--export-slides", str(tmp_path / "s")]) == 2
    assert "lecture script" in capsys.readouterr().err


def test_missing_fpdf2_is_named_in_one_line(tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "fpdf", None)
    assert main(["lecture", str(STORY), "--export-slides", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err.strip()
    assert "'fpdf2'" in err and "\n" not in err
