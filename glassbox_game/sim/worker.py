"""Turbo training on the second core: a worker process runs the fast path while the window renders.

On a two-core machine the unrolled fast path and the renderer would otherwise share one core, and
"train as fast as possible" would cost frame time. The simulation hands the worker a job — the
trainer's complete state and a number of epochs — and collects the result a frame or two later;
until the worker is ready (it starts in the background) the simulation trains in-process.

Runs that must be reproducible to the pixel (headless, scripted) do not use the worker: its
results arrive whenever the second core finishes, so frames would depend on timing.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassbox_game.engine.locks import LockEvent
from glassbox_game.engine.setup import Setup, build_trainer
from glassbox_game.engine.trainer import Halt, Trainer, TrainerState


@dataclass(frozen=True)
class JobResult:
    job: int
    state: TrainerState
    losses: np.ndarray
    events: list[LockEvent]
    halt: Halt | None
    test_losses: tuple[float, ...] = ()


def _serve(conn: Any) -> None:
    """The worker's loop: build (and keep) a Trainer per setup, train what it is asked, reply."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the game's to handle: it closes the worker
    trainer: Trainer | None = None
    setup: Setup | None = None
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "stop":
            return
        _, job, job_setup, state, epochs = message
        if trainer is None or job_setup != setup:
            setup, trainer = job_setup, build_trainer(job_setup)
        trainer.restore(state, events=False)
        trainer.events.clear()
        trainer.halt = None
        result = trainer.train(epochs)
        conn.send(("done", JobResult(job, trainer.state(), np.asarray(result.losses, dtype=np.float64),
                                     list(trainer.events), trainer.halt, tuple(result.test_losses))))


class TurboWorker:
    """The parent's handle on the worker process."""

    def __init__(self) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child,), daemon=True, name="glassbox-turbo")
        self._proc.start()
        child.close()
        self.ready = False
        self.pending: int | None = None
        self._next_job = 0
        self.failed = False

    def poll_ready(self) -> bool:
        if not self.ready and not self.failed:
            try:
                if self._conn.poll():
                    self.ready = self._conn.recv()[0] == "ready"
                elif not self._proc.is_alive():
                    self.failed = True  # it could not start: the simulation trains in-process instead
            except (EOFError, OSError):
                self.failed = True
        return self.ready and not self.failed

    def submit(self, setup: Setup, state: TrainerState, epochs: int) -> None:
        self._next_job += 1
        self.pending = self._next_job
        try:
            self._conn.send(("train", self.pending, setup, state, epochs))
        except (OSError, ValueError):
            self.failed = True
            self.pending = None

    def collect(self, wait: bool = False) -> JobResult | None:
        """The finished job, if any (``wait``: block until the pending one is done)."""
        if self.pending is None:
            return None
        try:
            if not wait and not self._conn.poll():
                return None
            while True:
                message = self._conn.recv()
                if message[0] == "done" and message[1].job == self.pending:
                    self.pending = None
                    return message[1]  # type: ignore[no-any-return]
        except (EOFError, OSError):
            self.failed = True
            self.pending = None
            return None

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(("stop",))
        self._proc.join(timeout=1.0)
        if self._proc.is_alive():
            self._proc.kill()
