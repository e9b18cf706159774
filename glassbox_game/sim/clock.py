"""Fix Your Timestep: a fixed simulation step fed from variable frame times."""

from __future__ import annotations


class FixedStepClock:
    """Accumulates frame time and hands out whole fixed steps.

    A long frame is clamped (``max_frame``) and the steps per frame capped (``max_steps``), so a
    stall never turns into a spiral of catch-up work; what is left over waits in ``accumulator``.
    """

    def __init__(self, dt: float = 1.0 / 120.0, max_frame: float = 0.25, max_steps: int = 8) -> None:
        self.dt = dt
        self.max_frame = max_frame
        self.max_steps = max_steps
        self.accumulator = 0.0
        self.time = 0.0  # simulated seconds

    def advance(self, frame_seconds: float) -> int:
        """Add one frame's time; return how many fixed steps to run now."""
        self.accumulator += min(max(frame_seconds, 0.0), self.max_frame)
        steps = int(self.accumulator / self.dt + 1e-9)
        if steps > self.max_steps:
            steps = self.max_steps
            self.accumulator = 0.0  # drop what cannot be caught up
        else:
            self.accumulator = max(0.0, self.accumulator - steps * self.dt)
        self.time += steps * self.dt
        return steps
