"""View models for the chain-rule, forward, loss-calculation and table panels (no pygame).

Every figure is read from the engine's :class:`Trace` of the displayed step; the only arithmetic
here is picking a row and writing the numbers out. The one exception is the gradient check: its
finite difference is computed from a network rebuilt from the trace's weights, because it is the
independent oracle the backprop value is checked against.

Each figure is a :class:`Num` — the value and the exact text shown — so tests can compare the two.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from glassbox_game.engine.activations import get_activation
from glassbox_game.engine.gradcheck import numeric_gradient
from glassbox_game.engine.losses import get_loss
from glassbox_game.engine.names import neuron_key, neuron_name
from glassbox_game.engine.network import Network
from glassbox_game.engine.trace import Trace
from glassbox_game.numfmt import fmt
from glassbox_game.sim.selection import Selection
from glassbox_game.sim.snapshot import Snapshot

SLOPE_NOTE = "The slope depends only on the neuron's own state, never on the error."
CANCEL_NOTE = ("Cross-entropy: ∂L/∂a × σ′ = (a − y)/(a(1 − a)) × a(1 − a) = a − y. The slope cancels, "
               "so δ stays big even when the output saturates.")
HINT = "Click any connection to see its chain rule."
TAB_HINT = "Tab / Shift+Tab steps through every weight and bias."
FRACTIONS = {1: "1", 2: "½", 3: "⅓", 4: "¼", 5: "⅕", 6: "⅙", 8: "⅛"}


@dataclass(frozen=True)
class Num:
    """A figure and the exact text shown for it (real minus signs, tiny values as 1.2e−5)."""

    value: float
    text: str


def num(value: float, digits: int = 3) -> Num:
    """``digits`` significant digits; 0.001 … 0.01 stay decimal (0.00697 reads better than 7.0e−3),
    smaller values in scientific form with the same significant digits (4.54e−5)."""
    v = float(value)
    if v == 0:
        return Num(0.0, "0")
    if 1e-3 <= abs(v) < 1e-2:
        return Num(v, f"{v:.{digits + 2}f}".replace("-", "−"))
    if abs(v) < 1e-3:
        mant, exp = f"{v:.{max(0, digits - 1)}e}".split("e")
        return Num(v, f"{mant}e{int(exp)}".replace("-", "−"))
    return Num(v, fmt(v, digits))


EXACT = {1.0: "1", 0.01: "0.01", 0.0: "0", -1.0: "−1"}  # slopes of ReLU, leaky ReLU, linear: exact


def operand(value: float, digits: int) -> Num:
    """A factor in a written line: the exact constants as they are (ReLU′ = 1, not 1.00)."""
    v = float(value)
    return Num(v, EXACT[v]) if v in EXACT else num(v, digits)


def parse(text: str) -> float:
    """The number a shown text stands for (the inverse of :func:`num`)."""
    return float(text.replace("−", "-").replace(",", ""))


def worked(result: float, operands: list[float], compute: Callable[[list[float]], float], digits: int = 3,
           most: int = 12, result_text: Num | None = None) -> tuple[list[Num], Num]:
    """Operands printed with as few significant digits as it takes for the arithmetic done on the
    shown operands (``compute``) to give the shown result — so a written line adds up as shown."""
    res = result_text or num(result, digits)
    if len(operands) <= 2:
        span = range(digits, most + 1)
        combos = sorted(((d1, d2) for d1 in span for d2 in (span if len(operands) == 2 else [0])),
                        key=lambda c: (c[0] + c[1], c))
        choices = [[operand(v, d) for v, d in zip(operands, c, strict=False)] for c in combos]
    else:
        choices = [[operand(v, d) for v in operands] for d in range(digits, most + 1)]
    for ops in choices:
        try:
            back = compute([parse(o.text) for o in ops])
        except (ZeroDivisionError, OverflowError, ValueError):
            continue
        if rounds_to(back, res):
            return ops, res
    return [operand(v, most) for v in operands], res


def rounds_to(back: float, res: Num) -> bool:
    """``back`` rounds to the text ``res`` shows (within half a unit of its last digit)."""
    text = res.text.replace("−", "-").replace(",", "")
    try:
        shown = float(text)
    except ValueError:
        return False
    mant, _, exp = text.partition("e")
    decimals = len(mant.partition(".")[2])
    unit = 10.0 ** (int(exp or 0) - decimals)
    return abs(back - shown) <= 0.5 * unit * (1 + 1e-9)


def before_after(before: float, after: float, digits: int = 4, most: int = 8) -> tuple[Num, Num]:
    """Before → after with just enough digits that a real change never reads as "0.2649 → 0.2649"."""
    for d in range(digits, most + 1):
        b, a = num(before, d), num(after, d)
        if b.text != a.text or before == after:
            return b, a
    return b, a


def plain(value: float) -> str:
    """Inputs and targets: 0 and 1 read better than 0.00 and 1.00."""
    v = float(value)
    return str(int(v)).replace("-", "−") if v.is_integer() else fmt(v, 3)


def factor(n: Num) -> str:
    """A number written inside a product: negative ones in parentheses, as on paper."""
    return f"({n.text})" if n.value < 0 else n.text


def sample_label(trace: Trace, row: int) -> str:
    return "(" + ", ".join(plain(v) for v in trace.x[row]) + ")"


def target_label(trace: Trace, row: int) -> str:
    ys = [plain(v) for v in trace.y[row]]
    return ys[0] if len(ys) == 1 else "(" + ", ".join(ys) + ")"


def mean_symbol(n: int) -> str:
    return FRACTIONS.get(n, f"1/{n}·")


def display_row(trace: Trace, sample: int | None) -> int | None:
    """The trace row of the displayed training sample; None means the batch view (means)."""
    if sample is None:
        return None
    if sample in trace.sample_indices:
        return trace.sample_indices.index(sample)
    return 0 if trace.n_samples == 1 else None


# -- the chain rule ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """One product of a written-out sum: the name of what it comes from, both factors, the product."""

    name: str
    left: Num
    right: Num
    product: Num


@dataclass(frozen=True, kw_only=True)
class SlopeView:
    symbol: str  # σ′
    formula: str  # a(1 − a)
    detail: str  # 0.588 × (1 − 0.588)
    value: Num
    state: str  # listening, barely, saturated, dead, constant, cancels
    state_text: str
    line: str = ""  # the worked line: σ′ = 0.9999546 × (1 − 0.9999546) = 4.54e−5


@dataclass(frozen=True, kw_only=True)
class DeltaBoxes:
    """The delta row for one neuron and one sample: [raw error or Σ w·δ] × [slope] = [δ]."""

    neuron: str
    output: bool
    first_title: str  # RAW ERROR / BACKPROP SUM
    first_formula: str  # a − y / Σ w·δ
    first_detail: str  # 0.588 − 1 / 1.207 × (−0.0998) + …
    first: Num
    first_caption: str
    terms: tuple[Term, ...]  # the backprop sum's terms (hidden neurons)
    slope: SlopeView
    slope_caption: str
    struck: bool  # cross-entropy on a sigmoid output: the slope does not multiply
    delta_formula: str
    delta: Num
    delta_caption: str
    note: str
    first_line: str = ""  # the worked line of the first factor
    delta_line: str = ""  # δ = 22026 × 4.540e−5 = 1.000


@dataclass(frozen=True, kw_only=True)
class SampleRow:
    """Batch view: one sample's δ and its share of the mean gradient."""

    row: int
    label: str
    first: Num
    slope: Num
    delta: Num
    factor: Num | None  # a of the source neuron (None for a bias: the factor is 1)
    product: Num


