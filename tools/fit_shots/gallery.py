"""Before/after PNGs for issue 13 (docs/screenshots/fit/README.md): the same steps in two trees.

Each shot runs the game headless in a tree (its own .venv/bin/glassbox), with HOME, GLASSBOX_CONFIG_DIR and
GLASSBOX_DATA_DIR in a fresh demo folder, and crops the frame to the region that shows the item.

    python tools/fit_shots/gallery.py after                           # every shot, this tree (main)
    python tools/fit_shots/gallery.py before --tree /work/wt/before10c  # a worktree at 10c74b4
    python tools/fit_shots/gallery.py after --only level-13-loss-table

The scripts are in this folder; they use only the script verbs both trees know.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = REPO / "docs" / "screenshots" / "fit"
DEMO = Path("/tmp/glassbox-fit-demo")  # a fixed path, so the Open dialog shows the same folder in both trees

LECTURE = ["lecture", "lectures/backprop-story.toml"]
NETWORK_1080 = (230, 190, 1130, 640)  # the network card's graph in the sandbox at 1920x1080
CHART_1080 = (20, 765, 800, 1060)  # the loss chart card at 1920x1080
PARAMS_1080 = (1155, 771, 1900, 1060)  # the parameters card at 1920x1080
DIALOG_1080 = (470, 210, 1450, 940)  # the Open dialog and the notice under it

#: name: (command, resolution, frames, script, crop box in native pixels or None for the whole frame)
SHOTS: dict[str, tuple[list[str], str, int, str | None, tuple[int, int, int, int] | None]] = {
    # Layout: the network view
    "network-pills-bias-labels": (["play", "01"], "1920x1080", 40, "level.script", (630, 330, 1130, 860)),
    "network-hover-card": (["sandbox"], "1920x1080", 40, "hover.script", NETWORK_1080),
    "network-packets-over-pills": (["sandbox"], "1920x1080", 97, "packets.script", NETWORK_1080),
    "network-deep-bias-labels": (["sandbox"], "1280x720", 30, "deepbias.script", (0, 40, 820, 540)),
    # Layout: the loss chart
    "chart-lock-label": (LECTURE, "1920x1080", 30, "lecture.script", (20, 600, 1090, 900)),
    "level-11-chart": (["play", "11"], "1920x1080", 40, "level.script", CHART_1080),
    "chart-previous-run-scale": (["play", "11"], "1920x1080", 60, "flat.script", CHART_1080),
    "chart-hint-over-axis": (["play", "11"], "1920x1080", 60, "hint2.script", (0, 760, 1420, 1080)),
    "hint-in-goals-card": (["play", "11"], "1920x1080", 60, "hint2.script", (20, 75, 410, 760)),  # after only
    # Layout: the lecture
    "lecture-title-and-phases": (LECTURE, "1920x1080", 30, "lecture.script", (0, 0, 1920, 80)),
    "lecture-legend": (LECTURE, "1920x1080", 30, "lecture.script", (20, 515, 1090, 600)),
    "lecture-activations-720p": (LECTURE, "1280x720", 30, "lecture.script", (10, 50, 725, 380)),
    "lecture-activations-4k": (LECTURE, "3840x2160", 30, "lecture.script", (40, 170, 2175, 1135)),
    # Layout: widgets
    "loss-dropdown-cross-entropy": (["sandbox"], "1920x1080", 20, "ce.script", (1155, 860, 1900, 920)),
    "dropdown-arrows-4k": (["sandbox"], "3840x2160", 20, None, (2300, 1540, 3840, 2110)),
    "disabled-labels": (["play", "01"], "1920x1080", 40, "level.script", PARAMS_1080),
    "esc-closes-dropdown": (["sandbox"], "1920x1080", 30, "esc.script", (800, 560, 1920, 1080)),
    "problem-dropdown-after-open": (["sandbox"], "1920x1080", 20, "stale2.script", PARAMS_1080),
    # Layout: the chain rule, levels 11 and 13
    "chain-rule-sum-line": (["sandbox"], "1920x1080", 100, "sumline.script", (1150, 80, 1920, 500)),
    "level-13-loss-table": (["play", "13"], "1920x1080", 20, "l13.script", (1150, 500, 1900, 750)),
    "level-11-banner": (["play", "11"], "1920x1080", 40, "level.script", (430, 100, 1140, 280)),
    "level-11-slice-ticks": (["play", "11"], "1920x1080", 40, "slice.script", (810, 765, 1140, 1060)),
    # Input and dialogs
    "answer-box-correct": (["play", "01"], "1920x1080", 50, "answer-ok.script", (20, 850, 410, 995)),
    "answer-box-wrong": (["play", "01"], "1920x1080", 60, "answer-bad.script", (20, 850, 410, 1000)),
    "open-dialog-start-folder": (["sandbox"], "1920x1080", 30, "open.script", DIALOG_1080),
    "open-dialog-path-join": (["sandbox"], "1920x1080", 22, "openjoin.script", DIALOG_1080),
    "open-dialog-bad-path": (["sandbox"], "1920x1080", 40, "openbad.script", DIALOG_1080),
    "rate-number-target": (["sandbox"], "1920x1080", 30, "lrnum.script", (1155, 771, 1900, 880)),
    # Docs and claims
    "help-overlay": (["sandbox"], "1920x1080", 20, "help.script", (520, 0, 1400, 1080)),
    "level-02-start-speed": (["play", "02"], "1920x1080", 40, "level.script", (0, 0, 1100, 64)),
}


def demo_env() -> dict[str, str]:
    """A fresh HOME (with dot folders and a file, as a real one has), config and data folder."""
    shutil.rmtree(DEMO, ignore_errors=True)
    home = DEMO / "home"
    for d in (".cache", ".local", "Documents", "Music"):
        (home / d).mkdir(parents=True)
    for f in (".bashrc", ".profile", "notes.txt"):
        (home / f).touch()
    (DEMO / "config").mkdir()
    (DEMO / "data").mkdir()
    env = dict(os.environ, HOME=str(home), GLASSBOX_CONFIG_DIR=str(DEMO / "config"),
               GLASSBOX_DATA_DIR=str(DEMO / "data"), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               PYGAME_HIDE_SUPPORT_PROMPT="1")
    return env


def shoot(tree: Path, name: str, side: str) -> Path:
    command, size, frames, script, box = SHOTS[name]
    frame = DEMO.parent / f"glassbox-fit-{name}-{side}.png"
    args = [str(tree / ".venv" / "bin" / "glassbox"), *command, "--headless", "--frames", str(frames),
            "--resolution", size, "--screenshot", str(frame)]
    if script:
        args += ["--script", str(HERE / script)]
    subprocess.run(args, cwd=tree, env=demo_env(), check=True, timeout=300)
    image = Image.open(frame)
    if box is not None:
        image = image.crop(box)
    out = OUT / f"{name}-{side}.png"
    image.convert("RGB").save(out, optimize=True)
    frame.unlink()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("side", choices=("before", "after"))
    parser.add_argument("--tree", type=Path, default=REPO, help="the tree whose game is run (default: this one)")
    parser.add_argument("--only", nargs="*", default=None, help="shot names (default: every shot)")
    args = parser.parse_args()
    names = args.only or list(SHOTS)
    for name in names:
        if name not in SHOTS:
            print(f"unknown shot {name!r}; shots: {', '.join(SHOTS)}", file=sys.stderr)
            return 2
    for name in names:  # one at a time: the machine is shared
        print(shoot(args.tree.resolve(), name, args.side).relative_to(REPO))
    shutil.rmtree(DEMO, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
