"""Small files that must never be lost: written atomically, read defensively.

A write goes to a temporary file in the same directory, is flushed and fsynced, then replaces the
old file with ``os.replace`` (atomic on POSIX and Windows); the previous good file is kept as
``NAME.bak``. A reader falls back to the backup, then to defaults, and says why.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

APP = "glassbox"


def config_dir() -> Path:
    """Where settings live (GLASSBOX_CONFIG_DIR overrides, e.g. for tests)."""
    return Path(os.environ.get("GLASSBOX_CONFIG_DIR") or platformdirs.user_config_dir(APP))


def data_dir() -> Path:
    """Where progress lives (GLASSBOX_DATA_DIR overrides)."""
    return Path(os.environ.get("GLASSBOX_DATA_DIR") or platformdirs.user_data_dir(APP))


def atomic_write_json(path: Path, data: dict[str, Any], keep_backup: bool = True) -> None:
    """Write ``data`` as JSON so that a crash at any point leaves the old or the new file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, sort_keys=True, allow_nan=False)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_backup and path.exists():
            # the current file is good (it was written the same way): keep it as the backup
            os.replace(path, path.with_name(path.name + ".bak"))
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) so that a crash at any point leaves the old or the new file whole.

    Same recipe as :func:`atomic_write_json` without the backup: a user's own file (a saved level,
    say) is replaced only once the new text is safely on disk.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a level file is meant to be shared, like any document
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class ReadProblem(Exception):
    """Why a stored file could not be used (one line, for a notice)."""


def read_json(path: Path, version: int) -> dict[str, Any]:
    """Read a JSON object with ``"version" <= version``; raise ReadProblem with a reason otherwise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReadProblem("not found") from None
    except OSError as exc:
        raise ReadProblem(f"cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise ReadProblem("is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ReadProblem("is damaged (not valid JSON)") from None
    if not isinstance(data, dict):
        raise ReadProblem("is damaged (not a JSON object)")
    v = data.get("version")
    if not isinstance(v, int) or isinstance(v, bool):
        raise ReadProblem("has no version number")
    if v > version:
        raise ReadProblem(f"was written by a newer Glassbox (format {v}; this one reads up to {version})")
    return data
