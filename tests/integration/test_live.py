"""`formcheck live` end to end: a real MJPEG server on loopback, files paced like a camera, a real
window under Xvfb, and the failure paths (no camera, dropped stream, Ctrl-C)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.evaluation import SAME_CM, SAME_DEG, score_holds
from formcheck.render.overlay import timer_box
from tests.conftest import SHARED, label
from tests.helpers.legibility import assert_legible, text_panels
from tests.helpers.mjpeg import MjpegServer

K2C = "knee_to_chest_generated"
ARTIFACTS = Path(os.environ.get("FORMCHECK_ARTIFACTS", Path(__file__).resolve().parents[2] / ".artifacts"))


def live(*args: str, env: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "formcheck", "live", "--mute", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def test_mjpeg_stream_is_coached_and_a_dropped_stream_keeps_the_session(require_shared, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    with MjpegServer(SHARED / "videos" / f"{K2C}.mp4") as server:
        p = live(
            "--source",
            server.url,
            "--no-window",
            "--json",
            str(report),
            "--save-track",
            str(tmp_path / "t.npz"),
            "--retry-s",
            "2",
        )
    assert p.returncode == 1  # the phone app stopped: retried, then gave up with a clear line
    assert "could not reconnect" in p.stderr and "Traceback" not in p.stderr
    assert "hold started: Knee to chest (right)" in p.stdout
    data = json.loads(report.read_text())
    assert data["source"]["kind"] == "stream"
    from formcheck.types import FrameCounts, Hold, SessionResult, SourceInfo

    result = SessionResult(
        SourceInfo(**data["source"]),
        [Hold(**{**h, "warnings": []}) for h in data["holds"]],
        [],
        FrameCounts(**data["frames"]),
    )
    lab = {**label(K2C), "warn": "any"}
    score = score_holds(result, lab, clip_end_s=data["source"]["duration_s"])
    assert score.passed, score.describe()
    assert (tmp_path / "t.npz").exists()


def test_stream_cut_mid_hold_still_writes_the_report(require_shared, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    with MjpegServer(SHARED / "videos" / f"{K2C}.mp4", stop_after_s=8.0) as server:
        p = live("--source", server.url, "--no-window", "--json", str(report), "--retry-s", "1")
    assert p.returncode == 1 and "could not reconnect" in p.stderr
    data = json.loads(report.read_text())
    assert [(h["stretch"], h["side"]) for h in data["holds"]] == [("knee_to_chest", "right")]
    assert data["source"]["duration_s"] < 8.5


def test_realtime_file_matches_analyze(clip_result, tmp_path: Path) -> None:
    offline, _ = clip_result(K2C)
    p = live(
        "--source",
        str(SHARED / "videos" / f"{K2C}.mp4"),
        "--realtime",
        "--no-window",
        "--json",
        "-",
        "--out",
        str(tmp_path),
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    (hold,) = data["holds"]
    (ref,) = offline.holds
    frame = 1 / 30
    assert (hold["stretch"], hold["side"]) == (ref.stretch, ref.side)
    assert abs(hold["start_s"] - ref.start_s) <= 2 * frame + 1e-6
    assert abs(hold["end_s"] - ref.end_s) <= 2 * frame + 1e-6
    # --out gets what `analyze --out` gives: the HTML report and the CSVs, in the session's own folder
    (folder,) = tmp_path.iterdir()
    assert {"report.html", "holds.csv", "track.npz"} <= {f.name for f in folder.iterdir()}
    # the same numbers as every frame's (the looks a paced camera delivers, weighted by time)
    assert hold["hip_flexion_deg"] == pytest.approx(ref.hip_flexion_deg, abs=SAME_DEG)
    assert hold["knee_to_chest_cm"] == pytest.approx(ref.knee_to_chest_cm, abs=SAME_CM)


@pytest.mark.parametrize("index", ["9", "-5", "64", "-1"])
def test_missing_or_impossible_camera_is_one_line(tmp_path: Path, index: str) -> None:
    """-5 used to reach OpenCV and die with a segmentation fault (exit 139)."""
    p = live("--camera", index, "--no-window", "--out", str(tmp_path))
    assert p.returncode == 2, p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "camera" in lines[0] and index in lines[0]
    assert not any(tmp_path.iterdir())  # nothing was started, nothing written


def test_ctrl_c_keeps_the_live_session(require_shared, tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "formcheck",
            "live",
            "--mute",
            "--source",
            str(SHARED / "videos" / "forward_fold_standing.mp4"),
            "--realtime",
            "--no-window",
            "--out",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(8)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err
    (session,) = tmp_path.iterdir()
    data = json.loads((session / "report.json").read_text())
    assert data["partial"] is True and data["frames"]["total"] > 30
    assert (session / "track.npz").exists()


@contextlib.contextmanager
def _screen(display: str) -> Iterator[dict]:
    """A virtual screen for the window tests; yields the environment that draws on it."""
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.0)
        yield {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    finally:
        xvfb.terminate()
        xvfb.wait()


class _LiveWindow:
    """`formcheck live` with a window; its console (stderr, with a window) is read as it goes."""

    def __init__(self, env: dict, *args: str) -> None:
        cmd = [sys.executable, "-m", "formcheck", "live", "--mute", "--realtime", *args]
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)

    def printed(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def wait(self, timeout_s: float = 60.0) -> tuple[int, str]:
        code = self.proc.wait(timeout=timeout_s)
        self._reader.join(timeout=5.0)
        return code, "".join(self.lines)


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb not installed")
def test_window_under_xvfb_draws_the_overlay(require_shared, tmp_path: Path) -> None:
    display = ":97"
    with _screen(display) as env:
        live = _LiveWindow(env, "--source", str(SHARED / "videos" / f"{K2C}.mp4"), "--out", str(tmp_path))
        _wait_for_window(env)
        time.sleep(6.0)  # the clip plays from the first frame shown; its hold starts at ~4.2 s
        shot = tmp_path / "screen.png"
        _grab(display, env, shot)
        code, err = live.wait()
        assert code == 0, err
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "live_window.png")
    img = cv2.imread(str(shot))
    ys, xs = np.nonzero(img.sum(axis=2) > 30)  # the window content on the black root window
    win = img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = win.shape[:2]
    assert w > 600 and h > 300
    # the raw frame, mirrored like the window, at the window's size
    cap = cv2.VideoCapture(str(SHARED / "videos" / f"{K2C}.mp4"))
    cap.set(cv2.CAP_PROP_POS_MSEC, 6000)
    raw = cv2.resize(cv2.flip(cap.read()[1], 1), (w, h))
    timer = (slice(0, h // 3), slice(w - w // 4, w))
    changed = (np.abs(win[timer].astype(int) - raw[timer].astype(int)).max(axis=2) > 60).mean()
    assert changed > 0.15, "the timer region looks like the raw frame: overlay not drawn"
    ring = win[timer]
    orange = (ring[..., 2] > 200) & (ring[..., 1] > 120) & (ring[..., 1] < 210) & (ring[..., 0] < 80)
    assert orange.sum() > 50, "no 'keep going' progress ring in the timer region"
    # every line of text legible: on its own dark panel, inside it, contrasted (WCAG 4.5)
    cx, cy, r = timer_box(win)
    panels = assert_legible(win, raw, 5, skip=[(cx - r - 5, cy - r - 5, cx + r + 5, cy + r + 5)])
    assert min(p.y0 for p in panels) < h // 4, "no stretch name or plan at the top of the window"


def _wait_for_window(env: dict, timeout_s: float = 40.0) -> None:
    """Until the formcheck window is on the display (the model loads slower on a busy machine)."""
    if shutil.which("xdotool") is None:
        time.sleep(4.0)
        return
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        found = subprocess.run(["xdotool", "search", "--name", "formcheck"], env=env, capture_output=True)
        if found.returncode == 0:
            return
        time.sleep(0.2)


def _wait_until(check: Callable[[], bool], timeout_s: float) -> None:
    end = time.monotonic() + timeout_s
    while not check() and time.monotonic() < end:
        time.sleep(0.2)


def _said(log: Path) -> list[str]:
    """What the voice said (its log is written when the session ends)."""
    return [s["text"] for s in json.loads(log.read_text())]


def _grab(display: str, env: dict, out: Path, timeout_s: float = 20.0) -> np.ndarray:
    """The screen once the window has painted something (on a busy machine Qt paints late: a
    window can exist and still be black for a while)."""
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "x11grab", "-video_size", "1400x900", "-i", display, "-frames:v", "1"]
    deadline = time.monotonic() + timeout_s
    while True:
        subprocess.run([*cmd, str(out)], check=True, env=env)
        img = cv2.imread(str(out))
        if (img.sum(axis=2) > 30).mean() > 0.05 or time.monotonic() > deadline:
            return img
        time.sleep(0.3)


@pytest.mark.skipif(shutil.which("Xvfb") is None or shutil.which("xdotool") is None, reason="needs Xvfb and xdotool")
def test_window_says_why_not_and_d_shows_every_rule(require_shared, tmp_path: Path) -> None:
    """A hip hinge held still (hands on the thighs, trunk leaning): no fold yet, so the window and
    the voice give the nearest miss as a cue, and the `d` key lays every rule over the video."""
    from tests.helpers.stills import recorded_still

    # Long enough to outlast a slow start on a busy machine: the test quits (q) once it has its
    # screenshots, and a clip that ended first would leave a black screen to judge.
    clip = recorded_still(SHARED / "photos" / "amb_good_morning.jpg", tmp_path / "hinge.mp4", fps=15, seconds=120)
    # In three of four full runs of the suite on 2026-12-06 (two workers), the screen stayed black
    # for 40 s while the live process ran, spoke its cue and quit normally: its window was never
    # painted. Every run of this file alone painted it, five CPU hogs included. That looks like an X/Qt
    # start-up fault, not formcheck's, so a black screen gets one more try; what the window then
    # shows is judged as strictly.
    for attempt in range(2):
        before, after, where = _why_not_screens(clip, tmp_path / f"try{attempt}")
        if (before.sum(axis=2) > 30).mean() > 0.05:
            break
    tmp_path = tmp_path / f"try{attempt}"
    assert (before.sum(axis=2) > 30).mean() > 0.05, f"the window was never painted ({where})"
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / "after.png", ARTIFACTS / "live_window_why_not.png")
    assert "Reach down toward your feet" in _said(tmp_path / "said.json")
    # the photo does not move: any change between the two screenshots is the overlay's
    ys, xs = np.nonzero(after.sum(axis=2) > 30)
    box = (slice(ys.min(), ys.max() + 1), slice(xs.min(), xs.min() + (xs.max() - xs.min()) // 2))
    grey_before = cv2.cvtColor(before, cv2.COLOR_BGR2GRAY)[box].astype(float)
    grey_after = cv2.cvtColor(after, cv2.COLOR_BGR2GRAY)[box].astype(float)
    panels = (grey_after < 0.6 * grey_before) & (grey_before > 100)  # darkened by a new text panel
    assert panels.mean() > 0.02, panels.mean()  # the rule panels, on the left
    assert_legible(after, before, 5)  # the new lines: the heading and the rules, each legible on its panel


def _why_not_screens(clip: Path, folder: Path) -> tuple[np.ndarray, np.ndarray, str]:
    """`formcheck live` on the clip until the why-not cue, a screenshot, `d`, a screenshot, `q`."""
    folder.mkdir()
    display = ":96"
    with _screen(display) as env:
        out = ["--voice-wav", str(folder / "said.wav"), "--out", str(folder / "out")]
        live = _LiveWindow(env, "--source", str(clip), *out)
        _wait_for_window(env)
        _wait_until(lambda: live.printed("Reach down toward your feet"), 60.0)  # 1.5 s after the hinge is seen
        time.sleep(0.5)
        before = _grab(display, env, folder / "before.png")
        where = subprocess.run(
            ["xdotool", "search", "--name", "formcheck", "getwindowgeometry"], env=env, capture_output=True, text=True
        ).stdout.strip()
        key = ["xdotool", "search", "--name", "formcheck", "windowfocus", "--sync", "key"]
        subprocess.run([*key, "d"], env=env)
        # On a loaded machine the key takes a moment: look until the rules are on screen (or 10 s).
        deadline = time.monotonic() + 10.0
        time.sleep(1.5)
        after = _grab(display, env, folder / "after.png")
        while len(text_panels(after, before)) < 5 and time.monotonic() < deadline:
            assert live.proc.poll() is None, "the live window closed before the rules were shown"
            time.sleep(0.5)
            after = _grab(display, env, folder / "after.png")
        subprocess.run([*key, "q"], env=env)  # the test has what it needs: quit, as a user would
        code, err = live.wait()
        assert code == 0, err
    return before, after, where.replace("\n", " ")
