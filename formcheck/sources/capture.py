"""Live capture: a camera, a network stream (MJPEG/RTSP) or a file played like a camera.

A background thread keeps only the newest frame, so the analysis never builds a backlog: if it
is slower than the camera, old frames are dropped (and counted), not queued.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import cv2

from formcheck.errors import FormcheckError
from formcheck.sources.frame import MAX_SIDE, Frame, check_frame_size, fit, media_time
from formcheck.sources.newest import NewestFrameSource

STREAM_SCHEMES = ("http", "https", "rtsp", "rtsps", "rtmp", "udp", "tcp", "srt")
MAX_CAMERA = 63  # V4L2 numbers devices /dev/video0..63; Windows and macOS count far fewer


def check_camera(index: int) -> None:
    """Before OpenCV sees it: a negative index is taken by some backends as "any camera" and by
    others as a pointer offset (a segmentation fault), so only 0..63 reach native code, and on
    Linux only an index whose /dev/video device exists."""
    if not 0 <= index <= MAX_CAMERA:
        raise FormcheckError(f"--camera takes a webcam number from 0 to {MAX_CAMERA}, not {index}")
    if sys.platform.startswith("linux") and not Path(f"/dev/video{index}").exists():
        found = sorted(int(p.name[5:]) for p in Path("/dev").glob("video*") if p.name[5:].isdigit())
        listed = ", ".join(map(str, found)) if found else "none"
        raise FormcheckError(f"no camera {index} (/dev/video{index} does not exist; cameras here: {listed})")


def check_stream(url: str) -> None:
    """A stream URL OpenCV's FFmpeg can open: a known scheme and a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in STREAM_SCHEMES:
        raise FormcheckError(f"cannot open {url}: streams are {', '.join(STREAM_SCHEMES)} URLs")
    if not parts.hostname:
        raise FormcheckError(f"cannot open {url}: the URL names no host")
    if any(ord(c) < 32 for c in url):
        raise FormcheckError("cannot open the stream: its URL holds control characters")


def describe_source(camera: int | None, source: str | None) -> tuple[object, str, str]:
    """(what cv2.VideoCapture opens, a readable name, kind: camera | stream | file)."""
    if source is None:
        index = 0 if camera is None else camera
        check_camera(index)
        return index, f"camera {index}", "camera"
    if "://" in source:
        check_stream(source)
        return source, source, "stream"
    path = Path(source)
    if not path.is_file():
        raise FormcheckError(f"no such file: {source}")
    return str(path), source, "file"


class LiveCapture(NewestFrameSource):
    """Newest-frame capture with reconnects. `read()` blocks until a new frame (or the end)."""

    def __init__(
        self,
        camera: int | None = None,
        source: str | None = None,
        realtime: bool = True,
        retry_s: float = 5.0,
        width: int | None = None,
        height: int | None = None,
        max_duration_s: float | None = None,
    ) -> None:
        super().__init__()
        self.target, self.name, self.kind = describe_source(camera, source)
        self.realtime = realtime or self.kind != "file"
        self.retry_s = retry_s
        self._size = (width, height)
        self._cap = self._open(first=True)
        w = int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 640)
        h = int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 480)
        try:
            check_frame_size(w, h, self.name)
        except FormcheckError:
            self._cap.release()
            raise
        scale = min(1.0, MAX_SIDE / max(w, h, 1))
        self.width, self.height = round(w * scale), round(h * scale)
        self.fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if not 1.0 < self.fps < 240.0:
            self.fps = 30.0
        self.error: str | None = None
        self.grabbed = 0
        self.dropped = 0
        self.reconnects = 0
        self._stop = threading.Event()
        self._t0 = time.monotonic()
        self.max_duration_s = max_duration_s
        self._thread = threading.Thread(target=self._run, name="formcheck-capture", daemon=True)
        if self.kind != "file":  # a camera or stream runs on its own clock from when it opened
            self._thread.start()

    def _open(self, first: bool = False) -> cv2.VideoCapture:
        if self.kind == "camera":
            cap = cv2.VideoCapture(int(self.target))  # type: ignore[call-overload]
        else:
            timeouts = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 5000, cv2.CAP_PROP_READ_TIMEOUT_MSEC, 5000]
            cap = cv2.VideoCapture(str(self.target), cv2.CAP_FFMPEG, timeouts)  # a stalled stream must not hang
        if cap.isOpened() and self.kind == "camera" and self._size[0]:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self._size[0])
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self._size[1] or 480)
        if not cap.isOpened() and first:
            if self.kind == "camera":
                raise FormcheckError(f"cannot open camera {self.target}: no such camera, or it is in use")
            raise FormcheckError(f"cannot open {self.name}")
        return cap

    def _stamp(self, index: int, last_t: float | None) -> float:
        if self.kind == "file":
            return media_time(self._cap.get(cv2.CAP_PROP_POS_MSEC), index, self.fps, last_t)
        return time.monotonic() - self._t0

    def _run(self) -> None:
        index, lost_since, t_s = 0, None, None
        start = time.monotonic()
        while not self._stop.is_set():
            ok, frame = self._cap.read()
            now = time.monotonic()
            if not ok or frame is None:
                if self.kind == "file":
                    break  # end of the file
                lost_since = lost_since or now
                if now - lost_since > self.retry_s:
                    self.error = f"lost {self.name} and could not reconnect within {self.retry_s:g} s"
                    break
                self._cap.release()
                time.sleep(0.2)
                self._cap = self._open()
                self.reconnects += 1
                continue
            lost_since = None
            t_s = self._stamp(index, t_s)
            if self.max_duration_s and t_s > self.max_duration_s:
                break
            if self.kind == "file" and self.realtime:  # play the file like a camera
                delay = start + t_s - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            frame = fit(frame)
            with self._cond:
                if not self.realtime:  # a file analysed as fast as possible: wait, drop nothing
                    while self._latest is not None and self._taken < self._latest.index and not self._stop.is_set():
                        self._cond.wait(0.1)
                elif self._latest is not None and self._taken < self._latest.index:
                    self.dropped += 1
                self._latest = Frame(index, t_s, frame, captured_at=time.monotonic())
                self.grabbed += 1
                self._cond.notify_all()
            index += 1
        with self._cond:
            self._ended = True
            self._cond.notify_all()

    def read(self, timeout_s: float = 10.0) -> Frame | None:
        """The newest frame not returned before; None at the end of the source. The first call
        starts a file: paced like a camera, it starts playing when someone watches, not while the
        model loads."""
        if self._thread.ident is None and not self._stop.is_set():
            self._t0 = time.monotonic()
            self._thread.start()
        try:
            return self._take(timeout_s)
        except TimeoutError:
            self.error = self.error or f"no frames from {self.name} for {timeout_s:g} s"
            return None

    def __iter__(self) -> Iterator[Frame]:
        """Frames until the source ends (or is lost for good: see `error`)."""
        while (frame := self.read()) is not None:
            yield frame

    def close(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=2.0)
        self._cap.release()
