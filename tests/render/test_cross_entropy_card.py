"""The cross-entropy card's ∂L/∂a, σ′ and δ are what autograd gives, and its worked lines add up.

PyTorch is not a dependency: autograd's answers are written as closed forms (the derivative of
``binary_cross_entropy`` on a, −y/a + (1 − y)/(1 − a); σ′ = a(1 − a); δ = a − y) and checked against
central finite differences of the loss.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest

from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.levels.shipped import shipped_levels
from glassbox_game.render import explain as e
from glassbox_game.sim.selection import Selection

OUT = Selection.edge(1, 0, 0)


def bce(a: float, y: float) -> float:
    return -(y * math.log(a) + (1 - y) * math.log(1 - a))


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def level9_ce():  # the saturated start of "cross-entropy magic", under cross-entropy
    lv = next(lv for lv in shipped_levels() if lv.id == "cross-entropy-magic")
    return build_trainer(replace(lv.setup, loss="cross_entropy"))


def traces():
    yield level9_ce().peek()
    t = build_trainer(Setup(loss="cross_entropy"))
    yield t.peek()
    t.train(200)
    yield t.peek()


@pytest.mark.parametrize("k", range(3))
@pytest.mark.parametrize("sample", range(4))
def test_card_equals_autograd(k: int, sample: int) -> None:
    tr = list(traces())[k]
    v = e.chain_view(tr, OUT, sample)
    b = v.boxes
    assert b is not None and b.output
    a, y, z = float(tr.a[-1][sample][0]), float(tr.y[sample][0]), float(tr.z[-1][sample][0])
    dl_da = -y / a + (1 - y) / (1 - a)  # torch: d binary_cross_entropy(a, y) / da
    assert b.first.value == pytest.approx(dl_da, rel=1e-6)
    h = 1e-6 * max(1e-3, min(a, 1 - a))  # central difference of the loss in a
    if 2 * h < min(a, 1 - a):
        fd = (bce(a + h, y) - bce(a - h, y)) / (2 * h)
        assert b.first.value == pytest.approx(fd, rel=1e-4)
    assert b.slope.value.value == pytest.approx(a * (1 - a), rel=1e-9)  # σ′ = a(1 − a)
    assert b.slope.value.value == pytest.approx((sigmoid(z + 1e-5) - sigmoid(z - 1e-5)) / 2e-5, rel=1e-4, abs=1e-12)
    assert b.delta.value == pytest.approx(a - y, abs=1e-15)  # δ = ∂L/∂z = a − y
    fz = (bce(sigmoid(z + 1e-6), y) - bce(sigmoid(z - 1e-6), y)) / 2e-6 if abs(z) < 20 else a - y
    assert b.delta.value == pytest.approx(fz, rel=1e-4, abs=1e-8)


def test_saturated_start_shows_the_huge_raw_error_and_full_blame() -> None:
    tr = level9_ce().peek()
    b = e.chain_view(tr, OUT, 0).boxes
    assert b is not None
    assert b.first.text == "22027" and b.slope.value.text == "4.54e−5" and b.delta.text == "1.000"
    assert b.first_line == "∂L/∂a = (a − y)/(a(1 − a)) = 0.99995 / 4.5396e−5 = 22027"
    assert b.delta_line == "δ = 22027 × 4.54e−5 = 1.000 = a − y"
    assert tr.locked[-1] == (False,)  # the output under cross-entropy is not locked


def shown(text: str) -> float:
    return e.parse(text.strip("()"))


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("hidden", ["sigmoid", "relu", "tanh"])
def test_worked_lines_add_up_as_shown(loss: str, hidden: str) -> None:
    t = build_trainer(Setup(loss=loss, hidden_activation=hidden))
    for epochs in (0, 50):
        t.train(epochs)
        tr = t.peek()
        for sel in (OUT, Selection.edge(0, 1, 0)):
            for s in range(4):
                b = e.chain_view(tr, sel, s).boxes
                assert b is not None
                lines = b.first_line + b.slope.line + b.delta_line
                assert "−0.000" not in lines and "= −0 " not in lines
                # δ = first × slope, as written
                m = re.fullmatch(r"δ = (\S+) × (\S+) = (\S+)( = a − y)?", b.delta_line)
                assert m, b.delta_line
                prod = shown(m[1]) * shown(m[2])
                assert e.rounds_to(prod, e.Num(shown(m[3]), m[3])), b.delta_line
                if "ReLU" in b.slope.line:
                    assert re.fullmatch(r"ReLU′\(z\) = [01] because z = \S+ [>≤] 0", b.slope.line)
                elif "σ′ =" in b.slope.line:
                    m = re.fullmatch(r"σ′ = (\S+) × \(1 − (\S+)\) = (\S+)", b.slope.line)
                    assert m, b.slope.line
                    a_ = shown(m[1])
                    assert e.rounds_to(a_ * (1 - a_), e.Num(shown(m[3]), m[3])), b.slope.line
                if not b.output:
                    assert b.first_line.startswith("Σ w·δ = ") and b.terms


def test_loss_lines_add_up() -> None:
    tr = level9_ce().peek()
    for r in e.loss_calc_view(tr, 0).rows:
        assert "1.000" not in r.written  # −ln(1 − 1.000) would be infinite, not 10.0
        m = re.fullmatch(r"−ln\(1 − (\S+)\)", r.written)
        if m:
            assert e.rounds_to(-math.log(1 - shown(m[1])), r.loss)