@dataclass(frozen=True, kw_only=True)
class UpdateView:
    symbol: str  # w or b
    rule: str
    grad_note: str  # "mean over 4 samples" when the step averages several samples
    lr: Num
    grad: Num
    before: Num
    after: Num
    change: Num  # after − before: the step itself, legible even when it is tiny
    data_grad: Num | None = None  # with regularisation: the data part of grad (mean δ × a) …
    penalty: str = ""  # … and the penalty term with its numbers: "λ·w (0.001 × 0.53 = 0.00053)"


@dataclass(frozen=True, kw_only=True)
class CheckView:
    finite_difference: Num
    backprop: Num
    diff: Num
    ok: bool


@dataclass(frozen=True, kw_only=True)
class ForwardView:
    """z = Σ w·a + b term by term, then a = f(z), for one neuron (or z → a per sample in the batch view)."""

    neuron: str
    terms: tuple[Term, ...]
    bias: Num | None
    z: Num | None
    act: str  # σ
    a: Num | None
    per_sample: tuple[tuple[str, Num, Num], ...]  # batch view: (sample, z, a)


@dataclass(frozen=True, kw_only=True)
class ChainRuleView:
    """Everything the chain-rule panel shows; built by keyword (a field nobody names is empty)."""

    kind: str  # edge, bias, input, none
    pill: str
    batch: bool
    n_samples: int
    slope_cancelled: bool  # the loss cancels the output's slope (cross-entropy on a sigmoid)
    title: str = ""  # w from h₁ to ŷ
    symbol: str = "w"  # w / b
    source: str = ""  # h₁ ("" for a bias)
    target: str = ""  # ŷ
    grad: Num = Num(0.0, "0")  # ∂L/∂w of this view: the sample's, or the mean
    delta: Num | None = None  # per-sample factors
    factor: Num | None = None
    boxes: DeltaBoxes | None = None  # per-sample view
    rows: tuple[SampleRow, ...] = ()  # batch view
    output: bool = False  # the neuron whose δ is shown is an output neuron
    slope_symbol: str = ""  # σ′, tanh′ … of that neuron
    note: str = ""  # the standing note under the delta row (or why the slope is cancelled)
    update: UpdateView | None = None
    check: CheckView | None = None
    forward: ForwardView | None = None
    message: str = ""  # hint (nothing selected) or what an input neuron is

    @property
    def lhs(self) -> str:
        return f"∂L/∂{self.symbol}"


