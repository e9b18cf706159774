"""Pure layout and drawing: views read a Snapshot and draw it; they never change the simulation."""
