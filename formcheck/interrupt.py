"""Ctrl-C as a flag, not an exception: a KeyboardInterrupt raised inside a finaliser (MediaPipe's
Image.__del__ runs often) is swallowed by Python, so loops poll this flag between frames instead."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class StopFlag:
    def __init__(self) -> None:
        self.set = False


@contextmanager
def ctrl_c_flag() -> Iterator[StopFlag]:
    flag = StopFlag()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def handler(signum: int, frame: object) -> None:
        flag.set = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)
