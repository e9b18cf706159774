"""Scenes on a stack: title, level select, level play, sandbox, lecture, and overlays."""
