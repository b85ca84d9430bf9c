"""The newest frame not yet taken, between a producer (a capture thread, a web page) and the frame loop.

Live sources keep only the newest picture: a slow analysis skips frames instead of falling behind.
"""

from __future__ import annotations

import threading
import time

from formcheck.sources.frame import Frame


class NewestFrameSource:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._latest: Frame | None = None
        self._taken = -1
        self._ended = False

    def _take(self, timeout_s: float) -> Frame | None:
        """The newest frame not taken before; None at the end; TimeoutError if none came in time."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._latest is None or self._latest.index <= self._taken:
                if self._ended:
                    return None
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                self._cond.wait(left)
            self._taken = self._latest.index
            self._cond.notify_all()
            return self._latest
