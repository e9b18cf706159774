"""``glassbox record``: a headless run becomes a clip that decodes, frame for frame."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from glassbox_game.cli import main

av = pytest.importorskip("av")
Image = pytest.importorskip("PIL.Image")
ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "lectures" / "backprop-story.toml"


@pytest.fixture
def first_beats(tmp_path: Path) -> Path:
    script = tmp_path / "beats.txt"
    script.write_text("at 0.2 next\nat 0.5 next\n", encoding="utf-8")  # beat 1 → 2 (AND trains) → 3
    return script


def test_lecture_clip_mp4_decodes_with_every_frame(tmp_path, first_beats, capsys):
    out = tmp_path / "clip.mp4"
    assert main(["record", "--lecture", str(STORY), "--script", str(first_beats), "--out", str(out),
                 "--resolution", "640x360", "--fps", "10", "--seconds", "1"]) == 0
    captured = capsys.readouterr()
    assert "10/10 frames" in captured.err and "[" in captured.err  # the progress bar, on stderr
    with av.open(str(out)) as clip:
        stream = clip.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = list(clip.decode(stream))
    assert len(frames) == 10
    assert (frames[0].width, frames[0].height) == (640, 360)
    first, last = (f.to_ndarray(format="rgb24") for f in (frames[0], frames[-1]))
    assert (first != last).any()  # the beats moved on during the clip


def test_lecture_clip_gif_decodes(tmp_path, first_beats, capsys):
    out = tmp_path / "clip.gif"
    assert main(["record", "--lecture", str(STORY), "--script", str(first_beats), "--out", str(out),
                 "--resolution", "640x360", "--fps", "10", "--seconds", "0.8"]) == 0
    assert "wrote" in capsys.readouterr().out
    with Image.open(out) as gif:
        assert gif.size == (640, 360)
        total_ms, frames = 0, 0
        for k in range(gif.n_frames):  # Pillow merges identical neighbours, adding their durations
            gif.seek(k)
            total_ms += gif.info["duration"]
            frames += 1
    assert total_ms == 8 * 100 and 2 <= frames <= 8  # all 8 frames of 1/10 s, and the beats changed


def test_a_setup_and_a_level_record_too(tmp_path, capsys):
    script = tmp_path / "play.txt"
    script.write_text("at 0.0 speed 8\nat 0.0 play\n", encoding="utf-8")
    for target in (str(ROOT / "lectures" / "setups" / "xor-hidden.toml"), "02"):
        out = tmp_path / "clip.mp4"
        assert main(["record", target, "--script", str(script), "--out", str(out), "--resolution", "641x361",
                     "--fps", "5", "--seconds", "0.6"]) == 0
        with av.open(str(out)) as clip:
            frames = list(clip.decode(clip.streams.video[0]))
        assert len(frames) == 3 and (frames[0].width, frames[0].height) == (640, 360)  # H.264 wants even sides
    assert "640x360" in capsys.readouterr().out


def test_record_bad_input_is_one_line(tmp_path, capsys):
    assert main(["record", "--lecture", str(STORY), "--out", str(tmp_path / "x.avi"), "--seconds", "0.1"]) == 2
    assert main(["record", "--out", str(tmp_path / "x.mp4")]) == 2
    assert main(["record", "02", "--out", str(tmp_path / "x.mp4"), "--fps", "500"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("glassbox: ") for line in err)


def test_missing_pyav_is_named_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "av", None)
    assert main(["record", "02", "--out", str(tmp_path / "x.mp4"), "--resolution", "640x360", "--seconds",
                 "0.1"]) == 2
    err = capsys.readouterr().err.strip()
    assert "'av'" in err and "\n" not in err


def test_missing_pillow_is_named_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL.Image", None)
    assert main(["record", "02", "--out", str(tmp_path / "x.gif"), "--resolution", "640x360", "--seconds",
                 "0.1"]) == 2
    err = capsys.readouterr().err.strip()
    assert "'pillow'" in err and "\n" not in err


def test_record_help_lists_only_the_options_it_reads(capsys):
    """A recording is always headless and writes a clip: --frames, --screenshot, --fullscreen and
    --display would be ignored, so they are not offered (and are refused if typed)."""
    with pytest.raises(SystemExit):
        main(["record", "--help"])
    text = capsys.readouterr().out
    for option in ("--resolution", "--seed", "--theme", "--script", "--out", "--fps", "--seconds"):
        assert option in text
    for ignored in ("--frames", "--screenshot", "--fullscreen", "--display", "--headless"):
        assert ignored not in text
