"""The chain-rule, forward, loss and table view models show exactly the trace's figures."""

from __future__ import annotations

import numpy as np
import pygame.freetype
import pytest

from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.engine.trace import Trace
from glassbox_game.kit.fonts import FONT_FILES
from glassbox_game.render import explain as e
from glassbox_game.sim.selection import Selection, all_selectables


def trained(loss: str = "mse", epochs: int = 300, **kw: object) -> Trace:
    t = build_trainer(Setup(loss=loss, **kw))  # type: ignore[arg-type]
    t.train(epochs)
    return t.peek()


OUT, HID = Selection.edge(1, 0, 0), Selection.edge(0, 1, 0)


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("sel", [OUT, HID, Selection.neuron(1, 1), Selection.neuron(2, 0)])
@pytest.mark.parametrize("sample", [0, 2, None])
def test_every_figure_is_the_traces(loss: str, sel: Selection, sample: int | None) -> None:
    tr = trained(loss)
    v = e.chain_view(tr, sel, sample)
    edge = sel.kind == "edge"
    l = sel.layer if edge else sel.layer - 1
    tl = l + 1
    j, i = sel.j, sel.i
    per = tr.grad_w[l][:, j, i] if edge else tr.grad_b[l][:, j]
    mean = tr.mean_grad_w[l][j, i] if edge else tr.mean_grad_b[l][j]
    assert v.kind == ("edge" if edge else "bias")
    assert v.update is not None and v.check is not None
    assert v.update.grad.value == mean
    assert v.update.before.value == (tr.weights[l][j, i] if edge else tr.biases[l][j])
    assert v.update.after.value == (tr.weights_after[l][j, i] if edge else tr.biases_after[l][j])
    assert v.update.lr.value == tr.learning_rate
    if sample is None:
        assert v.batch and v.boxes is None and len(v.rows) == 4
        assert v.grad.value == mean
        for r in v.rows:
            assert r.delta.value == tr.delta[tl - 1][r.row][j]
            assert r.slope.value == tr.slope[tl - 1][r.row][j]
            assert r.product.value == per[r.row]
            first = tr.raw_error[r.row][j] if tl == 2 else tr.backprop_sum[tl - 1][r.row][j]
            assert r.first.value == first
            if edge:
                assert r.factor is not None and r.factor.value == tr.a[l][r.row][i]
        assert np.mean([r.product.value for r in v.rows]) == pytest.approx(mean, abs=1e-15)
    else:
        b = v.boxes
        assert b is not None and not v.batch
        assert v.grad.value == per[sample]
        assert b.delta.value == tr.delta[tl - 1][sample][j] == v.delta.value  # type: ignore[union-attr]
        assert b.slope.value.value == tr.slope[tl - 1][sample][j]
        if edge:
            assert v.factor is not None and v.factor.value == tr.a[l][sample][i]
        if tl == 2:
            assert b.output and b.first.value == tr.raw_error[sample][j]
            assert b.first_title == "RAW ERROR"
        else:
            assert not b.output and b.first.value == tr.backprop_sum[tl - 1][sample][j]
            assert b.first_title == "BACKPROP SUM"
            assert [t.product.value for t in b.terms] == [p for *_, p in tr.backprop_terms(tl, j, sample)]
    # The check's backprop side is the view's gradient; its finite difference is an independent oracle.
    assert v.check.backprop.value == v.grad.value
    oracle = e.finite_difference(tr, "w" if edge else "b", l, j, i, None if sample is None else sample)
    assert v.check.finite_difference.value == oracle
    assert abs(oracle - v.grad.value) < 1e-7 and v.check.ok


def test_finite_difference_disagrees_with_a_wrong_gradient() -> None:
    tr = trained()
    fd = e.finite_difference(tr, "w", 1, 0, 0, 2)
    assert not e.grad_check(fd, fd + 0.01).ok
    assert e.grad_check(fd, float(tr.grad_w[1][2, 0, 0])).ok


def test_cross_entropy_shows_the_cancellation_and_mse_the_slope() -> None:
    ce = e.chain_view(trained("cross_entropy"), OUT, 2)
    assert ce.boxes is not None and ce.boxes.delta_formula == "δ = ∂L/∂a · σ′ = a − y"
    assert ce.boxes.first_formula == "∂L/∂a" and ce.boxes.slope.state == "cancels"
    assert ce.note.startswith(e.CANCEL_NOTE) and "Here: " in ce.note
    mse = e.chain_view(trained("mse"), OUT, 2)
    assert mse.boxes is not None and mse.boxes.first_formula == "a − y"
    assert mse.boxes.delta_formula == "δ = (a − y) · σ′" and mse.note == e.SLOPE_NOTE
    hidden = e.chain_view(trained("cross_entropy"), HID, 2)
    assert hidden.boxes is not None and hidden.boxes.delta_formula == "δ = (Σ w·δ) · σ′"