def _slope_view(act_name: str, a: float, z: float, slope: float, threshold: float,
                shown: Num | None = None) -> SlopeView:
    """The slope box of one neuron; ``shown`` is the slope's text when the delta line fixed its digits.

    Every symbol and formula comes from the activation's record: a slope written in terms of a
    (σ′ = a(1 − a)) is worked out with just enough digits of a to add up as shown; one that depends
    only on the sign of z says why.
    """
    act = get_activation(act_name)
    s, nz = shown or num(slope), num(z)
    sym = act.slope_symbol
    template = act.slope_detail[0 if z > 0 else 1]
    if "{a}" in template:
        (na,), _ = worked(slope, [a], lambda v: float(act.slope(np.asarray(z), np.asarray(v[0]))), result_text=s)
        detail = template.format(a=factor(na), z=nz.text)
        line = f"{sym} = {detail} = {s.text}"
    elif "{z}" in template:
        detail = template.format(z=nz.text)
        line = f"{sym}(z) = {s.text} because {detail}"
    else:
        detail = template
        line = f"{sym}(z) = {s.text}: {detail}"
    if act.lock_rule == "dead" and slope == 0:
        state, text = "dead", "no: z ≤ 0, switched off"
    elif act.lock_rule == "never" and slope < act.peak_slope:
        state, text = "barely", f"barely: z ≤ 0 (slope {act.low_slope or 0.0:g})"
    elif act.lock_rule != "threshold":
        state, text = "listening", f"yes: slope {act.peak_slope:g}"
    elif slope < threshold:
        state, text = "saturated", "no: saturated"
    elif slope < 0.2 * act.peak_slope:
        state, text = "barely", "barely: near saturation"
    else:
        state, text = "listening", "yes: listening"
    return SlopeView(symbol=sym, formula=act.slope_formula, detail=detail, value=s, state=state, state_text=text,
                     line=line)


def slope_answer(slope: SlopeView) -> str:
    """The answer to "Is the neuron listening?" in words, without repeating the question."""
    if slope.state == "listening":
        return "Yes."
    head, _, rest = slope.state_text.partition(": ")
    return f"{head.capitalize()}: {rest}." if rest else f"{slope.state_text.capitalize()}."


def _activation(trace: Trace, layer: int) -> str:
    return trace.output_activation if layer == len(trace.layers) - 1 else trace.hidden_activation


