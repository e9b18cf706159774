"""``glassbox worksheet``: exercise pages with empty boxes, an answer key whose numbers are the trace's."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from glassbox_game.cli import main
from glassbox_game.engine.setup import build_trainer
from glassbox_game.scenes.factory import find_level
from glassbox_game.worksheet import build_sheet, num

pypdf = pytest.importorskip("pypdf")
ROOT = Path(__file__).resolve().parents[1]
XOR_SETUP = ROOT / "lectures" / "setups" / "xor-hidden.toml"


def _pages(path: Path) -> tuple[list[str], list[str], object]:
    reader = pypdf.PdfReader(str(path))
    texts = ["".join(p.extract_text().split()) for p in reader.pages]  # spacing is the extractor's guess
    key_from = next(k for k, t in enumerate(texts) if t.startswith("Answerkey"))
    return texts[:key_from], texts[key_from:], reader


def test_level_13_worksheet_has_boxes_and_a_key_with_the_traces_numbers(tmp_path, capsys):
    out = tmp_path / "sheet.pdf"
    assert main(["worksheet", "13", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    exercise, key, _ = _pages(out)
    assert exercise and key
    sheet = build_sheet(find_level("13").setup, "Backprop by hand")
    t = build_trainer(find_level("13").setup).peek()
    a = sheet.answers
    # the numbers are the trace's, and the classic worked example's (Mazur's 0.35891648 for w5)
    assert a["s0.delta.ŷ₁"].value == float(t.delta[1][0][0])
    assert a["s0.grad.h₁→ŷ₁"].value == float(t.grad_w[1][0][0][0])
    assert a["new.h₁→ŷ₁"].value == float(t.weights_after[1][0][0]) == pytest.approx(0.35891648, abs=1e-8)
    assert a["s0.sum.h₁"].value == float(t.backprop_sum[0][0][0])
    assert a["s0.z.h₁"].value == float(t.z[0][0][0]) == pytest.approx(0.3775)
    assert a["s0.loss"].value == float(t.sample_loss[0]) == pytest.approx(0.298371109, abs=1e-8)
    key_text = "".join(key)
    exercise_text = "".join(exercise)
    for ans in a.values():
        shown = "".join(num(ans.value).split())
        assert shown in key_text, ans.key
    for k in ("s0.delta.ŷ₁", "s0.grad.h₁→ŷ₁", "new.h₁→ŷ₁", "s0.z.h₁", "s0.slope.h₂"):
        assert "".join(num(a[k].value).split()) not in exercise_text, k  # the exercise leaves them blank
    # the worked arithmetic and the maths glyphs made it into the PDF as text
    assert "0.741365×0.186816=0.138499" in key_text
    for glyph in ("∂L/∂w", "σ′", "δ", "Σw·δ", "η", "ŷ₁", "h₁"):
        assert glyph in exercise_text


def test_sandbox_setup_worksheet_letter_after_training(tmp_path):
    out = tmp_path / "xor.pdf"
    assert main(["worksheet", str(XOR_SETUP), "--out", str(out), "--paper", "letter", "--epochs", "5",
                 "--connection", "h2->y"]) == 0
    exercise, key, reader = _pages(out)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # US Letter in points
    level = find_level(str(XOR_SETUP))
    trainer = build_trainer(level.setup)
    trainer.train(5)
    t = trainer.peek()
    sheet = build_sheet(level.setup, "x", 5, ["h2->y"])
    assert sheet.trace.epoch == 6 and t.n_samples == 4
    assert sheet.answers["grad.h₂→ŷ"].value == float(t.mean_grad_w[1][0][1])
    assert sheet.answers["new.h₂→ŷ"].value == float(t.weights_after[1][0][1])
    assert sheet.answers["loss"].value == t.loss
    for s in range(4):
        assert sheet.answers[f"s{s}.delta.h₂"].value == float(t.delta[0][s][1])
    text = "".join(key)
    assert all("".join(num(a.value).split()) in text for a in sheet.answers.values())
    assert "".join(num(float(t.weights[1][0][1])).split()).rstrip("0") in "".join(exercise)  # the drawn weight


def test_a4_by_default_and_bad_input_is_one_line(tmp_path, capsys):
    out = tmp_path / "a4.pdf"
    assert main(["worksheet", "01", "--out", str(out)]) == 0
    box = pypdf.PdfReader(str(out)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    capsys.readouterr()
    assert main(["worksheet", "13", "--out", str(tmp_path / "x.pdf"), "--connection", "h3->y1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "h3" in err
    assert main(["worksheet", "nope", "--out", str(tmp_path / "x.pdf")]) == 2
    assert main(["worksheet", "13", "--out", str(tmp_path / "x.png")]) == 2


def test_missing_fpdf2_is_named_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "fpdf", None)
    assert main(["worksheet", "13", "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert "fpdf2" in err and "\n" not in err and "Traceback" not in err


def test_a_dense_net_lists_its_weights_in_tables_and_online_mode_works(tmp_path):
    setup = tmp_path / "deep.toml"
    setup.write_text('[network]\nlayers = [2, 4, 3, 1]\nhidden_activation = "tanh"\nseed = 3\n'
                     '[training]\nmode = "online"\n[data]\nproblem = "xor"\n', encoding="utf-8")
    out = tmp_path / "deep.pdf"
    assert main(["worksheet", str(setup), "--out", str(out)]) == 0
    exercise, key, _ = _pages(out)
    t = build_trainer(find_level(str(setup)).setup).peek()
    assert t.n_samples == 1  # online: one sample's step
    text = "".join(exercise)
    for l in range(3):
        for w in t.weights[l].ravel():
            assert "".join(num(float(w)).split()).rstrip("0").rstrip(".") in text
    assert "intoh¹₁" in text and "fromx₁" in text  # 2 × 4 lines are too many to label: a table instead
    assert "".join(num(float(t.delta[0][0][0])).split()) in "".join(key)
