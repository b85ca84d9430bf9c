"""Keep MediaPipe's native log lines (LiteRT, glog) off the user's terminal.

They are written by C++ straight to file descriptor 2, so Python's logging cannot catch them;
we point fd 2 at /dev/null while native code is set up, warmed up and torn down.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    if os.environ.get("FORMCHECK_DEBUG"):
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real fd 2 (embedded interpreters, some notebooks)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def route_native_stderr_away() -> None:
    """For the command line: native code's fd 2 goes to /dev/null for the whole run, while
    Python's sys.stderr (our messages, progress bars) keeps writing to the real terminal.

    MediaPipe logs from its own threads at unpredictable times (e.g. the first non-square region
    of interest), so scoped silencing alone cannot catch every line.
    """
    if os.environ.get("FORMCHECK_DEBUG"):
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError):
        return
    os.dup2(devnull, 2)
    os.close(devnull)
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    sys.stderr = os.fdopen(saved, "w", buffering=1, encoding=encoding, errors="backslashreplace")