def delta_boxes(trace: Trace, layer: int, j: int, row: int, threshold: float) -> DeltaBoxes:
    """The delta row of neuron j of ``layer`` (≥ 1) for trace row ``row``: every written line adds up
    as shown (operands get the significant digits the arithmetic needs)."""
    L = len(trace.layers) - 1
    name = neuron_name(trace.layers, layer, j, trace.features)
    act = _activation(trace, layer)
    a = float(trace.a[layer][row][j])
    z = float(trace.z[layer - 1][row][j])
    raw_slope = float(trace.slope[layer - 1][row][j])
    d = float(trace.delta[layer - 1][row][j])
    if layer == L:
        first_value = float(trace.raw_error[row][j])
    else:
        first_value = float(trace.backprop_sum[layer - 1][row][j])
    struck = layer == L and trace.slope_cancelled
    # δ = first × slope, as shown (a dead ReLU: anything × 0 = 0)
    (first, shown_slope), delta = worked(d, [first_value, raw_slope], lambda v: v[0] * v[1])
    slope = _slope_view(act, a, z, raw_slope, threshold, shown_slope)
    sym = slope.symbol
    if layer == L:
        y = float(trace.y[row][j])
        if struck:
            # the real cancellation: ∂L/∂a = (a − y)/(a(1 − a)), σ′ = a(1 − a), δ = a − y
            (nr, ns), _ = worked(first_value, [a - y, raw_slope], lambda v: v[0] / v[1], result_text=first)
            detail = f"{factor(nr)} / {factor(ns)}"
            first_line = f"∂L/∂a = (a − y)/(a(1 − a)) = {detail} = {first.text}"
            slope = replace(slope, state="cancels", state_text="cancels: ∂L/∂a divides by a(1 − a)")
            delta_formula = f"δ = ∂L/∂a · {sym} = a − y"
            delta_line = f"δ = {factor(first)} × {factor(slope.value)} = {delta.text} = a − y"
            note = f"{CANCEL_NOTE} Here: {factor(first)} × {factor(slope.value)} = {delta.text}."
            formula = "∂L/∂a"
        else:
            (na,), _ = worked(first_value, [a], lambda v: v[0] - y, result_text=first)
            detail = f"{na.text} − {plain(y)}"
            first_line = f"∂L/∂a = a − y = {detail} = {first.text}"
            delta_formula = f"δ = (a − y) · {sym}"
            delta_line = f"δ = {factor(first)} × {factor(slope.value)} = {delta.text}"
            note = SLOPE_NOTE
            formula = "a − y"
        return DeltaBoxes(
            neuron=name, output=True, first_title="RAW ERROR", first_formula=formula,
            first_detail=detail, first=first, first_caption="How wrong are we?",
            terms=(), slope=slope, slope_caption="Is the neuron listening?", struck=False,
            delta_formula=delta_formula, delta=delta, delta_caption="Blame sent back", note=note,
            first_line=first_line, delta_line=delta_line)
    raw_terms = trace.backprop_terms(layer, j, row)
    products, _ = worked(first_value, [p for *_, p in raw_terms], sum, result_text=first)
    terms = []
    for (k, w, dk, _p), prod in zip(raw_terms, products, strict=True):
        (nw, nd), _ = worked(prod.value, [w, dk], lambda v: v[0] * v[1], result_text=prod)
        terms.append(Term(neuron_name(trace.layers, layer + 1, k, trace.features), nw, nd, prod))
    detail = " + ".join(f"{factor(t.left)} × {factor(t.right)}" for t in terms)
    first_line = f"Σ w·δ = {detail} = {first.text}"
    if len(terms) > 1:
        first_line = f"Σ w·δ = {detail} = {' + '.join(factor(t.product) for t in terms)} = {first.text}"
    return DeltaBoxes(
        neuron=name, output=False, first_title="BACKPROP SUM", first_formula="Σ w·δ", first_detail=detail,
        first=first, first_caption="Blame from ahead", terms=tuple(terms), slope=slope,
        slope_caption="Is the neuron listening?", struck=False,
        delta_formula=f"δ = (Σ w·δ) · {sym}", delta=delta, delta_caption="Blame sent back",
        note=SLOPE_NOTE, first_line=first_line,
        delta_line=f"δ = {factor(first)} × {factor(slope.value)} = {delta.text}")


