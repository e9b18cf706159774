"""Which step a frame shows: the one rule for every panel (no panel keeps a clock of its own).

Paused, stepping or animating, a frame shows the simulation's step as it is. While training races
(thousands of epochs a second) the numbers would be a blur and rebuilding every panel every frame
would cost the frame budget, so the displayed step moves on :data:`RACING_STEPS_PER_SECOND` times a
second — and all panels move on together, on the same frame. Between those moments a frame keeps
the step it showed and takes only what is not a number of that step from the live simulation:
packets, the loss history (the chart's curve may run ahead; its marked point may not), speed,
selection and hover.
"""

from __future__ import annotations

from dataclasses import replace

from glassbox_game.sim.snapshot import Snapshot

RACING_STEPS_PER_SECOND = 4.0

#: Snapshot fields that are not numbers of the displayed step (taken live on every frame).
LIVE_FIELDS = ("tick", "time", "playing", "animated", "speed_index", "speed_label", "learning_rate",
               "lock_threshold", "selection", "hover", "packets", "history", "test_history", "ghost",
               "lock_events", "can_step_back", "phases_stepped", "full_passes_stepped")


def racing(snap: Snapshot) -> bool:
    """Training too fast to follow step by step (the phases are not animated)."""
    return snap.playing and not snap.animated


class DisplayedStep:
    """Chooses, once a frame, the snapshot every panel of that frame draws."""

    def __init__(self) -> None:
        self.shown: Snapshot | None = None
        self.changes = 0  # how often the displayed step moved on (tests and the bench read it)

    def choose(self, live: Snapshot) -> Snapshot:
        shown = self.shown
        hold = (shown is not None and racing(live) and racing(shown)
                and shown.setup_version == live.setup_version and shown.halt_message == live.halt_message
                and 0 <= live.time - shown.time < 1.0 / RACING_STEPS_PER_SECOND)
        if hold:
            assert shown is not None
            # keep the step (and its time stamp, which the rule measures from); refresh the rest
            kept = replace(shown, **{f: getattr(live, f) for f in LIVE_FIELDS if f != "time"})
            self.shown = kept
            return kept
        if shown is None or shown.step_id != live.step_id:
            self.changes += 1
        self.shown = live
        return live
