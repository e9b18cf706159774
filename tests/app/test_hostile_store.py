"""Settings and progress under attack: deep, special and shared files, spoofed ids, interrupted saves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import glassbox_game.storage as storage
from glassbox_game.levels import load_level
from glassbox_game.levels.progress import load_progress
from glassbox_game.settings import Settings, load_settings, save_settings, settings_path
from glassbox_game.storage import MAX_JSON_DEPTH, data_dir

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_12 = ROOT / "levels" / "12-deep-trouble.toml"


def _deep_json() -> bytes:
    return b'{"version": 1, "levels": ' + b"[" * 5000 + b"]" * 5000 + b"}"


def test_deep_settings_json_means_defaults_and_one_line() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_deep_json())
    settings, notice = load_settings()
    assert settings == Settings()
    assert notice == f"Settings file {path} is damaged (nested more than {MAX_JSON_DEPTH} deep); using defaults."


def test_deep_progress_json_starts_fresh_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "progress.json").write_bytes(_deep_json())
    p = load_progress(tmp_path)
    assert p.levels == {} and p.notice == (f"Your progress file is damaged (nested more than {MAX_JSON_DEPTH} deep); "
                                          "starting fresh.")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_settings_and_progress_symlinked_to_dev_zero_are_not_read(tmp_path: Path) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to("/dev/zero")
    settings, notice = load_settings()
    assert settings == Settings() and notice == f"Settings file {path} is not a regular file (a device); using defaults."
    (tmp_path / "progress.json").symlink_to("/dev/zero")
    assert "is not a regular file (a device)" in str(load_progress(tmp_path).notice)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_settings_or_progress_file_never_hangs(tmp_path: Path) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    os.mkfifo(tmp_path / "progress.json")
    start = time.perf_counter()
    assert "is not a regular file (a pipe)" in str(load_settings()[1])
    assert "is not a regular file (a pipe)" in str(load_progress(tmp_path).notice)
    assert time.perf_counter() - start < 5.0


def test_a_user_level_borrowing_a_shipped_id_earns_nothing(tmp_path: Path) -> None:
    from glassbox_game.levels.progress import level_key

    copy = tmp_path / "12-deep-trouble.toml"
    copy.write_text(SHIPPED_12.read_text(encoding="utf-8"), encoding="utf-8")
    mine, shipped = load_level(copy), load_level(SHIPPED_12)
    assert mine.id == shipped.id == "deep-trouble"
    assert level_key(mine) is None and level_key(shipped) == "levels/12-deep-trouble.toml"

    from tests.app.helpers import frames, make_app

    app = make_app("play", str(copy))
    frames(app, 2)
    play = next(s for s in app.scenes if type(s).__name__ == "LevelPlayScene")
    play.tracker.won_epoch = 1
    play.win()  # a win of the user's copy
    app.shutdown()
    assert load_progress().stars("levels/12-deep-trouble.toml") == 0
    assert not (data_dir() / "progress.json").exists() or "deep-trouble" not in (data_dir() / "progress.json").read_text()

    app = make_app("play", str(SHIPPED_12))
    frames(app, 2)
    play = next(s for s in app.scenes if type(s).__name__ == "LevelPlayScene")
    play.tracker.won_epoch = 1
    play.win()  # a win of the shipped level
    app.shutdown()
    assert load_progress().stars("levels/12-deep-trouble.toml") >= 1


def test_old_progress_keyed_by_id_is_still_read(tmp_path: Path) -> None:
    old = {"version": 1, "levels": {"deep-trouble": {"stars": 2, "best_epochs": 40, "wins": 1}},
           "unlocked": ["deep-trouble", "backprop-by-hand"]}
    (tmp_path / "progress.json").write_text(json.dumps(old))
    p = load_progress(tmp_path)
    assert p.notice is None and p.stars("levels/12-deep-trouble.toml") == 2
    assert "levels/13-backprop-by-hand.toml" in p.unlocked
    assert p.save() is None
    assert json.loads((tmp_path / "progress.json").read_text())["levels"] == {
        "levels/12-deep-trouble.toml": {"stars": 2, "best_epochs": 40, "wins": 1}}


def test_a_save_never_leaves_a_moment_without_a_valid_main_file(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    p = load_progress(tmp_path)
    p.record_win("a", 3, 10)
    main = tmp_path / "progress.json"
    seen: list[int] = []
    real_replace = os.replace

    def checking_replace(src, dst):  # every step of a save: the main file is there and whole
        seen.append(json.loads(main.read_text())["levels"]["a"]["wins"])
        real_replace(src, dst)
        seen.append(json.loads(main.read_text())["levels"]["a"]["wins"])

    monkeypatch.setattr(storage.os, "replace", checking_replace)
    for _ in range(3):
        assert p.record_win("a", 3, 10) is None
    assert seen and min(seen) >= 1 and json.loads(main.read_text())["levels"]["a"]["wins"] == 4
    assert json.loads((tmp_path / "progress.json.bak").read_text())["levels"]["a"]["wins"] == 3


def test_stale_temp_files_are_removed_on_start(tmp_path: Path) -> None:
    load_progress(tmp_path).record_win("a", 1, 1)
    for k in range(5):
        (tmp_path / f".progress.json.dead{k}.tmp").write_text("{")
        (tmp_path / f".progress.json.bak.dead{k}.tmp").write_text("{")
    config = settings_path().parent
    config.mkdir(parents=True, exist_ok=True)
    (config / ".settings.json.dead.tmp").write_text("{")
    assert load_progress(tmp_path).stars("a") == 1
    load_settings()
    assert not list(tmp_path.glob("*.tmp")) and not list(config.glob("*.tmp"))


_WINNER = """
import sys
from pathlib import Path
from glassbox_game.levels.progress import load_progress
folder, name, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
p = load_progress(folder)  # loaded once, like a game started once
for k in range(n):
    assert p.record_win(f"{name}-{k}", 3, k) is None
"""


def test_two_games_saving_at_once_keep_each_others_wins(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", _WINNER, str(tmp_path), name, "40"], env=env)
             for name in ("left", "right")]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    p = load_progress(tmp_path)
    assert p.notice is None
    assert {k for k in p.levels} == {f"{n}-{k}" for n in ("left", "right") for k in range(40)}


_CHANGER = """
import sys
from dataclasses import replace
from glassbox_game.settings import Settings, save_settings
field, value, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
mine = Settings()  # this game never read the other's change
for k in range(n):
    typed = type(getattr(mine, field))(value if k == n - 1 else getattr(Settings(), field))
    assert save_settings(replace(mine, **{field: typed}), changed=(field,)) is None
"""


def test_two_games_changing_settings_at_once_keep_both_changes() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    procs = [subprocess.Popen([sys.executable, "-c", _CHANGER, field, value, "30"], env=env)
             for field, value in (("theme", "light"), ("lecture_theme", "high-contrast"))]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    settings, notice = load_settings()
    assert notice is None and settings.theme == "light" and settings.lecture_theme == "high-contrast"


def test_save_settings_with_changed_fields_merges_with_the_disk() -> None:
    assert save_settings(Settings(theme="light")) is None
    assert save_settings(Settings(text_scale=1.5), changed=("text_scale",)) is None
    assert load_settings()[0] == Settings(theme="light", text_scale=1.5)