def forward_view(trace: Trace, layer: int, j: int, row: int | None) -> ForwardView:
    name = neuron_name(trace.layers, layer, j, trace.features)
    act = get_activation(_activation(trace, layer)).symbol
    if row is None:
        per = tuple((sample_label(trace, r), num(trace.z[layer - 1][r][j]), num(trace.a[layer][r][j]))
                    for r in range(trace.n_samples))
        return ForwardView(neuron=name, terms=(), bias=None, z=None, act=act, a=None, per_sample=per)
    terms = tuple(Term(neuron_name(trace.layers, layer - 1, i, trace.features), num(w, 4), num(a), num(p))
                  for i, w, a, p in trace.forward_terms(layer, j, row))
    return ForwardView(neuron=name, terms=terms, bias=num(trace.biases[layer - 1][j], 4),
                       z=num(trace.z[layer - 1][row][j]), act=act, a=num(trace.a[layer][row][j]), per_sample=())


class GradCheckCache:
    """The finite-difference oracle, recomputed only when trace, parameter or sample change."""

    def __init__(self, size: int = 16) -> None:
        self._items: OrderedDict[tuple, tuple[Trace, float]] = OrderedDict()
        self._size = size

    def finite_difference(self, trace: Trace, kind: str, layer: int, j: int, i: int, row: int | None) -> float:
        # Keyed by id() but the trace itself is kept and compared, so a recycled id never hits.
        key = (id(trace), kind, layer, j, i, row)
        hit = self._items.get(key)
        if hit is not None and hit[0] is trace:
            self._items.move_to_end(key)
            return hit[1]
        value = finite_difference(trace, kind, layer, j, i, row)
        self._items[key] = (trace, value)
        if len(self._items) > self._size:
            self._items.popitem(last=False)
        return value


def finite_difference(trace: Trace, kind: str, layer: int, j: int, i: int, row: int | None) -> float:
    """Central difference of the loss of the displayed sample (or the mean over the step's samples)."""
    net = Network(trace.layers, [np.array(w) for w in trace.weights], [np.array(b) for b in trace.biases],
                  trace.hidden_activation, trace.output_activation)
    x, y = (trace.x, trace.y) if row is None else (trace.x[row:row + 1], trace.y[row:row + 1])
    return numeric_gradient(net, np.array(x), np.array(y), get_loss(trace.loss_name), kind, layer, j, i)


def grad_check(fd: float, bp: float) -> CheckView:
    diff = abs(fd - bp)
    text = f"{diff:.0e}".replace("-", "−").replace("e−0", "e−").replace("e+00", "") if diff else "0"
    ok = bool(diff <= 1e-6 + 1e-4 * max(abs(fd), abs(bp)))
    return CheckView(finite_difference=num(fd, 4), backprop=num(bp, 4), diff=Num(diff, text), ok=ok)


_DEFAULT_CACHE = GradCheckCache()


