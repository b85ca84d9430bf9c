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
def _screen(display: str, size: str = "1400x900") -> Iterator[dict]:
    """A virtual screen for the window tests; yields the environment that draws on it."""
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
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


@pytest.mark.skipif(shutil.which("Xvfb") is None or shutil.which("xdotool") is None, reason="needs Xvfb and xdotool")
@pytest.mark.parametrize("screen", ["1280x800", "1920x1080"])
def test_window_fills_the_screen_and_reads_from_the_mat(require_shared, tmp_path: Path, screen: str) -> None:
    """The window opens as large as the screen allows, a file is shown as filmed (not mirrored),
    every line is legible, the text is drawn at the window's size (the phase and the next step
    in capitals of CAP_MID of the picture), and `f` makes it full screen."""
    from formcheck.render.overlay import CAP_MID
    from tests.helpers.stills import recorded_still

    display = ":97" if screen == "1280x800" else ":95"
    sw, sh = (int(v) for v in screen.split("x"))
    # A knee hug filmed by a webcam that does not move (sensor noise, H.264): what is on screen
    # can be compared with the picture itself, wherever the text falls.
    photo = SHARED / "photos" / "k2c_single_oblique.jpg"
    clip = recorded_still(photo, tmp_path / "knee_hug.mp4", fps=15, seconds=120)
    # A window that is never painted (an X/Qt start-up fault seen on a loaded machine, see
    # test_window_says_why_not_and_d_shows_every_rule) gets one more try; what it shows is judged as strictly.
    for attempt in range(2):
        img, full, live = _fill_screens(display, screen, clip, tmp_path / f"try{attempt}")
        if (img.sum(axis=2) > 30).mean() > 0.05:
            break
    shot = tmp_path / f"try{attempt}" / "screen.png"
    assert live.printed("hold started"), "the knee hug was not recognised"
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / f"live_window_{screen}.png")
    shutil.copy(shot.parent / "full.png", ARTIFACTS / f"live_window_{screen}_full.png")
    ys, xs = np.nonzero(img.sum(axis=2) > 30)  # the window content on the black root window
    win = img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = win.shape[:2]
    assert w >= 0.85 * sw or h >= 0.8 * sh, f"a {w}x{h} window on a {screen} screen"
    fy, fx = np.nonzero(full.sum(axis=2) > 30)
    assert fx.max() - fx.min() + 1 >= 0.97 * sw or fy.max() - fy.min() + 1 >= 0.97 * sh, "f: not full screen"
    # the picture at the window's size, as filmed: a file played like a camera is not mirrored
    raw = cv2.resize(cv2.imread(str(photo)), (w, h), interpolation=cv2.INTER_AREA)
    mid = (slice(h // 3, 2 * h // 3), slice(w // 8, w // 2))
    straight = np.abs(win[mid].astype(int) - raw[mid].astype(int)).mean()
    mirrored = np.abs(win[mid].astype(int) - cv2.flip(raw, 1)[mid].astype(int)).mean()
    assert straight < mirrored, (straight, mirrored)
    cx, cy, r = timer_box(win)
    ring = win[: cy + r, cx - r :]
    orange = (ring[..., 2] > 200) & (ring[..., 1] > 120) & (ring[..., 1] < 210) & (ring[..., 0] < 80)
    assert orange.sum() > 50, "no 'keep going' progress ring"
    panels = assert_legible(win, raw, 5, skip=[(cx - r - 5, cy - r - 5, cx + r + 5, cy + r + 5)])
    coach = [p for p in panels if p.x1 > w - w // 8 and p.y0 > cy + r * 0.8]  # under the ring: phase, next step
    assert coach, panels
    assert min(p.y1 - p.y0 for p in coach) >= CAP_MID * min(h, w), (coach, CAP_MID * min(h, w))


def _fill_screens(display: str, screen: str, clip: Path, folder: Path) -> tuple[np.ndarray, np.ndarray, _LiveWindow]:
    """`formcheck live` on the clip until a hold has started, a screenshot, `f`, a screenshot, `q`."""
    folder.mkdir()
    with _screen(display, screen) as env:
        live = _LiveWindow(env, "--source", str(clip), "--out", str(folder / "out"), "--no-history")
        _wait_for_window(env)
        _wait_until(lambda: live.printed("hold started"), 60.0)
        time.sleep(2.0)
        img = _grab(display, env, folder / "screen.png", size=screen)
        key = ["xdotool", "search", "--name", "formcheck", "windowfocus", "--sync", "key"]
        subprocess.run([*key, "f"], env=env)
        time.sleep(2.0)
        full = _grab(display, env, folder / "full.png", size=screen)
        subprocess.run([*key, "q"], env=env)
        code, err = live.wait()
        assert code == 0, err
    return img, full, live


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
def test_no_skeleton_on_a_bird(require_shared, tmp_path: Path) -> None:
    """No person in the clip, a cockatoo the model sometimes takes for one: the quality gate
    rejects it, and the overlay (the same one live draws) puts no skeleton on it."""
    from formcheck.render.overlay import GREEN

    annotated = tmp_path / "bird.mp4"
    clip = SHARED / "videos" / "no_person_cockatoo.mp4"
    done = subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", str(clip), "--annotate", str(annotated), "--no-history",
         "--every-frame", "--json", str(tmp_path / "r.json")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["frames"]["rejected"] > 0  # the model did find something: the case in question
    drawn, raw = cv2.VideoCapture(str(annotated)), cv2.VideoCapture(str(clip))
    skeleton_frames = 0
    while True:
        ok, a = drawn.read()
        ok2, b = raw.read()
        if not (ok and ok2):
            break
        b = cv2.resize(b, (a.shape[1], a.shape[0]))
        green = np.abs(a.astype(int) - GREEN).sum(axis=2) < 60
        skeleton_frames += int((green & (np.abs(b.astype(int) - GREEN).sum(axis=2) >= 100)).sum() > 50)
    assert skeleton_frames == 0


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


def _grab(display: str, env: dict, out: Path, timeout_s: float = 20.0, size: str = "1400x900") -> np.ndarray:
    """The screen once the window has painted something (on a busy machine Qt paints late: a
    window can exist and still be black for a while)."""
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "x11grab", "-video_size", size, "-i", display, "-frames:v", "1"]
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
