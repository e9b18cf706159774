"""``glassbox worksheet LEVEL-or-SETUP --out sheet.pdf``: a printable backprop exercise and its answer key.

One training step, taken from the engine's :class:`Trace`: the network is drawn with the weights and
inputs of that step, the exercise pages have empty boxes for z, a, the loss, the raw error, the
slope, δ, ∂L/∂w and the new weight of the chosen connections, and the answer key prints every one of
those numbers with its arithmetic written out. The operands and results of the arithmetic are the
trace's own numbers; nothing here recomputes a value the engine has recorded.

:func:`build_sheet` collects the numbers (no PDF library needed, so tests can compare them with the
trace); :func:`write_pdf` lays them out with fpdf2 and the bundled DejaVu fonts (∂ σ′ δ Σ η print).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from glassbox_game.engine.activations import get_activation
from glassbox_game.engine.losses import get_loss
from glassbox_game.engine.names import connection_name, neuron_name, parse_connection
from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.engine.trace import Trace

FONTS = Path(__file__).resolve().parents[1] / "assets" / "fonts"
PAPERS = {"a4": "A4", "letter": "Letter"}
MAX_NEURONS = 4  # per layer: more edges than that cannot be labelled legibly on paper
MAX_WEIGHT_LAYERS = 4
MAX_ROWS = 48  # samples × non-input neurons: a worksheet is for a pencil
MAX_EPOCHS_BEFORE = 100_000
_SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


class WorksheetError(Exception):
    """A worksheet that cannot be made; ``str()`` is one line."""


def num(v: float) -> str:
    """A number as the worksheet prints it: six decimals, or four significant digits when tiny."""
    if not math.isfinite(v):
        return "not a number" if math.isnan(v) else ("∞" if v > 0 else "−∞")
    if v == 0:
        return "0"
    if abs(v) >= 0.001:
        return f"{v:.6f}".replace("-", "−")
    mantissa, exponent = f"{v:.4e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUP)}".replace("-", "−")


def given(v: float) -> str:
    """A number the sheet gives (a weight, an input): without trailing zeros."""
    text = num(v)
    return text.rstrip("0").rstrip(".") if "." in text and "e" not in text else text


def _paren(v: float, fmt=num) -> str:
    """An operand in a product: negative numbers in brackets."""
    return f"({fmt(v)})" if v < 0 else fmt(v)


@dataclass(frozen=True)
class Answer:
    """One number the student fills in: ``key`` is stable ASCII (for tests), ``work`` the arithmetic."""

    key: str
    label: str
    value: float
    work: str


@dataclass
class Sheet:
    title: str
    setup: Setup
    trace: Trace
    epochs_before: int
    connections: tuple[tuple[int, int, int], ...]
    answers: dict[str, Answer] = field(default_factory=dict)

    def add(self, key: str, label: str, value: float, work: str) -> None:
        self.answers[key] = Answer(key, label, float(value), work)


def default_connections(layers: tuple[int, ...]) -> tuple[tuple[int, int, int], ...]:
    """From the last layer back: the connection from the first neuron to the first neuron of each layer."""
    return tuple((l, 0, 0) for l in range(len(layers) - 2, -1, -1))


def build_sheet(setup: Setup, title: str, epochs_before: int = 0,
                connections: Sequence[str] = ()) -> Sheet:
    """Train ``epochs_before`` epochs, then record the numbers of the next step (the exercise)."""
    layers = setup.layers
    if any(n > MAX_NEURONS for n in layers) or len(layers) - 1 > MAX_WEIGHT_LAYERS:
        raise WorksheetError(f"layers {list(layers)}: a worksheet draws at most {MAX_WEIGHT_LAYERS + 1} layers "
                             f"of {MAX_NEURONS} neurons, so that every weight can be read and worked by hand")
    chosen: list[tuple[int, int, int]] = []
    for text in connections:
        try:
            chosen.append(parse_connection(layers, text))
        except ValueError as exc:
            raise WorksheetError(f"--connection: {exc}") from None
    if not 0 <= epochs_before <= MAX_EPOCHS_BEFORE:
        raise WorksheetError(f"--epochs {epochs_before}: expected 0 … {MAX_EPOCHS_BEFORE}")
    trainer = build_trainer(setup)
    if epochs_before:
        result = trainer.train(epochs_before)
        if result.halt is not None:
            raise WorksheetError(f"training stopped before the exercise step: {result.halt.message}")
    trace = trainer.peek()
    rows = trace.n_samples * sum(layers[1:])
    if rows > MAX_ROWS:
        raise WorksheetError(f"this step has {trace.n_samples} samples × {sum(layers[1:])} neurons = {rows} "
                             f"rows to fill in, more than {MAX_ROWS}: use a smaller data set or online mode")
    sheet = Sheet(title, setup, trace, epochs_before, tuple(dict.fromkeys(chosen or default_connections(layers))))
    _collect(sheet)
    return sheet


def _collect(sheet: Sheet) -> None:
    """Every answer, with its arithmetic, read from the trace."""
    t = sheet.trace
    layers = t.layers
    last = len(layers) - 1
    loss = get_loss(t.loss_name)
    for s in range(t.n_samples):
        p = f"s{s}."
        for m in range(1, last + 1):
            act = get_activation(t.hidden_activation if m < last else t.output_activation)
            for j in range(layers[m]):
                name, key = neuron_name(layers, m, j), neuron_name(layers, m, j)
                terms = t.forward_terms(m, j, s)
                a_fmt = given if m == 1 else num  # the inputs are given, hidden a's are answers
                work = " + ".join(f"{_paren(w, given)} × {_paren(a, a_fmt)}" for _, w, a, _ in terms)
                b = float(t.biases[m - 1][j])
                z = float(t.z[m - 1][s][j])
                a = float(t.a[m][s][j])
                sheet.add(f"{p}z.{key}", f"z of {name}", z, f"{work} + {_paren(b, given)}")
                sheet.add(f"{p}a.{key}", f"a of {name}", a, f"{act.name}({num(z)})")
        outs = range(layers[last])
        ys = [float(t.y[s][j]) for j in outs]
        a_out = [float(t.a[last][s][j]) for j in outs]
        if loss.name == "mse":
            work = " + ".join(f"½({num(a)} − {_paren(y, given)})²" for a, y in zip(a_out, ys, strict=True))
        else:
            work = " + ".join(f"−[{given(y)} ln {num(a)} + (1 − {given(y)}) ln(1 − {num(a)})]"
                              for a, y in zip(a_out, ys, strict=True))
        sheet.add(f"{p}loss", "loss of this sample", float(t.sample_loss[s]), work)
        for m in range(last, 0, -1):
            act = get_activation(t.hidden_activation if m < last else t.output_activation)
            for j in range(layers[m]):
                name = neuron_name(layers, m, j)
                a, z = float(t.a[m][s][j]), float(t.z[m - 1][s][j])
                slope, delta = float(t.slope[m - 1][s][j]), float(t.delta[m - 1][s][j])
                formula = f"[{act.slope_formula}]" if " if " in act.slope_formula else act.slope_formula
                operand = f"at z = {num(z)}" if "z" in act.slope_formula else f"at a = {num(a)}"
                if act.slope_formula.strip() == "1":
                    operand = "for every z"
                sheet.add(f"{p}slope.{name}", f"slope σ′ of {name}", slope, f"{formula} {operand}")
                if m == last:
                    raw = float(t.raw_error[s][j])
                    sheet.add(f"{p}raw.{name}", f"raw error of {name}", raw, f"a − y = {num(a)} − {_paren(ys[j], given)}")
                    if t.slope_cancelled:
                        work = f"raw error = {num(raw)} (with cross-entropy the sigmoid's slope cancels)"
                    else:
                        work = f"raw error × slope = {_paren(raw)} × {_paren(slope)}"
                else:
                    q = float(t.backprop_sum[m - 1][s][j])
                    terms = t.backprop_terms(m, j, s)
                    sums = " + ".join(f"{_paren(w, given)} × {_paren(d)}" for _, w, d, _ in terms)
                    sheet.add(f"{p}sum.{name}", f"Σ w·δ of {name}", q, sums)
                    work = f"Σ w·δ × slope = {_paren(q)} × {_paren(slope)}"
                sheet.add(f"{p}delta.{name}", f"δ of {name}", delta, work)
        for l, j, i in sheet.connections:
            cname = connection_name(layers, l, j, i)
            d = float(t.delta[l][s][j])
            a_in = float(t.a[l][s][i])
            a_txt = _paren(a_in, given if l == 0 else num)
            work = f"δ({neuron_name(layers, l + 1, j)}) × a({neuron_name(layers, l, i)}) = {_paren(d)} × {a_txt}"
            sheet.add(f"{p}grad.{cname}", f"∂L/∂w of {cname}", float(t.grad_w[l][s][j][i]), work)
    if t.n_samples > 1:
        work = f"({' + '.join(num(float(v)) for v in t.sample_loss)}) / {t.n_samples}"
        sheet.add("loss", "loss of the step (mean over samples)", t.loss, work.replace("+ −", "− "))
    for l, j, i in sheet.connections:
        cname = connection_name(layers, l, j, i)
        g = float(t.mean_grad_w[l][j][i])
        if t.n_samples > 1:
            parts = " + ".join(_paren(float(t.grad_w[l][s][j][i])) for s in range(t.n_samples))
            sheet.add(f"grad.{cname}", f"∂L/∂w of {cname}, mean over the samples", g, f"({parts}) / {t.n_samples}")
        w, w_new = float(t.weights[l][j][i]), float(t.weights_after[l][j][i])
        sheet.add(f"new.{cname}", f"new weight of {cname}", w_new,
                  f"w − η·∂L/∂w = {given(w)} − {given(t.learning_rate)} × {_paren(g)}")


# -- the PDF -------------------------------------------------------------------------------------
INK = (20, 20, 20)
GREY = (120, 120, 120)
LIGHT = (235, 235, 235)


class _Doc:
    """fpdf2 with our fonts and a few drawing helpers (millimetres throughout)."""

    def __init__(self, paper: str, title: str) -> None:
        from glassbox_game.optional import require

        fpdf = require("fpdf")
        doc = self

        class _PDF(fpdf.FPDF):  # type: ignore[misc,name-defined]
            def footer(self) -> None:
                self.set_y(-12)
                self.set_font("DejaVu", "", 8)
                self.set_text_color(*GREY)
                self.cell(0, 4, f"{title} · {doc.page_kind} · page {self.page_no()}", align="C")
                self.set_text_color(*INK)

        self.page_kind = "Exercise"
        self.pdf = _PDF(orientation="portrait", unit="mm", format=PAPERS[paper])
        pdf = self.pdf
        pdf.set_title(title)
        pdf.set_creator("Glassbox")
        pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_margins(16, 16, 16)
        pdf.set_auto_page_break(True, margin=16)

    @property
    def width(self) -> float:
        return float(self.pdf.w - self.pdf.l_margin - self.pdf.r_margin)

    def page(self, kind: str) -> None:
        self.pdf.add_page()  # closes the previous page (its footer) first
        self.page_kind = kind

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.pdf.get_y() + height > self.pdf.page_break_trigger:
            self.page(self.page_kind)

    def text(self, body: str, size: float = 10, bold: bool = False, gap: float = 1.5, h: float | None = None) -> None:
        pdf = self.pdf
        pdf.set_font("DejaVu", "B" if bold else "", size)
        line = h or size * 0.5
        self.room(line)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(self.width, line, body, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.get_y() + gap)

    def grid(self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
             row_h: float = 9.0) -> None:
        """A table: header row in bold, then rows; an empty string is a box to fill in."""
        pdf = self.pdf
        head_h = 7.0
        self.room(head_h + row_h * min(len(rows), 2))
        x0 = pdf.l_margin

        def header() -> None:
            y = pdf.get_y()
            pdf.set_font("DejaVu", "B", 9)
            pdf.set_fill_color(*LIGHT)
            x = x0
            for text, w in zip(headers, widths, strict=True):
                pdf.set_xy(x, y)
                pdf.cell(w, head_h, text, border=1, align="C", fill=True)
                x += w
            pdf.set_y(y + head_h)

        header()
        for row in rows:
            if pdf.get_y() + row_h > pdf.page_break_trigger:
                self.page(self.page_kind)
                header()
            y = pdf.get_y()
            x = x0
            for k, (text, w) in enumerate(zip(row, widths, strict=True)):
                pdf.set_xy(x, y)
                pdf.set_font("DejaVu", "B" if k == 0 else "", 10)
                pdf.cell(w, row_h, text, border=1, align="L" if k == 0 else "C")
                x += w
            pdf.set_y(y + row_h)
        pdf.set_y(pdf.get_y() + 3)


def _setup_line(t: Trace) -> str:
    loss = get_loss(t.loss_name)
    acts = t.hidden_activation if len(t.layers) == 2 else f"hidden {t.hidden_activation}"
    if len(t.layers) > 2:
        acts += f", output {t.output_activation}"
    else:
        acts = f"output {t.output_activation}"
    mode = "one step on all samples (batch)" if t.mode == "batch" else "one step on one sample (online)"
    return (f"Network {'-'.join(map(str, t.layers))} · {acts} · loss {loss.label}: {loss.formula} · "
            f"learning rate η = {given(t.learning_rate)} · {mode}")


def _formulas(t: Trace) -> list[str]:
    last = len(t.layers) - 1
    hid = get_activation(t.hidden_activation)
    out = get_activation(t.output_activation)
    lines = ["z = Σ w·a + b  (over the connections coming in)", f"a = {out.name}(z) at the output"]
    if last > 1:
        lines[1] = f"a = {hid.name}(z) in the hidden layer, {out.name}(z) at the output"
    lines.append("raw error = a − y at the output (y is the target)")
    slope = f"slope σ′ = {out.slope_formula} at the output"
    if last > 1:
        slope = f"slope σ′ = {hid.slope_formula} ({hid.name}, hidden), {out.slope_formula} ({out.name}, output)"
    lines.append(slope)
    if t.slope_cancelled:
        lines.append("δ of an output = raw error  (cross-entropy cancels the sigmoid's slope)")
    else:
        lines.append("δ of an output = raw error × slope")
    if last > 1:
        lines.append("δ of a hidden neuron = (Σ w·δ of the neurons it feeds) × slope")
    lines.append("∂L/∂w = δ of the neuron the connection enters × a of the neuron it leaves")
    if t.n_samples > 1:
        lines.append(f"for the step: mean of the {t.n_samples} samples' ∂L/∂w, and the loss is their mean")
    lines.append("new weight: w ← w − η · ∂L/∂w")
    return lines


def _draw_network(doc: _Doc, sheet: Sheet) -> None:
    """The network with every weight on its connection, biases under the neurons and the inputs."""
    pdf, t = doc.pdf, sheet.trace
    layers = t.layers
    single = t.n_samples == 1
    height = 30.0 + 17.0 * max(layers)
    doc.room(height)
    top = pdf.get_y() + 4
    left, width = pdf.l_margin + (14 if single else 4), doc.width - (18 if single else 8)
    r = 6.0
    cols = len(layers)
    xs = [left + r + k * (width - 2 * r) / (cols - 1) for k in range(cols)]

    def ys(n: int) -> list[float]:
        gap = (height - 18) / max(layers)
        mid = top + (height - 18) / 2
        return [mid + (j - (n - 1) / 2) * gap for j in range(n)]

    pos = [[(xs[m], y) for y in ys(n)] for m, n in enumerate(layers)]
    chosen = set(sheet.connections)
    labels: list[tuple[float, float, str, bool]] = []
    for l in range(cols - 1):
        on_lines = _labelled(layers, l)
        for j in range(layers[l + 1]):
            for i in range(layers[l]):
                (x1, y1), (x2, y2) = pos[l][i], pos[l + 1][j]
                bold = (l, j, i) in chosen
                pdf.set_draw_color(*(INK if bold else GREY))
                pdf.set_line_width(0.8 if bold else 0.3)
                pdf.line(x1 + r, y1, x2 - r, y2)
                f = 0.3 if layers[l + 1] > 1 else 0.45
                if on_lines:
                    labels.append((x1 + r + (x2 - x1 - 2 * r) * f, y1 + (y2 - y1) * f,
                                   given(float(t.weights[l][j][i])), bold))
    pdf.set_line_width(0.3)
    for x, y, text, bold in labels:
        pdf.set_font("DejaVu", "B" if bold else "", 8)
        w = pdf.get_string_width(text) + 1.6
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(x - w / 2, y - 2.2)
        pdf.cell(w, 4.4, text, align="C", fill=True)
    pdf.set_draw_color(*INK)
    for m, column in enumerate(pos):
        for j, (x, y) in enumerate(column):
            pdf.set_fill_color(*(LIGHT if m == 0 else (255, 255, 255)))
            pdf.circle(x, y, r, style="FD")
            pdf.set_font("DejaVu", "B", 10)
            pdf.set_xy(x - r, y - 2.5)
            pdf.cell(2 * r, 5, neuron_name(layers, m, j), align="C")
            pdf.set_font("DejaVu", "", 8)
            if m > 0:
                if _labelled(layers, m - 1):  # else the bias is in the weight table
                    pdf.set_xy(x - 12, y + r + 0.5)
                    pdf.cell(24, 4, f"b = {given(float(t.biases[m - 1][j]))}", align="C")
            elif single:
                pdf.set_font("DejaVu", "B", 9)
                pdf.set_xy(x - r - 17, y - 2.5)
                pdf.cell(16, 5, given(float(t.x[0][j])), align="R")
            if m == cols - 1 and single:
                pdf.set_font("DejaVu", "", 8)
                pdf.set_xy(x - 14, y - r - 5)
                pdf.cell(28, 4, f"target {given(float(t.y[0][j]))}", align="C")
    pdf.set_y(top + height - 6)
    pdf.set_font("DejaVu", "", 8)
    pdf.set_x(pdf.l_margin)
    tables = [l for l in range(cols - 1) if not _labelled(layers, l)]
    where = "on the lines are weights" if len(tables) < cols - 1 else ""
    note = (f"Numbers {where}; b is each neuron's bias. " if where else "") + \
        "Bold lines: the connections whose update you work out."
    if tables:
        note += " Where the lines are too many to label, the weights are in the table below ([ ] = bold line)."
    pdf.multi_cell(doc.width, 4, note, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.get_y() + 3)
    for l in tables:  # weights[l][j][i] as a matrix: a row per neuron the lines enter
        froms = [neuron_name(layers, l, i) for i in range(layers[l])]
        rows = [[f"into {neuron_name(layers, l + 1, j)}",
                 *(f"[{given(float(t.weights[l][j][i]))}]" if (l, j, i) in chosen else given(float(t.weights[l][j][i]))
                   for i in range(layers[l])),
                 given(float(t.biases[l][j]))] for j in range(layers[l + 1])]
        w = doc.width
        doc.grid(["weights", *(f"from {n}" for n in froms), "bias b"], rows,
                 [0.16 * w] + [0.84 * w / (layers[l] + 1)] * (layers[l] + 1), row_h=6.5)
    pdf.set_y(pdf.get_y() + 2)


def _labelled(layers: tuple[int, ...], l: int) -> bool:
    """Can the weights from layer ``l`` be written on their lines? (At most 2 × 2 of them: more would collide.)"""
    return layers[l] * layers[l + 1] <= 4


def _sample_head(t: Trace, s: int) -> str:
    xs = ", ".join(given(float(v)) for v in t.x[s])
    ys = ", ".join(given(float(v)) for v in t.y[s])
    return f"Sample {t.sample_indices[s] + 1}: input x = ({xs}), target y = ({ys})"


def _tables(doc: _Doc, sheet: Sheet, filled: bool) -> None:
    """The boxes of the exercise (empty) or of the key (filled in, with the arithmetic below each)."""
    t, layers = sheet.trace, sheet.trace.layers
    last = len(layers) - 1
    w = doc.width
    A = sheet.answers

    def cell(key: str) -> str:
        return num(A[key].value) if filled else ""

    def work(keys: Sequence[str]) -> None:
        if filled:
            for key in keys:
                ans = A[key]
                doc.text(f"{ans.label} = {ans.work} = {num(ans.value)}", size=8.5, gap=0.6)
            doc.pdf.set_y(doc.pdf.get_y() + 2)

    for s in range(t.n_samples):
        p = f"s{s}."
        doc.room(60)
        doc.text(_sample_head(t, s), size=11, bold=True, gap=1)
        doc.text("1. Forward pass", size=10, bold=True, gap=1)
        names = [neuron_name(layers, m, j) for m in range(1, last + 1) for j in range(layers[m])]
        doc.grid(["neuron", "z", "a"], [[n, cell(f"{p}z.{n}"), cell(f"{p}a.{n}")] for n in names],
                 [0.2 * w, 0.4 * w, 0.4 * w])
        work([f"{p}{q}.{n}" for n in names for q in ("z", "a")])
        doc.grid(["", "loss of this sample"], [["loss", cell(f"{p}loss")]], [0.2 * w, 0.8 * w])
        work([f"{p}loss"])
        doc.text("2. Backward pass", size=10, bold=True, gap=1)
        outs = [neuron_name(layers, last, j) for j in range(layers[last])]
        doc.grid(["output", "raw error  a − y", "slope σ′", "δ"],
                 [[n, cell(f"{p}raw.{n}"), cell(f"{p}slope.{n}"), cell(f"{p}delta.{n}")] for n in outs],
                 [0.2 * w, 0.8 * w / 3, 0.8 * w / 3, 0.8 * w / 3])
        work([f"{p}{q}.{n}" for n in outs for q in ("raw", "slope", "delta")])
        hidden = [neuron_name(layers, m, j) for m in range(last - 1, 0, -1) for j in range(layers[m])]
        if hidden:
            doc.grid(["hidden", "Σ w·δ", "slope σ′", "δ"],
                     [[n, cell(f"{p}sum.{n}"), cell(f"{p}slope.{n}"), cell(f"{p}delta.{n}")] for n in hidden],
                     [0.2 * w, 0.8 * w / 3, 0.8 * w / 3, 0.8 * w / 3])
            work([f"{p}{q}.{n}" for n in hidden for q in ("sum", "slope", "delta")])
        conns = [connection_name(layers, l, j, i) for l, j, i in sheet.connections]
        head = "∂L/∂w for this sample" if t.n_samples > 1 else "∂L/∂w"
        rows = [[c, cell(f"{p}grad.{c}")] for c in conns]
        if t.n_samples == 1:
            doc.text("3. Gradient and update", size=10, bold=True, gap=1)
            doc.grid(["connection", head, "new weight"], [[*r, cell(f"new.{r[0]}")] for r in rows],
                     [0.2 * w, 0.4 * w, 0.4 * w])
            work([f"{p}grad.{c}" for c in conns] + [f"new.{c}" for c in conns])
        else:
            doc.text("3. Gradient of the marked connections", size=10, bold=True, gap=1)
            doc.grid(["connection", head], rows, [0.2 * w, 0.8 * w])
            work([f"{p}grad.{c}" for c in conns])
    if t.n_samples > 1:
        doc.room(40)
        doc.text("The whole step: the means over the samples, and the update", size=11, bold=True, gap=1)
        doc.grid(["", "loss of the step"], [["loss", cell("loss")]], [0.2 * w, 0.8 * w])
        work(["loss"])
        conns = [connection_name(layers, l, j, i) for l, j, i in sheet.connections]
        doc.grid(["connection", "∂L/∂w (mean)", "new weight"],
                 [[c, cell(f"grad.{c}"), cell(f"new.{c}")] for c in conns], [0.2 * w, 0.4 * w, 0.4 * w])
        work([f"grad.{c}" for c in conns] + [f"new.{c}" for c in conns])


def write_pdf(sheet: Sheet, out: Path, paper: str = "a4") -> int:
    """Lay the sheet out and write it; returns the number of pages."""
    t = sheet.trace
    doc = _Doc(paper, f"Glassbox worksheet — {sheet.title}")
    doc.page("Exercise")
    doc.text(f"Backpropagation by hand — {sheet.title}", size=16, bold=True, gap=1)
    doc.text("Name ______________________________      Date ______________", size=10, gap=3)
    doc.text(_setup_line(t), size=9, gap=1)
    when = (f"The weights are those after {sheet.epochs_before} epochs of training."
            if sheet.epochs_before else "The weights are the network's starting weights.")
    doc.text(f"{when} Work one training step by hand: the forward pass, the loss, the backward pass, "
             "then the gradient and the new value of each bold connection. Keep six decimal places.", size=10,
             gap=2)
    _draw_network(doc, sheet)
    if t.n_samples > 1:
        w = doc.width
        n_in, n_out = t.layers[0], t.layers[-1]
        heads = [neuron_name(t.layers, 0, k) for k in range(n_in)] + [
            f"target for {neuron_name(t.layers, len(t.layers) - 1, k)}" for k in range(n_out)]
        rows = [[str(t.sample_indices[s] + 1), *(given(float(v)) for v in t.x[s]), *(given(float(v)) for v in t.y[s])]
                for s in range(t.n_samples)]
        doc.text("The samples of this step", size=10, bold=True, gap=1)
        doc.grid(["sample", *heads], rows, [0.16 * w] + [0.84 * w / (n_in + n_out)] * (n_in + n_out), row_h=6.5)
    doc.text("Formulas", size=10, bold=True, gap=0.5)
    for line in _formulas(t):
        doc.text(f"•  {line}", size=9, gap=0.2)
    doc.pdf.set_y(doc.pdf.get_y() + 3)
    _tables(doc, sheet, filled=False)
    doc.page("Answer key")
    doc.text(f"Answer key — {sheet.title}", size=16, bold=True, gap=1)
    doc.text("Every number comes from Glassbox's trace of this training step; each line shows the "
             "arithmetic with the rounded numbers, the result is the exact one, rounded.", size=9, gap=3)
    _tables(doc, sheet, filled=True)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        doc.pdf.output(str(out))
    except OSError as exc:
        raise WorksheetError(f"{out}: cannot write the PDF ({exc.strerror or type(exc).__name__})") from None
    return int(doc.pdf.page_no())


def worksheet_main(ref: str, out: str, epochs: int = 0, paper: str = "a4", connections: Sequence[str] = ()) -> int:
    """The ``worksheet`` command: 0 when written, 2 with one line on stderr otherwise."""
    from glassbox_game.errors import CliError, MissingPackage
    from glassbox_game.scenes.factory import find_level

    if not out.lower().endswith(".pdf"):
        print(f"glassbox: --out {out}: the file name must end in .pdf", file=sys.stderr)
        return 2
    try:
        level = find_level(ref)
        title = level.title or Path(ref).stem
        sheet = build_sheet(level.setup, title, epochs, connections)
        pages = write_pdf(sheet, Path(out), paper)
    except (CliError, WorksheetError, MissingPackage) as exc:
        print(f"glassbox: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}: {pages} pages (exercise and answer key), {len(sheet.answers)} answers")
    return 0
