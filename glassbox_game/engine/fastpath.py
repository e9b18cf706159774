"""The generated fast paths: turbo training (``compile_runner``) and the traced step (``compile_tracer``).

For a network this small, numpy's per-call overhead dominates, so both paths are plain-Python
functions unrolled for one architecture (every weight a local float), compiled once. One emitter,
:func:`_sample_lines`, writes the per-sample forward, loss and backward pass for both, from the
``code`` lines of the activation and loss records; the two wrappers add only bookkeeping (epochs,
locks, halts; or recording every intermediate). What they compute is specified by the readable
numpy engine in :mod:`glassbox_game.engine.reference`, and tests hold both paths to it. Only
source text built here from the records' fixed lines is compiled; nothing from a level file is
ever executed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

from glassbox_game.engine.activations import ACTIVATIONS, Activation
from glassbox_game.engine.locks import lock_rules
from glassbox_game.engine.losses import LOSSES, Loss

WEIGHT_LIMIT = 1e6  # a weight or bias beyond this is "absurd": training halts
LOSS_LIMIT = 1e12
#: the only names generated code can call (records' ``code`` lines use these)
CALLABLE = {"exp": math.exp, "expm1": math.expm1, "tanh": math.tanh, "log1p": math.log1p}


def _acts(layers: tuple[int, ...], hidden: str, output: str) -> list[Activation]:
    """The activation record of each layer (index 0, the input, has none)."""
    L = len(layers) - 1
    return [ACTIVATIONS["linear"]] + [ACTIVATIONS[hidden]] * (L - 1) + [ACTIVATIONS[output]]


def _sample_lines(layers: tuple[int, ...], acts: list[Activation], loss: Loss,
                  peaks: list[tuple[int, int]], raw: bool) -> list[str]:
    """One sample's forward pass, loss and backward pass: the body both fast paths share.

    Reads a0_i (inputs), y_k (targets) and the parameters; sets z, a, s (slope), the raw error r,
    the sample loss sl, q (Σₖ wₖⱼ δₖ of a hidden neuron) and δ of every neuron, and raises the
    running peak slope pk of each neuron in ``peaks``. ``raw``: also set the raw error r_k
    (∂L/∂a, which the trace records; the runner needs it only where δ is computed from it).
    """
    L = len(layers) - 1
    out: list[str] = []
    for m in range(1, L + 1):  # forward: z = Σᵢ wⱼᵢ aᵢ + bⱼ, a = f(z), s = f′(z)
        for j in range(layers[m]):
            terms = " + ".join(f"w{m-1}_{j}_{i} * a{m-1}_{i}" for i in range(layers[m - 1]))
            out.append(f"z{m}_{j} = {terms} + b{m-1}_{j}")
            out += acts[m].emit(f"z{m}_{j}", f"a{m}_{j}", f"s{m}_{j}")
    for m, j in peaks:
        out.append(f"if s{m}_{j} > pk{m}_{j}: pk{m}_{j} = s{m}_{j}")
    out.append("sl = 0.0")  # loss and the output δ, from the loss record
    for k in range(layers[L]):
        out += loss.emit(f"z{L}_{k}", f"a{L}_{k}", f"y_{k}", f"s{L}_{k}", f"r_{k}", f"d{L}_{k}", raw)
    out.append("tot += sl")
    for m in range(L - 1, 0, -1):  # backward: δⱼ = (Σₖ wₖⱼ δₖ) · f′(zⱼ)
        for j in range(layers[m]):
            terms = " + ".join(f"w{m}_{k}_{j} * d{m+1}_{k}" for k in range(layers[m + 1]))
            out.append(f"q{m}_{j} = {terms}")
            out.append(f"d{m}_{j} = q{m}_{j} * s{m}_{j}")
    return out


def _source(layers: tuple[int, ...], hidden: str, output: str, loss: str, online: bool) -> str:
    """Python source of ``run(params, data, lr, epochs, thr, locked, epoch0, losses, events, orders)``."""
    L = len(layers) - 1
    acts = _acts(layers, hidden, output)
    ws = [f"w{l}_{j}_{i}" for l in range(L) for j in range(layers[l + 1]) for i in range(layers[l])]
    bs = [f"b{l}_{j}" for l in range(L) for j in range(layers[l + 1])]
    params = _param_names(layers)
    # cross-entropy on a sigmoid output cancels its slope: the output never locks (engine/locks.py)
    rules = ["never", *lock_rules(acts[1:], LOSSES[loss].cancels_sigmoid_slope and output == "sigmoid")]
    lockers = [(m, j, rules[m]) for m in range(1, L + 1) for j in range(layers[m]) if rules[m] != "never"]
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
    for line in _sample_lines(layers, acts, LOSSES[loss], [(m, j) for m, j, _ in lockers], raw=False):
        emit(ind2 + line)
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
        **CALLABLE, "LOSS_LIMIT": LOSS_LIMIT, "LIMIT_SQ": WEIGHT_LIMIT * WEIGHT_LIMIT,
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
    for line in _sample_lines(layers, _acts(layers, hidden, output), LOSSES[loss], neurons, raw=True):
        emit(ind + line)
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
    namespace = dict(CALLABLE)
    code = compile(_trace_source(layers, hidden, output, loss), f"<glassbox traced step {layers}>", "exec")
    exec(code, namespace)  # source built above from fixed templates only
    return namespace["step"]  # type: ignore[return-value]
