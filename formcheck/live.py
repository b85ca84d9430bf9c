"""Live coaching: camera -> the same Runner and analysis core as `analyze` -> window, terminal, sound.

Nothing here analyses anything or owns a frame loop: `LiveSession` gives the Runner a live source
and a per-frame hook that draws the overlay and handles the window's keys, and turns events into
terminal lines and cues. `live_session(...)` is the public entry point beside `analyze_video(...)`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from formcheck.analysis.config import AnalysisConfig
from formcheck.analysis.nearmiss import NearMiss, hold_lines
from formcheck.analysis.routine import NAMES, Plan
from formcheck.analysis.session import Analyzer
from formcheck.errors import FormcheckError
from formcheck.pace import BusyWatch, LiveStats, Pulse
from formcheck.pose.landmarker import PoseEstimator
from formcheck.render.audio import AudioCues
from formcheck.render.overlay import OverlayState, draw_overlay, state_from
from formcheck.render.phrases import SpokenCoach
from formcheck.render.screen import fit, screen_size
from formcheck.render.voice import GUIDE, Speaker, Voice, find_speaker
from formcheck.runner import FrameHook, Runner
from formcheck.sources.browser import BrowserCapture
from formcheck.sources.capture import LiveCapture
from formcheck.sources.frame import Frame
from formcheck.sources.track import TrackRecorder
from formcheck.store.journal import Journal
from formcheck.types import Event, SessionResult, SourceInfo

WINDOW = "formcheck"


def describe(e: Event) -> str | None:
    """One terminal line per event worth telling."""
    p = e.payload
    name = NAMES.get(str(p.get("stretch")), "") + (f" ({p['side']})" if p.get("side") else "")
    if e.kind == "hold_started":
        return f"hold started: {name}"
    if e.kind == "hold_progress":
        done = p["elapsed_s"] >= p["target_s"][1]
        return f"{name}: {p['elapsed_s']:g} s" + (" - release now" if done else " - good, in range")
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
    """The live side of a run: cues for events, the overlay and the window for frames."""

    def __init__(
        self,
        capture: LiveCapture | BrowserCapture,
        estimator: PoseEstimator,
        analyzer: Analyzer,
        plan: Plan,
        window: bool,
        audio: AudioCues,
        recorder: TrackRecorder | None,
        say: Callable[[str], None],
        first_run_note: str | None = None,
        draw: bool | None = None,
        voice: Voice | None = None,
        hooks: list[FrameHook] | None = None,
        stats_every_s: float = 0.0,
        on_state: Callable[[Frame, OverlayState], None] | None = None,
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
        self._size: tuple[int, int] | None = None  # what the window shows the picture at (w, h)
        self._size_checked = 0.0
        self._screen: tuple[int, int] | None = None
        self.fullscreen = False
        self.mirror = capture.kind == "camera"  # a camera moves like a mirror; a file's text stays readable
        # Spoken cues when there is a voice, tones otherwise: never both.
        self.voice = voice
        self.coach = SpokenCoach(plan, analyzer.holds, voice.say) if voice is not None else None
        self.busy = BusyWatch(capture.fps)
        self.near = NearMiss(analyzer.config)  # the nearest miss as a cue; `d` shows all its rules
        self.details = False
        self._spoken_cue = ""
        self.hooks = hooks or []  # more per-frame stages (the journal)
        self.pulse = Pulse(stats_every_s) if stats_every_s > 0 else None
        self.on_state = on_state  # another screen draws the overlay (the browser app): it gets the state

    def _speak(self, text: str, priority: int, t_s: float) -> None:
        if self.voice is not None:
            self.voice.say(text, priority, t_s)

    def _on_event(self, e: Event) -> None:
        line = describe(e)
        if line:
            self.say(f"{e.t_s:7.1f} s  {line}")
        if self.coach is not None:
            self.coach.on_event(e)
        elif e.kind == "hold_started":
            self.audio.play("hold_started")
        elif e.kind == "hold_progress":
            self.audio.play("good" if e.payload["elapsed_s"] < e.payload["target_s"][1] else "release")
        elif e.kind == "warning":
            self.audio.play("warning")
        elif e.kind == "hold_ended" and e.payload.get("reported") and self.plan.rest_s > 0:
            nxt = self.plan.next_item(self.analyzer.holds.holds)
            if nxt is not None:
                self.say(f"{e.t_s:7.1f} s  rest {self.plan.rest_s:g} s, then {nxt.label}")

    def overlay_state(self, t_s: float) -> OverlayState:
        note = self.note if self.note and time.monotonic() < self._note_until else None
        note = self.busy.message or note
        state = state_from(
            self.analyzer,
            self.plan,
            t_s,
            fps=self.stats.fps,
            paused=self.paused or getattr(self.capture, "paused", False),
            muted=self.audio.muted,
        )
        if note:
            state.guidance = note
        state.cue = self.near.cue
        if self.details:
            last = self.analyzer.last
            share = last.posture_share if last is not None else None
            state.detail_lines = hold_lines(self.analyzer.holds.describe(t_s), share) + self.near.detail_lines()
        else:
            state.detail_lines = []
        return state

    def _keys(self) -> bool:
        """Handle the window's keys; False means quit."""
        key = cv2.waitKey(1) & 0xFF
        if key in (ord("q"), 27):
            self.stop_reason = "quit"
            return False
        if key == ord(" "):
            self.paused = not self.paused
        elif key == ord("d"):
            self.details = not self.details
        elif key == ord("f"):
            self.fullscreen = not self.fullscreen
            mode = cv2.WINDOW_FULLSCREEN if self.fullscreen else cv2.WINDOW_NORMAL
            cv2.setWindowProperty(WINDOW, cv2.WND_PROP_FULLSCREEN, mode)
            if not self.fullscreen and self._size is not None and self.last_image is not None:
                h, w = self.last_image.shape[:2]
                cv2.resizeWindow(WINDOW, *fit((w, h), self._screen))
            self._size_checked = 0.0  # draw at the new size from the next frame
        elif key == ord("m"):
            self.audio.muted = not self.audio.muted
            if self.voice is not None:
                self.voice.muted = self.audio.muted
        if cv2.getWindowProperty(WINDOW, cv2.WND_PROP_VISIBLE) < 1:
            self.stop_reason = "window closed"
            return False
        return True

    def _show(self, frame: Frame, _analyzer: Analyzer) -> bool:
        """Per-frame hook: draw, show, measure; False when the user quits."""
        cue = self.near.update(self.analyzer.last)
        if cue and cue != self._spoken_cue:
            self.say(f"{frame.t_s:7.1f} s  {cue}")
            self._speak(cue, GUIDE, frame.t_s)
        self._spoken_cue = cue
        state = self.overlay_state(frame.t_s) if self.draw or self.on_state is not None else None
        if self.draw and state is not None:
            assert frame.bgr is not None  # cameras give every frame's pixels
            size = self._window_size(frame.bgr.shape[1], frame.bgr.shape[0]) if self.window else None
            self.last_image = draw_overlay(frame.bgr, state, self.mirror, size)
        if self.window and self.last_image is not None:
            cv2.imshow(WINDOW, self.last_image)
        if self.on_state is not None and state is not None:
            self.on_state(frame, state)
        now = time.monotonic()
        latency = None if frame.captured_at is None else (now - frame.captured_at) * 1000
        self.stats.tick(now, latency)
        line = self.pulse.update(now, frame.t_s, latency) if self.pulse is not None else None
        if line:
            self.say(line)
        if self.coach is not None:
            self.coach.update(frame.t_s)
        if self.busy.update(now, self.stats.fps):
            self.say(f"{frame.t_s:7.1f} s  {self.busy.message}")
            self._speak("This computer is too busy to follow you", GUIDE, frame.t_s)
        return not self.window or self._keys()

    def _window_size(self, w: int, h: int) -> tuple[int, int]:
        """The size to draw at: the window's, so text is drawn sharp at the size it is read at.
        The window opens as large as the screen allows; resizing or `f` (full screen) is followed
        within half a second."""
        now = time.monotonic()
        if self._size is None:
            self._screen = screen_size()  # asked once: a display connection per look is waste
            self._size = fit((w, h), self._screen)
            cv2.resizeWindow(WINDOW, *self._size)
            self._size_checked = now
        elif now - self._size_checked > 0.5:
            self._size_checked = now
            try:
                _, _, rw, rh = cv2.getWindowImageRect(WINDOW)
            except cv2.error:
                rw = rh = 0
            screen = self._screen
            if self.fullscreen and screen is not None and rw < 0.95 * screen[0] and rh < 0.95 * screen[1]:
                # no window manager took the full-screen request (a bare X server, some kiosks):
                # cover the screen ourselves
                cv2.moveWindow(WINDOW, 0, 0)
                cv2.resizeWindow(WINDOW, *screen)
                rw, rh = screen
            if rw > 16 and rh > 16:
                scale = min(rw / w, rh / h)
                self._size = (max(1, round(w * scale)), max(1, round(h * scale)))
        return self._size

    def run(self) -> SessionResult:
        if self.window:  # no toolbar, keep the aspect ratio, sized to the frame on the first image
            cv2.namedWindow(WINDOW, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | cv2.WINDOW_GUI_NORMAL)
        runner = Runner(
            self.analyzer,
            self.estimator,
            self.recorder,
            self._on_event,
            [*self.hooks, self._show],
            lambda: not (self.paused or getattr(self.capture, "paused", False)),
        )
        try:
            result = runner.run(self.capture)
        finally:
            if self.window:
                cv2.destroyAllWindows()
            if self.voice is not None:
                self.voice.close()  # the last words ("Session complete") are still said
        if result.partial:
            self.stop_reason = "interrupted"
        elif not runner.stopped_by_hook and self.capture.error:
            self.stop_reason = self.capture.error
        return result


