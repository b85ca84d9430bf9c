"""A browser's camera as a live source: JPEG frames sent by a web page, one at a time.

The page (formcheck app) takes the camera with getUserMedia and sends a frame only once the
previous one has been answered, so frames never queue up: the source holds at most the newest
one. It has the interface of `LiveCapture`, so `live_session` runs it like a webcam; the server
keeps no frame after it was analysed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import cv2
import numpy as np

from formcheck.sources.frame import Frame, check_frame_size, fit
from formcheck.sources.newest import NewestFrameSource


class BrowserCapture(NewestFrameSource):
    """Frames pushed by a web page (`push`), read by the frame loop (`read` / iteration)."""

    kind = "browser"

    def __init__(self, width: int, height: int, fps: float = 30.0, name: str = "browser camera") -> None:
        check_frame_size(width, height, name)
        super().__init__()
        self.name, self.fps = name, fps
        self.width, self.height = width, height
        self.error: str | None = None
        self.dropped = 0  # frames replaced before the loop took them (the page waits, so: none)
        self.disconnected = False  # the page went away mid-session: what was seen is kept, partial
        self.paused = False  # the page's pause button: frames still come, the model rests
        self._index = 0
        self._t0: float | None = None

    def push(self, jpeg: bytes, t_s: float | None = None) -> bool:
        """One frame from the page (JPEG bytes, its capture time in seconds); False if unreadable."""
        bgr = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        if bgr is None:
            return False
        now = time.monotonic()
        self._t0 = now if self._t0 is None else self._t0
        stamp = now - self._t0 if t_s is None else t_s
        with self._cond:
            if self._latest is not None and stamp <= self._latest.t_s:
                return True  # out of order or repeated: time only moves forward
            if self._latest is not None and self._taken < self._latest.index:
                self.dropped += 1
            self._latest = Frame(self._index, stamp, fit(bgr), captured_at=now)
            self._index += 1
            self._cond.notify_all()
        return True

    def end(self, disconnected: bool = False) -> None:
        """The page stopped the session (or went away: `disconnected`)."""
        with self._cond:
            self.disconnected = self.disconnected or disconnected
            if disconnected:
                self.error = "the browser disconnected"
            self._ended = True
            self._cond.notify_all()

    def read(self, timeout_s: float = 10.0) -> Frame | None:
        try:
            return self._take(timeout_s)
        except TimeoutError:  # the page stopped sending without a word: taken as gone
            self.error = self.error or f"no frames from the browser for {timeout_s:g} s"
            self.disconnected = True
            return None

    def __iter__(self) -> Iterator[Frame]:
        while (frame := self.read()) is not None:
            yield frame

    def close(self) -> None:
        self.end()