def chain_view(trace: Trace, selection: Selection | None, sample: int | None, threshold: float = 0.02,
               cache: GradCheckCache | None = None) -> ChainRuleView:
    """Everything the chain-rule panel shows for ``selection`` at trace row of ``sample`` (None = batch)."""
    cache = cache or _DEFAULT_CACHE
    row = display_row(trace, sample)
    n = trace.n_samples
    if row is None:
        pill = f"batch mean over {n} sample{'s' if n != 1 else ''}"
    else:
        pill = f"sample {trace.sample_indices[row] + 1} {sample_label(trace, row)} · y = {target_label(trace, row)}"
    empty = ChainRuleView(kind="none", pill=pill, batch=row is None, n_samples=n,
                          slope_cancelled=trace.slope_cancelled, message=HINT)
    if selection is None or not selection.fits(trace.layers):
        return empty
    layers = trace.layers
    if selection.kind == "neuron" and selection.layer == 0:
        name = neuron_name(layers, 0, selection.j, trace.features)
        value = trace.x[row][selection.j] if row is not None else None
        msg = f"{name} is an input: it has no weights in and no bias; a = {name}"
        msg += f" = {plain(value)} for this sample." if value is not None else ", the sample's value."
        return replace(empty, kind="input", title=f"input {name}", target=name, message=msg)
    if selection.kind == "edge":
        l, j, i = selection.layer, selection.j, selection.i
        kind, sym, tl = "edge", "w", l + 1
        source, target = neuron_name(layers, l, i, trace.features), neuron_name(layers, l + 1, j, trace.features)
        title = f"w from {source} to {target}"
        per = trace.grad_w[l][:, j, i]
        mean = float(trace.mean_grad_w[l][j, i])  # the whole gradient applied (penalty included)
        data_mean = float(trace.data_grad_w[l][j, i])
        before, after = trace.weights[l][j, i], trace.weights_after[l][j, i]
    else:
        tl, j, i, l = selection.layer, selection.j, 0, selection.layer - 1
        kind, sym = "bias", "b"
        source, target = "", neuron_name(layers, tl, j, trace.features)
        title = f"bias b of {target}"
        per = trace.grad_b[l][:, j]
        mean = float(trace.mean_grad_b[l][j])
        data_mean = float(trace.data_grad_b[l][j])  # biases are not regularised: the same number
        before, after = trace.biases[l][j], trace.biases_after[l][j]
    bp = data_mean if row is None else float(per[row])  # the data loss's gradient (what the check checks)
    fd = cache.finite_difference(trace, "w" if kind == "edge" else "b", l, j, i, row)
    grad = num(bp)
    note = f"the step uses the mean ∂L/∂{sym} over {n} samples" if n > 1 else ""
    shown_before, shown_after = before_after(float(before), float(after))
    penalty = ""
    if trace.regularization != "none" and kind == "edge":
        lam, w_now = trace.regularization_rate, float(trace.weights[l][j, i])
        term = float(trace.penalty_grad_w[l][j, i])
        factor_text = (f"{num(w_now).text}" if trace.regularization == "l2"
                       else f"sign({num(w_now).text})")
        penalty = (f"{'λ·w' if trace.regularization == 'l2' else 'λ·sign w'} ({num(lam).text} × {factor_text}"
                   f" = {num(term).text})")
    update = UpdateView(symbol=sym, rule=f"{sym} ← {sym} − η · ∂L/∂{sym}", grad_note=note,
                        lr=num(trace.learning_rate, 2), grad=num(mean), before=shown_before, after=shown_after,
                        change=num(float(after) - float(before)),
                        data_grad=num(data_mean) if trace.regularization != "none" else None, penalty=penalty)
    forward = forward_view(trace, tl, j, row) if kind == "bias" else None
    deltas = trace.delta[tl - 1][:, j]
    output = tl == len(layers) - 1
    note = CANCEL_NOTE if output and trace.slope_cancelled else SLOPE_NOTE
    slope_sym = get_activation(_activation(trace, tl)).slope_symbol
    shared = replace(empty, kind=kind, title=title, symbol=sym, source=source, target=target, grad=grad,
                     output=output, slope_symbol=slope_sym, update=update, check=grad_check(fd, bp), forward=forward,
                     message="")
    if row is None:
        rows = []
        for r in range(n):
            first = trace.raw_error[r][j] if tl == len(layers) - 1 else trace.backprop_sum[tl - 1][r][j]
            fac = num(trace.a[l][r][i]) if kind == "edge" else None
            rows.append(SampleRow(row=r, label=row_label(trace, r), first=num(first),
                                  slope=num(trace.slope[tl - 1][r][j]), delta=num(deltas[r]), factor=fac,
                                  product=num(per[r])))
        return replace(shared, batch=True, rows=tuple(rows), note=note)
    boxes = delta_boxes(trace, tl, j, row, threshold)
    fac = num(trace.a[l][row][i]) if kind == "edge" else None
    return replace(shared, batch=False, delta=boxes.delta, factor=fac, boxes=boxes, note=boxes.note)


def snapshot_chain_view(snap: Snapshot, cache: GradCheckCache | None = None) -> ChainRuleView:
    """The chain-rule view of a frame: the hovered connection previews, else the selection."""
    target = snap.hover if snap.hover is not None else snap.selection
    return chain_view(snap.trace, target, snap.sample, snap.lock_threshold, cache)


# -- loss calculation ----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class LossRow:
    row: int
    inputs: tuple[str, ...]
    targets: tuple[str, ...]
    prediction: tuple[Num, ...]
    terms: tuple[str, ...]  # the sample's loss written out, one term per output: ½(0.588 − 1)²
    loss: Num
    bar: float  # loss / largest sample loss, 0 … 1
    highlighted: bool

    @property
    def written(self) -> str:
        """The whole written line: the outputs' terms added up."""
        return " + ".join(self.terms)