def test_forward_panel_writes_z_term_by_term() -> None:
    tr = trained()
    v = e.chain_view(tr, Selection.neuron(1, 0), 1)
    fw = v.forward
    assert fw is not None and fw.z is not None and fw.a is not None and fw.bias is not None
    assert [t.product.value for t in fw.terms] == [p for *_, p in tr.forward_terms(1, 0, 1)]
    assert fw.bias.value == tr.biases[0][0]
    assert fw.z.value == tr.z[0][1][0] and fw.a.value == tr.a[1][1][0]


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_loss_calculation_rows_and_mean(loss: str) -> None:
    tr = trained(loss)
    v = e.loss_calc_view(tr, 2)
    assert len(v.rows) == 4 and [r.highlighted for r in v.rows] == [False, False, True, False]
    for r in v.rows:
        assert r.loss.value == tr.sample_loss[r.row]
        assert r.prediction[0].value == tr.a[-1][r.row][0]
        assert 0 <= r.bar <= 1
    assert v.mean.value == tr.loss
    assert v.mean_formula.startswith("L = ¼ Σ")
    assert ("½(" in v.rows[0].written) == (loss == "mse")
    assert ("ln" in v.rows[0].written) == (loss == "cross_entropy")


def test_tables_hold_the_traces_numbers_and_click_targets() -> None:
    tr = trained()
    a = e.activations_table(tr, 1)
    assert a.highlighted == 1
    cell = next(c for c in a.rows[3] if c.target == "cell:a:h2:3")
    assert cell.value == tr.a[1][3][1] and cell.select == Selection.neuron(1, 1) and cell.sample == 3
    d = e.deltas_table(tr, None)
    assert d.highlighted is None and d.rows[0][3].value == tr.delta[1][0][0]
    w = e.weights_table(tr, 2)
    labels = [row[0].text for row in w.rows]
    assert labels == ["w x₁→h₁", "w x₂→h₁", "w x₁→h₂", "w x₂→h₂", "b h₁", "b h₂", "w h₁→ŷ", "w h₂→ŷ", "b ŷ"]
    assert w.rows[6][1].value == tr.weights[1][0, 0] and w.rows[6][2].value == tr.grad_w[1][2, 0, 0]
    assert e.weights_table(tr, None).rows[8][2].value == tr.mean_grad_b[1][0]


def test_numbers_are_written_for_reading() -> None:
    assert e.num(-0.0998).text == "−0.0998"
    assert e.num(1.2e-5).text == "1.20e−5" and e.num(4.5398e-5).text == "4.54e−5"
    assert e.num(0.00697).text == "0.00697"
    assert e.num(-0.0).text == "0"
    assert e.plain(1.0) == "1"


def _strings(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, tuple | list):
        return [s for x in obj for s in _strings(x)]
    if hasattr(obj, "__dataclass_fields__"):
        return [s for f in obj.__dataclass_fields__ for s in _strings(getattr(obj, f))]
    return []


def test_every_string_has_glyphs_in_the_bundled_fonts() -> None:
    pygame.freetype.init()
    fonts = [pygame.freetype.Font(str(p), 16) for p in FONT_FILES.values()]
    texts: list[str] = [e.HINT, e.TAB_HINT]
    for loss, act in (("mse", "sigmoid"), ("cross_entropy", "sigmoid"), ("mse", "tanh"), ("mse", "relu")):
        tr = trained(loss, 50, hidden_activation=act)
        for sample in (0, None):
            for sel in [*all_selectables(tr.layers), Selection.neuron(0, 0), None]:
                texts += _strings(e.chain_view(tr, sel, sample))
            texts += _strings(e.loss_calc_view(tr, sample))
            for table in (e.activations_table, e.deltas_table, e.weights_table):
                texts += _strings(table(tr, sample))
    chars = set("".join(texts)) - {" "}
    for font in fonts:
        missing = [ch for ch in chars if font.get_metrics(ch)[0] is None]
        assert not missing, missing


def test_nothing_selected_shows_the_hint() -> None:
    v = e.chain_view(trained(), None, 0)
    assert v.kind == "none" and v.message == e.HINT
