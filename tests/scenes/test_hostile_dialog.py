"""The open dialog in a folder holding a name that is not UTF-8: listed safely, never a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glassbox_game.scenes.file_dialog import FileDialogScene
from tests.app.helpers import frames, make_app


def test_a_non_utf8_name_is_skipped_with_a_notice(tmp_path: Path) -> None:
    try:
        with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.toml"), "w") as fh:  # Latin-1, not UTF-8
            fh.write("x")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    (tmp_path / "good.toml").write_text("x")
    app = make_app("sandbox")
    frames(app, 1)
    app.push(FileDialogScene(app, "open", tmp_path / "good.toml", lambda p: None))
    frames(app, 3)
    listed = [item[0] if isinstance(item, tuple) else item for item in app.top.dialog.current_file_list]
    assert listed == ["good.toml"]
    assert any("1 name in this folder is not valid UTF-8, so not listed" in t for t, _ in app.notices)
    app.shutdown()
