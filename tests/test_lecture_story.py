"""The lecture script's numbers are the engine's: its captions quote what the run shows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from glassbox_game.engine.setup import build_trainer
from glassbox_game.lecture_script import load_lecture_script
from glassbox_game.levels.saving import open_setup

ROOT = Path(__file__).resolve().parents[1]
SETUPS = ROOT / "lectures" / "setups"


def captions() -> dict[str, str]:
    script = load_lecture_script(ROOT / "lectures" / "backprop-story.toml")
    return {b.title: b.caption for b in script.beats}


def test_the_chain_rule_beat_explains_mean_versus_per_sample_gradient() -> None:
    t = build_trainer(open_setup(SETUPS / "xor-hidden.toml")).peek()
    one, mean = float(t.grad_w[1][1, 0, 0]), float(t.mean_grad_w[1][0, 0])  # sample 2 = the input (0, 1)
    assert list(t.x[1]) == [0.0, 1.0]
    assert one < 0 < mean  # this sample alone would raise w; the mean makes it fall
    assert t.weights_after[1][0, 0] < t.weights[1][0, 0]
    text = captions()["The chain rule for one weight"].replace("\u00a0", " ")
    assert f"−{abs(one):.4f}".rstrip("0") in text or f"−{abs(one):.3g}" in text
    assert f"+{mean:.3g}" in text
    assert f"{t.weights[1][0, 0]:.3f}".replace("-", "−") in text
    assert f"{t.weights_after[1][0, 0]:.3f}".replace("-", "−") in text


def test_the_cross_entropy_beat_shows_full_blame_not_a_vanished_one() -> None:
    s = open_setup(SETUPS / "saturated-and.toml")
    mse = build_trainer(s).peek()
    ce = build_trainer(replace(s, loss="cross_entropy")).peek()
    assert f"{mse.delta[-1][0, 0]:.2g}".replace("-", "−").replace("e−05", "e−5") == "4.5e−5"
    assert round(float(ce.delta[-1][0, 0]), 3) == 1.0 and ce.locked[-1] == (False,)
    text = captions()["Cross-entropy magic"].replace("\u00a0", " ")
    assert "δ ≈ 1, not 4.5e−5" in text and "faint line is the MSE run" not in text