@dataclass(frozen=True, kw_only=True)
class LossCalcView:
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]
    formula_header: str  # ½(ŷ − y)²
    rows: tuple[LossRow, ...]
    mean_formula: str  # L = ¼ Σ ½(ŷ − y)²
    mean: Num  # the data loss
    penalty: Num | None = None  # with regularisation: the step's penalty term, shown beside (not in) it


def _loss_of(loss_name: str, y: float) -> Callable[[list[float]], float]:
    if loss_name == "mse":
        return lambda v: 0.5 * (v[0] - y) ** 2
    return lambda v: -(y * math.log(v[0]) if y else 0.0) - ((1 - y) * math.log(1 - v[0]) if y != 1 else 0.0)


def _written_loss(loss_name: str, a: float, y: float, loss: Num | None = None) -> str:
    """The sample's loss written out, ``a`` with the digits it takes to give the shown ``loss``."""
    if loss is not None:
        (na,), _ = worked(loss.value, [a], _loss_of(loss_name, y), result_text=loss)
        na = Num(na.value, factor(na))
    else:
        na = Num(a, factor(num(a)))
    if loss_name == "mse":
        return f"½({na.text} − {plain(y)})²"
    if y == 1:
        return f"−ln {na.text}"
    if y == 0:
        return f"−ln(1 − {na.text})"
    return f"−[{plain(y)} ln {na.text} + {plain(1 - y)} ln(1 − {na.text})]"


def loss_calc_view(trace: Trace, sample: int | None) -> LossCalcView:
    layers = trace.layers
    row_shown = display_row(trace, sample)
    outs = tuple(neuron_name(layers, len(layers) - 1, k, trace.features) for k in range(layers[-1]))
    top = float(np.max(trace.sample_loss)) if trace.n_samples else 0.0
    rows = []
    for r in range(trace.n_samples):
        preds = tuple(num(v) for v in trace.a[-1][r])
        loss = float(trace.sample_loss[r])
        one = num(loss) if len(preds) == 1 else None  # one output: the written line gives the loss shown
        terms = tuple(_written_loss(trace.loss_name, p.value, float(y), one) for p, y in
                      zip(preds, trace.y[r], strict=True))
        rows.append(LossRow(row=r, inputs=tuple(plain(v) for v in trace.x[r]),
                            targets=tuple(plain(v) for v in trace.y[r]), prediction=preds, terms=terms,
                            loss=num(loss), bar=loss / top if top > 0 else 0.0, highlighted=r == row_shown))
    # one sample's loss; with several outputs it sums over them (engine/losses.py: the sum on the last axis)
    if layers[-1] == 1:
        per = "½(ŷ − y)²" if trace.loss_name == "mse" else "−[y ln ŷ + (1 − y) ln(1 − ŷ)]"
    else:
        per = "½ Σₖ(ŷₖ − yₖ)²" if trace.loss_name == "mse" else "−Σₖ[yₖ ln ŷₖ + (1 − yₖ) ln(1 − ŷₖ)]"
    return LossCalcView(
        input_names=tuple(neuron_name(layers, 0, i, trace.features) for i in range(layers[0])), output_names=outs,
        formula_header=per, rows=tuple(rows),
        mean_formula=f"L = {per}" if trace.n_samples == 1 else f"L = {mean_symbol(trace.n_samples)} Σ {per}",
        mean=num(trace.loss), penalty=num(trace.penalty) if trace.regularization != "none" else None)


# -- tables --------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Cell:
    """One table cell; ``target`` names it for clicks ("cell:a:h1:2"), ``select``/``sample`` say what a
    click picks (a neuron or weight, and the sample row)."""

    text: str
    value: float | None
    target: str
    select: Selection | None
    sample: int | None
    signed: bool  # colour by sign (with the real minus sign as the second cue)


@dataclass(frozen=True, kw_only=True)
class Table:
    key: str  # a, delta, w
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    highlighted: int | None  # row index of the displayed sample
    numeric: tuple[bool, ...]  # per column: align on the decimal point


def row_label(trace: Trace, r: int) -> str:
    """A table row's label: numbered from 1 on screen ("3 (1, 0)" is the third row)."""
    return f"{trace.sample_indices[r] + 1}  {sample_label(trace, r)}"


