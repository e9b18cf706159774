"""Hostile runs: bad options, scripts that would crash mid-run, signals, full or closed output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from glassbox_game.cli import main
from glassbox_game.levels.schema import ACTIVATION_NAMES
from glassbox_game.script import ScriptError, load_script, parse_script
from glassbox_game.script_events import check_keys
from tests.app.helpers import frames, make_app

ROOT = Path(__file__).resolve().parents[2]
LEVEL = ROOT / "levels" / "02-and-converges.toml"


def one_line(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 2) -> str:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def test_frames_must_be_at_least_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert one_line(capsys, ["--headless", "--frames", "0", "sandbox"]) == \
        "glassbox: argument --frames: expected a number ≥ 1, got 0 (try glassbox --help)"


@pytest.mark.parametrize("size", ["320x240", "480x320"])
def test_a_too_small_window_names_the_minimum(capsys: pytest.CaptureFixture[str], size: str) -> None:
    assert one_line(capsys, ["--headless", "--resolution", size, "play", str(LEVEL)]) == \
        f"glassbox: argument --resolution: {size} is smaller than the smallest window, 640x360 (try glassbox --help)"


@pytest.mark.parametrize("command", [["sandbox"], ["play", str(LEVEL)]])
def test_the_smallest_window_plays(command: list[str]) -> None:
    app = make_app("--resolution", "640x360", *command)
    frames(app, 3)
    assert app.size == (640, 360)
    app.resize((100, 100))  # a window manager shrinking it further: clamped, never a crash
    frames(app, 2)
    assert app.size == (640, 360)
    app.shutdown()


def test_trace_epochs_are_capped(capsys: pytest.CaptureFixture[str]) -> None:
    assert one_line(capsys, ["trace", str(LEVEL), "--epochs", "1000000000"]) == \
        "glassbox: argument --epochs: 1,000,000,000 epochs is more than the limit of 1,000,000 (try glassbox --help)"


def _shell(cmd: str) -> subprocess.CompletedProcess[str]:
    glassbox = [sys.executable, "-m", "glassbox_game.cli"]
    return subprocess.run(["sh", "-c", " ".join(glassbox) + " " + cmd], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_line() -> None:
    out = _shell(f"trace {LEVEL} --epochs 50 >/dev/full")
    assert out.returncode == 2 and out.stderr == "glassbox: cannot write the output (No space left on device)\n"


def test_a_closed_stdout_is_one_line() -> None:
    out = _shell(f"trace {LEVEL} --epochs 5 >&-")
    assert out.returncode == 2
    assert out.stderr == "glassbox: standard output is closed: nothing can be written (redirect it to a file)\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_validate_a_fifo_answers_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    out = _shell(f"validate {fifo}")
    assert out.returncode == 1
    assert out.stderr == f"{fifo}: is not a regular file (a pipe); a level file must be an ordinary file\n"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_script_from_dev_zero_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--headless", "--script", "/dev/zero", "sandbox"]) == 2
    assert capsys.readouterr().err == \
        "glassbox: /dev/zero: is not a regular file (a device); a script must be an ordinary text file\n"


BAD_LINES = [
    ("set layers 2-0-1", "set: layers: a layer of 0 neurons is outside 1 … 16"),
    ("set layers 2-100000-1", "set: layers: a layer of 100000 neurons is outside 1 … 16"),
    ("set layers 2-2-2-2-2-2-2-2-1", "set: layers: '2-2-2-2-2-2-2-2-1' has 9 layers; a network has 2 to 8"),
    ("set seed abc", "set: seed: 'abc' is not a seed: a whole number 0 … 9223372036854775807"),
    ("sample abc", "sample: 'abc' is not a row number or 'batch' (0 … 1023)"),
    ("tab nonsense", "tab: 'nonsense' is not a table (loss, a, delta, w)"),
    ("insight pie", "insight: 'pie' is not a chart (map, slice, bars)"),
    ("set hidden_activation softmax",
     f"set: hidden_activation: 'softmax' is not one of {', '.join(ACTIVATION_NAMES)}"),
    ("set learning_rate -5", "set: learning_rate: -5 is out of range: the learning rate must be > 0 and ≤ 1000"),
    ("set learning_rate 0", "set: learning_rate: 0 is out of range: the learning rate must be > 0 and ≤ 1000"),
    ("set learning_rate 1e6", "set: learning_rate: 1e6 is out of range: the learning rate must be > 0 and ≤ 1000"),
    ("set learning_rate nan", "set: learning_rate: 'nan' is not a finite number"),
    ("set lock_threshold 2", "set: lock_threshold: 2 is out of range: the lock threshold must be 0 … 1"),
    ("set colour red", "set: 'colour' is not a setting; settings: learning_rate, lock_threshold, hidden_activation, "
                       "output_activation, loss, mode, init, problem, data, seed, layers, batch_size, regularization, "
                       "regularization_rate"),
    ("key notakey", "key: 'notakey' is not a key name (e.g. space, right, shift+right, page down, escape, f1, a)"),
    ("key hyper+a", "key: 'hyper' is not a modifier (shift, ctrl, alt) in 'hyper+a'"),
    ("save 'a\x00b.toml'", "save: contains a NUL character (U+0000); text must not hold binary data"),
    ("speed 99", "speed: '99' is not a speed index (0 … 10)"),
    ("run-to-epoch 99999999", "run-to-epoch: '99999999' is not an epoch number (0 … 1000000)"),
    ("beat 0", "beat: '0' is not a beat number (1 … 200)"),
    ("panel show chart", "panel: 'chart' is not a panel (tables, insight)"),
    ("resize 320x240", "resize: 320x240 is smaller than the smallest window, 640x360"),
    ("screenshot out.jpg", "screenshot: 'out.jpg': the file name must end in .png"),
    ("wheel 100000", "wheel: '100000' is not a wheel amount (-100 … 100)"),
    ("select pony", "select: 'pony': expected edge A->B, neuron NAME or none"),
    ("theme neon", "theme: 'neon' is not a theme (dark, light, lecture-dark, lecture-light, high-contrast)"),
    ("answer", "'answer' needs the typed answer (any text: a wrong one is the level's to judge)"),
]


@pytest.mark.parametrize(("line", "problem"), BAD_LINES)
def test_bad_script_lines_are_refused_before_the_game_starts(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "run.script"
    path.write_text(f"# a comment\nat 0.5 play\nat 1 {line}\n", encoding="utf-8")
    with pytest.raises(ScriptError) as err:
        check_keys(load_script(str(path)), str(path))  # what the game does before it starts
    assert str(err.value) == f"{path}:3: {problem}"


def test_good_script_lines_still_parse() -> None:
    text = "\n".join(["at 0 key shift+right", "at 0 set layers 2-4-4-1", "at 0 set learning_rate 1000",
                      "at 0 set seed 3", "at 0 sample batch", "at 0 tab delta", "at 0 speed max",
                      "at 0 resize 640x360", "at 0 select edge h1->y", "at 0 panel show tables", "at 0 key ?",
                      "at 0 key +", "at 0 key page down", "at 0 data \"0 0 0; 1 1 1\"", "at 0 run-to-epoch 1000000"])
    assert len(parse_script(text)) == 15


def test_a_script_set_that_does_not_fit_the_network_is_a_notice() -> None:
    app = make_app("sandbox")
    frames(app, 1)
    app.top.script_command(["set", "layers", "3-2-1"])  # the gates have 2 inputs
    app.top.script_command(["set", "output_activation", "tanh"])
    app.top.script_command(["set", "loss", "cross_entropy"])  # needs a sigmoid output
    frames(app, 2)
    texts = [t for t, _ in app.notices]
    assert any("the data needs 2 inputs and 1 output; nothing changed" in t for t in texts)
    assert any("cross_entropy needs a sigmoid output; nothing changed" in t for t in texts)
    assert app.top.sim.setup.layers == (2, 2, 1) and app.top.sim.setup.loss == "mse"
    app.shutdown()


def _die_with_parent() -> None:
    """In the child, before the game starts: on Linux, end it if the test process dies (a killed test
    run must not leave a headless game running forever)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _start(extra: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "glassbox_game.cli", "--headless", *extra], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_system_signals_end_any_run_within_a_second(tmp_path: Path) -> None:
    env = {**os.environ, "GLASSBOX_CONFIG_DIR": str(tmp_path / "config"),
           "GLASSBOX_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "progress.json").write_text(
        '{"version": 1, "levels": {"a": {"stars": 2, "best_epochs": 5, "wins": 1}}, "unlocked": ["a"]}')
    runs = {signal.SIGTERM: ["sandbox"], signal.SIGINT: ["play", str(LEVEL)], signal.SIGHUP: ["lecture"]}
    procs = {sig: _start(cmd, env) for sig, cmd in runs.items()}
    try:
        _signal_each(procs, tmp_path)
    finally:  # a failed check must not leave headless games running with no window and no parent
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    assert load_progress_stars(tmp_path / "data") == 2


def _signal_each(procs: dict[signal.Signals, subprocess.Popen[str]], tmp_path: Path) -> None:
    marker = tmp_path / "config"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not marker.exists():  # the games create it on start
        time.sleep(0.2)
    time.sleep(2.0)  # past start-up, into the frame loop
    for sig, proc in procs.items():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        t0 = time.monotonic()
        proc.send_signal(sig)
        code = proc.wait(timeout=10)
        took = time.monotonic() - t0
        err = proc.stderr.read() if proc.stderr else ""
        assert code == 128 + sig, err
        assert err == f"glassbox: stopped by {signal.Signals(sig).name}; settings and progress are saved\n"
        assert took < 1.5, took


def load_progress_stars(folder: Path) -> int:
    from glassbox_game.levels.progress import load_progress

    return load_progress(folder).stars("a")
