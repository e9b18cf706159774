"""The progress store: atomic saves that survive SIGKILL, and every kind of bad file."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import pytest

from glassbox_game.levels.progress import FILE_NAME, VERSION, load_progress

ORDER = ["a", "b", "c"]


def test_fresh_start_is_silent_and_first_level_unlocked(tmp_path):
    p = load_progress(tmp_path)
    assert p.notice is None and p.levels == {} and not p.read_only
    assert p.is_unlocked("a", ORDER) and not p.is_unlocked("b", ORDER)


def test_win_saves_stars_and_unlocks_next(tmp_path):
    p = load_progress(tmp_path)
    assert p.record_win("a", 2, 300, next_id="b") is None
    q = load_progress(tmp_path)
    assert q.stars("a") == 2 and q.is_unlocked("b", ORDER) and not q.is_unlocked("c", ORDER)
    q.record_win("a", 1, 500)
    r = load_progress(tmp_path)
    assert r.stars("a") == 2 and r.levels["a"].best_epochs == 300 and r.levels["a"].wins == 2
    assert r.total_stars() == 2
    assert (tmp_path / (FILE_NAME + ".bak")).exists(), "the previous good file is kept"


def _good(tmp_path: Path, stars: int = 3) -> None:
    load_progress(tmp_path).record_win("a", stars, 10, "b")


@pytest.mark.parametrize("content, reason", [
    (b"", "is empty"),
    (b"   \n", "is empty"),
    (b'{"version": 1, "levels": {"a": {"st', "damaged"),
    (bytes(range(256)) * 4, "damaged"),
    (b"[1, 2, 3]", "not a JSON object"),
    (b'{"levels": {}}', "no version"),
    (b'{"version": 1, "levels": {"a": "three"}}', "unexpected contents"),
    (b'{"version": 1, "levels": {}, "unlocked": [3]}', "unexpected contents"),
])
def test_damaged_file_falls_back_to_backup(tmp_path, content, reason):
    _good(tmp_path, 2)
    _good(tmp_path, 3)  # now the backup holds the 2-star save, the main file the 3-star one
    (tmp_path / FILE_NAME).write_bytes(content)
    p = load_progress(tmp_path)
    assert p.stars("a") == 2 and reason in p.notice and "restored the backup" in p.notice
    # saving again must not turn the damaged file into the backup
    p.record_win("b", 1, 5)
    assert json.loads((tmp_path / (FILE_NAME + ".bak")).read_text())["levels"]["a"]["stars"] == 2
    q = load_progress(tmp_path)
    assert q.notice is None and q.stars("a") == 2 and q.stars("b") == 1


def test_damaged_file_and_backup_means_fresh_start(tmp_path):
    _good(tmp_path)
    _good(tmp_path)
    (tmp_path / FILE_NAME).write_bytes(b"\x00\x01garbage")
    (tmp_path / (FILE_NAME + ".bak")).write_bytes(b"")
    p = load_progress(tmp_path)
    assert p.levels == {} and "starting fresh" in p.notice
    assert p.record_win("a", 1, 1) is None
    assert load_progress(tmp_path).stars("a") == 1


def test_missing_main_file_uses_backup(tmp_path):
    _good(tmp_path, 1)
    _good(tmp_path, 3)
    os.unlink(tmp_path / FILE_NAME)
    p = load_progress(tmp_path)
    assert p.stars("a") == 1 and "backup" in p.notice


def test_newer_version_is_never_overwritten(tmp_path):
    _good(tmp_path, 2)
    _good(tmp_path, 2)
    newer = json.dumps({"version": VERSION + 1, "levels": {"a": {"stars": 3}}, "future": True}).encode()
    (tmp_path / FILE_NAME).write_bytes(newer)
    p = load_progress(tmp_path)
    assert p.read_only and "newer Glassbox" in p.notice and "left untouched" in p.notice
    assert p.stars("a") == 2, "the backup is still readable"
    problem = p.record_win("b", 3, 1)
    assert problem is not None and "not saved" in problem
    assert (tmp_path / FILE_NAME).read_bytes() == newer


def test_unwritable_directory_reports_instead_of_crashing(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o500)
    try:
        problem = load_progress(folder).record_win("a", 3, 1)
        assert problem is not None and "could not be saved" in problem
    finally:
        os.chmod(folder, 0o700)


def _saver(folder: Path, ack_fd: int) -> None:
    """Child: save ever-growing progress in a loop; after each completed save, report its number."""
    p = load_progress(folder)
    n = p.levels["a"].wins
    while True:
        n += 1
        p.levels["a"].wins = n
        p.levels["a"].best_epochs = n
        p.unlocked = {f"level-{k}" for k in range(n % 50)}  # files of varying length
        p.save()
        os.write(ack_fd, f"{n}\n".encode())


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_while_saving_never_loses_the_last_good_progress(tmp_path):
    rng = random.Random(7)
    folder = tmp_path / "kill"
    load_progress(folder).record_win("a", 3, 0)
    trials = 220
    outcomes = {"main": 0, "backup": 0}
    for _ in range(trials):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                os.close(r)
                _saver(folder, w)
            finally:
                os._exit(0)
        os.close(w)
        time.sleep(rng.uniform(0.0, 0.012))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        acks = b""
        while chunk := os.read(r, 65536):
            acks += chunk
        os.close(r)
        numbers = [int(x) for x in acks.split()]
        before = load_progress(folder)
        assert before.stars("a") == 3, before.notice
        last = max(numbers) if numbers else None
        got = before.levels["a"].wins
        if last is not None:
            # every acknowledged save survives; at most the one in flight is also there
            assert got in (last, last + 1), (got, last, before.notice)
        outcomes["backup" if before.notice else "main"] += 1
        # what was read is a consistent file, not a mixture
        assert before.levels["a"].best_epochs == (0 if got == 1 else got)
        expected = {"a"} if got == 1 else {f"level-{k}" for k in range(got % 50)}
        assert before.unlocked == expected
        for leftover in folder.glob(".progress.json.*.tmp"):
            leftover.unlink()  # a killed writer leaves its temp file; the next run ignores it
    assert outcomes["main"] > 0
