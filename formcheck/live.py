"""Live coaching: camera -> the same analysis core as `analyze` -> window, terminal and sound.

Nothing here analyses anything: it moves frames from a LiveCapture into the PoseEstimator and the
Analyzer, turns their events into cues, and draws the overlay.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from formcheck.analysis.routine import NAMES, Plan
from formcheck.analysis.session import Analyzer
from formcheck.errors import FormcheckError
from formcheck.interrupt import StopFlag, ctrl_c_flag
from formcheck.pose.landmarker import PoseEstimator
from formcheck.render.audio import AudioCues
from formcheck.render.overlay import OverlayState, draw_overlay, state_from
from formcheck.sources.capture import LiveCapture
from formcheck.sources.track import TrackRecorder
from formcheck.types import Event, SessionResult

WINDOW = "formcheck"


@dataclass(slots=True)
class LiveStats:
    frames: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @property
    def fps(self) -> float:
        return self.frames / max(time.monotonic() - self.started, 1e-6)


def describe(e: Event) -> str | None:
    """One terminal line per event worth telling."""
    p = e.payload
    name = NAMES.get(str(p.get("stretch")), "") + (f" ({p['side']})" if p.get("side") else "")
    if e.kind == "hold_started":
        return f"hold started: {name}"
    if e.kind == "hold_progress":
        return f"{name}: {p['elapsed_s']:g} s" + (" - good, in range" if p["elapsed_s"] < 30 else " - release now")
    if e.kind == "hold_ended" and p.get("reported"):
        h = p["hold"]
        return f"hold ended: {name}, {h.duration_s:.1f} s, {h.verdict.replace('_', ' ')}"
    if e.kind == "warning":
        return f"warning: {p['warning'].message}"
    if e.kind == "notice":
        return f"set-up: {p['notice'].message}"
    return None


def has_display() -> bool:
    return sys.platform != "linux" or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class LiveSession:
    def __init__(
        self,
        capture: LiveCapture,
        estimator: PoseEstimator,
        analyzer: Analyzer,
        plan: Plan,
        window: bool,
        audio: AudioCues,
        recorder: TrackRecorder | None,
        say: Callable[[str], None],
        first_run_note: str | None = None,
        draw: bool | None = None,
    ) -> None:
        if window and not has_display():
            raise FormcheckError("no display to open a window on: use --no-window")
        self.capture, self.estimator, self.analyzer = capture, estimator, analyzer
        self.plan, self.window, self.audio, self.recorder, self.say = plan, window, audio, recorder, say
        self.draw = window if draw is None else draw  # draw the overlay even without a window (benchmarks)
        self.stats = LiveStats()
        self.paused = False
        self.note, self._note_until = first_run_note, time.monotonic() + 10.0
        self.stop_reason = "end of source"
        self.last_image: np.ndarray | None = None

    def _on_event(self, e: Event) -> None:
        line = describe(e)
        if line:
            self.say(f"{e.t_s:7.1f} s  {line}")
        if e.kind == "hold_started":
            self.audio.play("hold_started")
        elif e.kind == "hold_progress":
            self.audio.play("good" if e.payload["elapsed_s"] < 30 else "release")
        elif e.kind == "warning":
            self.audio.play("warning")

    def overlay_state(self, t_s: float) -> OverlayState:
        note = self.note if self.note and time.monotonic() < self._note_until else None
        state = state_from(
            self.analyzer, self.plan, t_s, fps=self.stats.fps, paused=self.paused, muted=self.audio.muted
        )
        if note:
            state.guidance = note
        return state

    def _keys(self) -> bool:
        """Handle the window's keys; False means quit."""
        key = cv2.waitKey(1) & 0xFF
        if key in (ord("q"), 27):
            self.stop_reason = "quit"
            return False
        if key == ord(" "):
            self.paused = not self.paused
        elif key == ord("m"):
            self.audio.muted = not self.audio.muted
        if cv2.getWindowProperty(WINDOW, cv2.WND_PROP_VISIBLE) < 1:
            self.stop_reason = "window closed"
            return False
        return True

    def run(self) -> SessionResult:
        if self.window:  # no toolbar, keep the aspect ratio, sized to the frame on the first image
            cv2.namedWindow(WINDOW, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | cv2.WINDOW_GUI_NORMAL)
        with ctrl_c_flag() as stop:
            partial = self._frames(stop)
        if self.window:
            cv2.destroyAllWindows()
        for e in self.analyzer.finish():
            self._on_event(e)
        return self.analyzer.result(partial=partial)

    def _frames(self, stop: StopFlag) -> bool:
        """Run frames until the source ends, q, or Ctrl-C; True when interrupted (a partial report)."""
        sized = False
        try:
            while not stop.set:
                cf = self.capture.read()
                if cf is None:
                    if self.capture.error:
                        self.stop_reason = self.capture.error
                    break
                if not self.paused:
                    rgb = cv2.cvtColor(cf.bgr, cv2.COLOR_BGR2RGB)
                    pose = self.estimator.process(rgb, cf.t_s)
                    if self.recorder is not None:
                        self.recorder.update(pose)
                    for e in self.analyzer.update(pose):
                        self._on_event(e)
                self.stats.frames += 1
                if self.draw:
                    self.last_image = draw_overlay(cf.bgr, self.overlay_state(cf.t_s))
                if self.window and self.last_image is not None:
                    if not sized:
                        h, w = self.last_image.shape[:2]
                        scale = min(1.0, 1280 / w, 720 / h)
                        cv2.resizeWindow(WINDOW, round(w * scale), round(h * scale))
                        sized = True
                    cv2.imshow(WINDOW, self.last_image)
                self.stats.latencies_ms.append((time.monotonic() - cf.captured_at) * 1000)  # capture -> shown
                if self.window and not self._keys():
                    break
        except KeyboardInterrupt:
            stop.set = True
        if stop.set:
            self.stop_reason = "interrupted"
        return stop.set