def live_session(
    camera: int = 0,
    source: str | None = None,
    *,
    plan: Plan | None = None,
    config: AnalysisConfig | None = None,
    model: str | os.PathLike[str] | None = None,
    window: bool = False,
    audio: bool = True,
    realtime: bool = False,
    retry_s: float = 5.0,
    duration_s: float | None = None,
    save_track: str | os.PathLike[str] | None = None,
    say: Callable[[str], None] = lambda _line: None,
    first_run_note: str | None = None,
    notify: Callable[[str], None] | None = None,
    voice: bool | Speaker = True,
    journal: Callable[[SourceInfo], Journal] | None = None,
    stats_every_s: float = 0.0,
    capture: LiveCapture | BrowserCapture | None = None,
    on_state: Callable[[Frame, OverlayState], None] | None = None,
) -> tuple[SessionResult, LiveSession]:
    """Coach a session from a webcam (`camera`) or a stream URL / file (`source`); returns the
    result - complete, or partial when interrupted - and the session (stop reason, stats). The
    landmark track is saved to `save_track` however the session ends. `voice`: spoken cues with
    the system's voice (tones when there is none, silence without a sound device), or a Speaker
    of your own (`render.voice.WavSpeaker` renders them to files). `journal`: makes the session's
    journal from its source description; the landmarks are then on disk within a second as the
    session goes (store/journal.py), and the journal is removed once the track is saved.
    `capture`: a ready source instead (the browser app's camera); `on_state`: gets every frame's
    overlay state, for a screen formcheck does not draw itself."""
    plan = plan or Plan()
    config = config or AnalysisConfig()
    if capture is None:
        capture = LiveCapture(
            None if source else camera, source, realtime=realtime, retry_s=retry_s, max_duration_s=duration_s
        )
    recorder = TrackRecorder()
    log: Journal | None = None
    try:
        with PoseEstimator(model, count_async=True) as estimator:
            info = SourceInfo(capture.name, 0.0, capture.fps, 0, capture.width, capture.height, 0, capture.kind)  # type: ignore[arg-type]
            info.recorded_at, info.recorded_from = datetime.now().isoformat(timespec="seconds"), "live"
            cues = AudioCues(enabled=audio, notify=notify)
            speaker: Speaker | None = None
            if not isinstance(voice, bool):
                speaker = voice
            elif voice and audio and cues.available:
                speaker = find_speaker()
                if speaker is None and notify is not None:
                    notify("no voice on this system (install espeak-ng, or pip install pyttsx3): tones instead")
            spoken = Voice(speaker) if speaker is not None else None
            analyzer = Analyzer(info, config)
            log = journal(info) if journal is not None else None
            hooks: list[FrameHook] = [] if log is None else [lambda _f, _a: log.update(recorder)]
            session = LiveSession(
                capture, estimator, analyzer, plan, window, cues, recorder, say, first_run_note, voice=spoken,
                hooks=hooks, stats_every_s=stats_every_s, on_state=on_state,
            )  # fmt: skip
            result = session.run()
    finally:
        capture.close()
    if getattr(capture, "disconnected", False):  # the page went away: what was seen is kept, partial
        result.partial = True
    result.source = replace(
        result.source,
        duration_s=round(recorder.last_t_s, 3),
        frames=recorder.n,
        fps=round(session.stats.frames / max(recorder.last_t_s, 1e-6), 2) if recorder.n else capture.fps,
    )
    if log is not None:
        log.update(recorder, force=True)
        if save_track is not None:
            log.whole_track(recorder).save(Path(save_track), result.source)
            log.finish()  # the track is whole on disk: the journal is no longer needed
        else:
            log.close()
    elif save_track is not None:
        recorder.save(Path(save_track), result.source)
    return result, session