def _row_cell(trace: Trace, key: str, r: int) -> Cell:
    return Cell(text=row_label(trace, r), value=None, target=f"row:{key}:{r}", select=None,
                sample=trace.sample_indices[r], signed=False)


def activations_table(trace: Trace, sample: int | None) -> Table:
    layers = trace.layers
    headers = ["sample"] + [neuron_name(layers, m, j, trace.features) for m, n in enumerate(layers) for j in range(n)] + ["y"]
    rows = []
    for r in range(trace.n_samples):
        cells = [_row_cell(trace, "a", r)]
        for m, n in enumerate(layers):
            for j in range(n):
                v = num(trace.a[m][r][j])
                name = neuron_key(layers, m, j)
                cells.append(Cell(text=plain(v.value) if m == 0 else v.text, value=v.value,
                                  target=f"cell:a:{name}:{r}", select=Selection.neuron(m, j),
                                  sample=trace.sample_indices[r], signed=v.value < 0))
        cells.append(Cell(text=target_label(trace, r), value=None, target=f"cell:y:{r}", select=None,
                          sample=trace.sample_indices[r], signed=False))
        rows.append(tuple(cells))
    numeric = (False,) + (True,) * (len(headers) - 2) + (False,)
    return Table(key="a", headers=tuple(headers), rows=tuple(rows), highlighted=display_row(trace, sample),
                 numeric=numeric)


def deltas_table(trace: Trace, sample: int | None) -> Table:
    layers = trace.layers
    headers = ["sample"] + [f"δ {neuron_name(layers, m, j, trace.features)}" for m in range(1, len(layers))
                            for j in range(layers[m])]
    rows = []
    for r in range(trace.n_samples):
        cells = [_row_cell(trace, "delta", r)]
        for m in range(1, len(layers)):
            for j in range(layers[m]):
                v = num(trace.delta[m - 1][r][j])
                cells.append(Cell(text=v.text, value=v.value, target=f"cell:delta:{neuron_key(layers, m, j)}:{r}",
                                  select=Selection.neuron(m, j), sample=trace.sample_indices[r], signed=True))
        rows.append(tuple(cells))
    return Table(key="delta", headers=tuple(headers), rows=tuple(rows), highlighted=display_row(trace, sample),
                 numeric=(False,) + (True,) * (len(headers) - 1))


def weights_table(trace: Trace, sample: int | None) -> Table:
    """Every weight and bias with the gradient of the displayed sample (or the mean in the batch view)."""
    layers = trace.layers
    row = display_row(trace, sample)
    rows = []
    for l in range(len(layers) - 1):
        for j in range(layers[l + 1]):
            for i in range(layers[l]):
                g = trace.mean_grad_w[l][j, i] if row is None else trace.grad_w[l][row][j, i]
                src, dst = neuron_name(layers, l, i, trace.features), neuron_name(layers, l + 1, j, trace.features)
                rows.append(_param_row(f"w {src}→{dst}", trace.weights[l][j, i], g,
                                       f"{neuron_key(layers, l, i)}->{neuron_key(layers, l + 1, j)}",
                                       Selection.edge(l, j, i)))
        for j in range(layers[l + 1]):
            g = trace.mean_grad_b[l][j] if row is None else trace.grad_b[l][row][j]
            rows.append(_param_row(f"b {neuron_name(layers, l + 1, j, trace.features)}", trace.biases[l][j], g,
                                   f"b:{neuron_key(layers, l + 1, j)}", Selection.neuron(l + 1, j)))
    grad = "mean gradient" if row is None else "gradient"
    return Table(key="w", headers=("w / b", "value", grad), rows=tuple(rows), highlighted=None,
                 numeric=(False, True, True))


def _param_row(label: str, value: float, grad: float, name: str, sel: Selection) -> tuple[Cell, ...]:
    v, g = num(value, 4), num(grad)
    return (Cell(text=label, value=None, target=f"cell:w:{name}", select=sel, sample=None, signed=False),
            Cell(text=v.text, value=v.value, target=f"cell:w:{name}:value", select=sel, sample=None, signed=True),
            Cell(text=g.text, value=g.value, target=f"cell:w:{name}:grad", select=sel, sample=None, signed=True))
