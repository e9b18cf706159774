"""Turbo training: the same arithmetic as :func:`compute_trace`, with no trace.

For a network this small, numpy's per-call overhead dominates, so the fast path writes out a
plain-Python function unrolled for one architecture (every weight a local float) and compiles
it once. It computes exactly what the traced path computes — forward, slopes, δ, mean gradient,
update, per-epoch loss and lock state — and tests compare the two. Only source text built here
from fixed templates is compiled; nothing from a level file is ever executed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

WEIGHT_LIMIT = 1e6  # a weight or bias beyond this is "absurd": training halts
LOSS_LIMIT = 1e12

_ACT_CODE = {
    "sigmoid": [
        "if {z} >= 0.0:",
        "    _e = exp(-{z}); {a} = 1.0 / (1.0 + _e)",
        "else:",
        "    _e = exp({z}); {a} = _e / (1.0 + _e)",
        "{s} = {a} * (1.0 - {a})",
    ],
    "tanh": ["{a} = tanh({z}); {s} = 1.0 - {a} * {a}"],
    "relu": ["if {z} > 0.0:", "    {a} = {z}; {s} = 1.0", "else:", "    {a} = 0.0; {s} = 0.0"],
    "leaky_relu": ["if {z} > 0.0:", "    {a} = {z}; {s} = 1.0", "else:", "    {a} = 0.01 * {z}; {s} = 0.01"],
    "linear": ["{a} = {z}; {s} = 1.0"],
}
_LOCK_RULE = {"sigmoid": "threshold", "tanh": "threshold", "relu": "dead"}


def _source(layers: tuple[int, ...], hidden: str, output: str, loss: str, online: bool) -> str:
    """Python source of ``run(params, data, lr, epochs, thr, locked, epoch0, losses, events, orders)``."""
    L = len(layers) - 1
    act = [""] + [hidden] * (L - 1) + [output]
    ws = [f"w{l}_{j}_{i}" for l in range(L) for j in range(layers[l + 1]) for i in range(layers[l])]
    bs = [f"b{l}_{j}" for l in range(L) for j in range(layers[l + 1])]
    params = []
    for l in range(L):
        params += [f"w{l}_{j}_{i}" for j in range(layers[l + 1]) for i in range(layers[l])]
        params += [f"b{l}_{j}" for j in range(layers[l + 1])]
    # cross-entropy on a sigmoid output cancels its slope: the output never locks (engine/locks.py)
    cancelled = loss == "cross_entropy" and output == "sigmoid"
    lockers = [(m, j, _LOCK_RULE[act[m]]) for m in range(1, L + 1) for j in range(layers[m])
               if act[m] in _LOCK_RULE and not (cancelled and m == L)]
    ins = ", ".join(f"a0_{i}" for i in range(layers[0])) + ","
    outs = ", ".join(f"y_{k}" for k in range(layers[L])) + ","
    src: list[str] = []
    emit = src.append
    emit("def run(params, data, lr, epochs, thr, locked, epoch0, losses, events, orders):")
    emit(f"    {', '.join(params)}, = params")
    emit(f"    {', '.join(f'lk{m}_{j}' for m, j, _ in lockers) or '_nolocks'}, = locked or (False,)")
    emit("    n = len(data)")
    emit("    for e in range(epochs):")
    emit("        sample_order = orders[e] if orders is not None else data")
    ind = "        "
    if not online:
        for g in ws + bs:
            emit(f"{ind}g{g} = 0.0")
    for m, j, _ in lockers:
        emit(f"{ind}pk{m}_{j} = 0.0")
    emit(f"{ind}tot = 0.0")
    emit(f"{ind}ep = epoch0 + e + 1")
    if online:  # pos: the sample's place in the epoch, reported if training halts there
        emit(f"{ind}for pos, (({ins}), ({outs})) in enumerate(sample_order):")
    else:
        emit(f"{ind}for ({ins}), ({outs}) in sample_order:")
    ind2 = ind + "    "
    for m in range(1, L + 1):
        for j in range(layers[m]):
            terms = " + ".join(f"w{m-1}_{j}_{i} * a{m-1}_{i}" for i in range(layers[m - 1]))
            emit(f"{ind2}z{m}_{j} = {terms} + b{m-1}_{j}")
            for line in _ACT_CODE[act[m]]:
                emit(ind2 + line.format(z=f"z{m}_{j}", a=f"a{m}_{j}", s=f"s{m}_{j}"))
    for m, j, _ in lockers:
        emit(f"{ind2}if s{m}_{j} > pk{m}_{j}: pk{m}_{j} = s{m}_{j}")
    emit(f"{ind2}sl = 0.0")
    for k in range(layers[L]):
        emit(f"{ind2}r_{k} = a{L}_{k} - y_{k}")
        if loss == "mse":
            emit(f"{ind2}sl += 0.5 * r_{k} * r_{k}")
            emit(f"{ind2}d{L}_{k} = r_{k} * s{L}_{k}")
        else:
            z = f"z{L}_{k}"
            emit(f"{ind2}sl += ({z} if {z} > 0.0 else 0.0) + log1p(exp(-abs({z}))) - y_{k} * {z}")
            emit(f"{ind2}d{L}_{k} = r_{k}")
    emit(f"{ind2}tot += sl")
    for m in range(L - 1, 0, -1):
        for j in range(layers[m]):
            terms = " + ".join(f"w{m}_{k}_{j} * d{m+1}_{k}" for k in range(layers[m + 1]))
            emit(f"{ind2}d{m}_{j} = ({terms}) * s{m}_{j}")
    if online:
        # Online: every sample is a step, checked as Trainer.step() checks it (its loss, then the
        # parameters it would produce), so both paths halt at the same sample with the same numbers.
        emit(f"{ind2}if not (sl < LOSS_LIMIT):")
        emit(f"{ind2}    return [{', '.join(params)}], e, ('loss', ep, sl, None, pos)")
        new = []  # in the order of params: each layer's weights, then its biases
        for l in range(L):
            new += [f"w{l}_{j}_{i} - lr * (d{l+1}_{j} * a{l}_{i})"
                    for j in range(layers[l + 1]) for i in range(layers[l])]
            new += [f"b{l}_{j} - lr * d{l+1}_{j}" for j in range(layers[l + 1])]
        emit(f"{ind2}nxt = [{', '.join(new)}]")
        emit(f"{ind2}sq = 0.0")
        emit(f"{ind2}for v in nxt: sq += v * v")
        emit(f"{ind2}if not (sq < LIMIT_SQ):")
        emit(f"{ind2}    return [{', '.join(params)}], e, ('param', ep, sq, nxt, pos)")
        emit(f"{ind2}{', '.join(params)}, = nxt")
    else:
        for l in range(L):
            for j in range(layers[l + 1]):
                for i in range(layers[l]):
                    emit(f"{ind2}gw{l}_{j}_{i} += d{l+1}_{j} * a{l}_{i}")
                emit(f"{ind2}gb{l}_{j} += d{l+1}_{j}")
    # The epoch's bookkeeping: lock state at this epoch's weights, then (batch) the checked update.
    for m, j, rule in lockers:
        cond = f"pk{m}_{j} < thr" if rule == "threshold" else f"pk{m}_{j} == 0.0"
        emit(f"{ind}nl = {cond}")
        emit(f"{ind}if nl != lk{m}_{j}:")
        emit(f"{ind}    events.append((ep, {m}, {j}, nl)); lk{m}_{j} = nl")
    emit(f"{ind}mean = tot / n")
    if not online:
        emit(f"{ind}if not (mean < LOSS_LIMIT):")
        emit(f"{ind}    return [{', '.join(params)}], e, ('loss', ep, mean, None, 0)")
        new = [f"{p} - lr * (g{p} / n)" for p in params]
        emit(f"{ind}nxt = [{', '.join(new)}]")
        emit(f"{ind}sq = 0.0")
        emit(f"{ind}for v in nxt: sq += v * v")
        emit(f"{ind}if not (sq < LIMIT_SQ):")
        emit(f"{ind}    return [{', '.join(params)}], e, ('param', ep, sq, nxt, 0)")
        emit(f"{ind}{', '.join(params)}, = nxt")
    emit(f"{ind}losses.append(mean)")
    emit(f"    return [{', '.join(params)}], epochs, None")
    return "\n".join(src) + "\n"


@lru_cache(maxsize=64)
def compile_runner(layers: tuple[int, ...], hidden: str, output: str, loss: str, online: bool) -> Callable:
    """The unrolled training function for one architecture (cached)."""
    namespace = {
        "exp": math.exp, "tanh": math.tanh, "log1p": math.log1p,
        "LOSS_LIMIT": LOSS_LIMIT, "LIMIT_SQ": WEIGHT_LIMIT * WEIGHT_LIMIT,
    }
    code = compile(_source(layers, hidden, output, loss, online), f"<glassbox fast path {layers}>", "exec")
    exec(code, namespace)  # source built above from fixed templates only
    return namespace["run"]  # type: ignore[return-value]


# -- the traced step --------------------------------------------------------------------------
# The same unrolled arithmetic, recording every intermediate of every sample into one flat list
# (numpy's per-call overhead would cost several times the 50 µs budget of a traced step).


def record_fields(layers: tuple[int, ...]) -> list[tuple[str, list[str]]]:
    """Per-sample record layout: (field, variable names) in order; shared by generator and reader."""
    L = len(layers) - 1
    fields: list[tuple[str, list[str]]] = []
    for m in range(L + 1):
        fields.append((f"a{m}", [f"a{m}_{j}" for j in range(layers[m])]))
    for m in range(1, L + 1):
        fields.append((f"z{m}", [f"z{m}_{j}" for j in range(layers[m])]))
        fields.append((f"s{m}", [f"s{m}_{j}" for j in range(layers[m])]))
        fields.append((f"d{m}", [f"d{m}_{j}" for j in range(layers[m])]))
    for m in range(1, L):
        fields.append((f"q{m}", [f"q{m}_{j}" for j in range(layers[m])]))
    fields.append(("raw", [f"r_{k}" for k in range(layers[L])]))
    for l in range(L):
        fields.append((f"gw{l}", [f"d{l+1}_{j} * a{l}_{i}" for j in range(layers[l + 1]) for i in range(layers[l])]))
        fields.append((f"gb{l}", [f"d{l+1}_{j}" for j in range(layers[l + 1])]))
    fields.append(("loss", ["sl"]))
    return fields


def _param_names(layers: tuple[int, ...]) -> list[str]:
    params = []
    for l in range(len(layers) - 1):
        params += [f"w{l}_{j}_{i}" for j in range(layers[l + 1]) for i in range(layers[l])]
        params += [f"b{l}_{j}" for j in range(layers[l + 1])]
    return params


def _trace_source(layers: tuple[int, ...], hidden: str, output: str, loss: str) -> str:
    """Source of ``step(params, samples, lr, rec) -> (mean_grad, params_after, peak_slopes, total_loss)``."""
    L = len(layers) - 1
    act = [""] + [hidden] * (L - 1) + [output]
    params = _param_names(layers)
    neurons = [(m, j) for m in range(1, L + 1) for j in range(layers[m])]
    ins = ", ".join(f"a0_{i}" for i in range(layers[0])) + ","
    outs = ", ".join(f"y_{k}" for k in range(layers[L])) + ","
    src = ["def step(params, samples, lr, rec):"]
    emit = src.append
    emit(f"    {', '.join(params)}, = params")
    for p in params:
        emit(f"    g{p} = 0.0")
    for m, j in neurons:
        emit(f"    pk{m}_{j} = 0.0")
    emit("    tot = 0.0")
    ind = "        "
    emit(f"    for ({ins}), ({outs}) in samples:")
    for m in range(1, L + 1):
        for j in range(layers[m]):
            terms = " + ".join(f"w{m-1}_{j}_{i} * a{m-1}_{i}" for i in range(layers[m - 1]))
            emit(f"{ind}z{m}_{j} = {terms} + b{m-1}_{j}")
            for line in _ACT_CODE[act[m]]:
                emit(ind + line.format(z=f"z{m}_{j}", a=f"a{m}_{j}", s=f"s{m}_{j}"))
            emit(f"{ind}if s{m}_{j} > pk{m}_{j}: pk{m}_{j} = s{m}_{j}")
    emit(f"{ind}sl = 0.0")
    for k in range(layers[L]):
        emit(f"{ind}r_{k} = a{L}_{k} - y_{k}")
        if loss == "mse":
            emit(f"{ind}sl += 0.5 * r_{k} * r_{k}")
            emit(f"{ind}d{L}_{k} = r_{k} * s{L}_{k}")
        else:
            z = f"z{L}_{k}"
            emit(f"{ind}sl += ({z} if {z} > 0.0 else 0.0) + log1p(exp(-abs({z}))) - y_{k} * {z}")
            emit(f"{ind}d{L}_{k} = r_{k}")
            # the true ∂L/∂a = (a − y)/(a(1 − a)) = (1 − y)(1 + eᶻ) − y(1 + e⁻ᶻ), from z so it never
            # divides by a rounded 0; the exponent is capped so it stays finite (≤ 8.2e307)
            emit(f"{ind}r_{k} = (1.0 - y_{k}) * (1.0 + exp(min({z}, 709.0))) - y_{k} * (1.0 + exp(min(-{z}, 709.0)))")
    emit(f"{ind}tot += sl")
    for m in range(L - 1, 0, -1):
        for j in range(layers[m]):
            terms = " + ".join(f"w{m}_{k}_{j} * d{m+1}_{k}" for k in range(layers[m + 1]))
            emit(f"{ind}q{m}_{j} = {terms}")
            emit(f"{ind}d{m}_{j} = q{m}_{j} * s{m}_{j}")
    for l in range(L):
        for j in range(layers[l + 1]):
            for i in range(layers[l]):
                emit(f"{ind}gw{l}_{j}_{i} += d{l+1}_{j} * a{l}_{i}")
            emit(f"{ind}gb{l}_{j} += d{l+1}_{j}")
    names = [name for _, group in record_fields(layers) for name in group]
    emit(f"{ind}rec += ({', '.join(names)},)")
    emit("    n = len(samples)")
    emit(f"    mean = ({', '.join(f'g{p} / n' for p in params)},)")
    emit(f"    after = ({', '.join(f'{p} - lr * mean[{k}]' for k, p in enumerate(params))},)")
    emit(f"    return mean, after, ({', '.join(f'pk{m}_{j}' for m, j in neurons)},), tot")
    return "\n".join(src) + "\n"


@lru_cache(maxsize=64)
def compile_tracer(layers: tuple[int, ...], hidden: str, output: str, loss: str) -> Callable:
    """The unrolled recording step for one architecture (cached)."""
    namespace = {"exp": math.exp, "tanh": math.tanh, "log1p": math.log1p}
    code = compile(_trace_source(layers, hidden, output, loss), f"<glassbox traced step {layers}>", "exec")
    exec(code, namespace)  # source built above from fixed templates only
    return namespace["step"]  # type: ignore[return-value]
