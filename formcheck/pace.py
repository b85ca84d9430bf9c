"""How a live session keeps up: the analysed frame rate, latency and memory (`--stats-every`), and
the warning when the machine cannot follow the camera. Measures only; live.py acts on them."""

from __future__ import annotations

import os
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(slots=True)
class LiveStats:
    """Frame rate over the last `window_s` seconds (not since the start) and bounded latency samples."""

    window_s: float = 2.0
    frames: int = 0
    latencies_ms: deque[float] = field(default_factory=lambda: deque(maxlen=3000))
    _stamps: deque[float] = field(default_factory=deque)

    def tick(self, now: float, latency_ms: float | None) -> None:
        self.frames += 1
        self._stamps.append(now)
        while self._stamps and now - self._stamps[0] > self.window_s:
            self._stamps.popleft()
        if latency_ms is not None:
            self.latencies_ms.append(latency_ms)

    @property
    def fps(self) -> float:
        if len(self._stamps) < 2:
            return 0.0
        return (len(self._stamps) - 1) / max(self._stamps[-1] - self._stamps[0], 1e-6)


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc; elsewhere the peak so far)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError, AttributeError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (2**20 if sys.platform == "darwin" else 2**10)


class Pulse:
    """`--stats-every`: a line per interval with the analysed frame rate, the camera-to-analysis
    latency (median and 95th percentile) and memory, to see a slow machine or a leak."""

    def __init__(self, every_s: float) -> None:
        self.every_s = every_s
        self._since: float | None = None
        self._frames = 0
        self._latencies: list[float] = []

    def update(self, now: float, t_s: float, latency_ms: float | None) -> str | None:
        if self._since is None:
            self._since = now
        self._frames += 1
        if latency_ms is not None:
            self._latencies.append(latency_ms)
        if now - self._since < self.every_s:
            return None
        fps = self._frames / (now - self._since)
        lat = np.percentile(self._latencies, [50, 95]) if self._latencies else [float("nan")] * 2
        self._since, self._frames, self._latencies = now, 0, []
        return (
            f"stats  t={t_s:.0f} s  analysed {fps:.1f} fps  latency {lat[0]:.0f}/{lat[1]:.0f} ms  "
            f"memory {rss_mb():.0f} MB"
        )


class BusyWatch:
    """Says, during the session, when the machine cannot keep up with the camera: analysing under
    60% of the camera's rate for 5 s in a row, and under NEEDED_FPS. (A 60 fps camera analysed at
    35 fps drops many frames but misses nothing a slow stretch does: not worth an interruption.)"""

    NEEDED_FPS = 20.0  # motion warnings measure speeds over 0.1 s and accelerations over 0.15 s

    def __init__(self, camera_fps: float, hold_s: float = 5.0) -> None:
        self.camera_fps, self.hold_s = camera_fps, hold_s
        self.message: str | None = None
        self._since: float | None = None
        self._start: float | None = None

    def update(self, now: float, fps: float) -> bool:
        """`fps`: analysed over the last 2 s. True the moment the warning starts (to say it once)."""
        self._start = now if self._start is None else self._start
        # fps is a 2 s average: slow for hold_s = that window full and below, then hold_s - 2 more
        slow = now - self._start >= 2.0 and fps < min(0.6 * self.camera_fps, self.NEEDED_FPS)
        if not slow:
            self._since = None
            self.message = None
            return False
        if self._since is None:
            self._since = now
        if self.message is None and now - self._since >= self.hold_s - 2.0:
            self.message = (
                f"too busy: {fps:.0f} of {self.camera_fps:.0f} fps analysed - close other programs "
                "or use the lite model (formcheck models download lite)"
            )
            return True
        return False
