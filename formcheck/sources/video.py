"""Decode a video file in a background thread so decoding overlaps pose inference."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from formcheck.errors import FormcheckError
from formcheck.sources.frame import MAX_SIDE, Frame, check_frame_size, fit, media_time, mp_image, on_grid, preview
from formcheck.types import SourceInfo

_CORRUPT_RETRIES = 64  # frames to try past a failed read before deciding the file really ended
_END = object()


def decode_all(path: str | os.PathLike[str], max_side: int | None = None) -> tuple[list[np.ndarray], float]:
    """Every frame of a file in memory (BGR, scaled to `max_side` if given) and its frame rate:
    for tests and benchmarks that need the same frames more than once."""
    cap = open_capture(Path(path))
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 30.0)
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame if max_side is None else fit(frame, max_side))
    cap.release()
    return frames, fps


def open_capture(path: Path) -> cv2.VideoCapture:
    if not path.exists():
        raise FormcheckError(f"no such file: {path}")
    if path.is_dir():
        raise FormcheckError(f"{path} is a directory, not a video file")
    if path.stat().st_size == 0:
        raise FormcheckError(f"{path} is empty (0 bytes)")
    if not os.access(path, os.R_OK):
        raise FormcheckError(f"cannot read {path}: permission denied")
    # one decoder thread: decoding then overlaps inference on the other core instead of competing with it
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, [cv2.CAP_PROP_N_THREADS, 1])
    if not cap.isOpened():
        raise FormcheckError(f"cannot decode {path}: not a video file OpenCV can read")
    return cap


class VideoReader:
    """Iterate over (index, time, frame) of a file; rotation metadata is applied by OpenCV.

    Timestamps come from the container (CAP_PROP_POS_MSEC), so variable-frame-rate phone clips
    keep real time; if a container gives none, index / fps stands in.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        queue_size: int = 8,
        ahead_bytes: int = 0,
        max_side: int = MAX_SIDE,
        mp_images: bool = False,
        grid_s: float = 0.0,
    ) -> None:
        self.path = Path(path)
        # Pixels only for frames on a grid this far apart (`on_grid`); the others are decoded (the
        # codec needs them) but never converted: adaptive sampling's model never sees them.
        self.grid_s = grid_s
        self.mp_images = mp_images
        if mp_images:  # import on this thread: importing it from the decode thread races the main one
            import mediapipe  # noqa: F401
        self._cap = open_capture(self.path)
        self.max_side = max_side
        cap = self._cap
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if 0.5 < fps < 1000 else 30.0
        self.frame_count = max(int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0), 0)
        # OpenCV reports the display matrix counter-clockwise; report it the way phones tag files
        # (the MP4 'rotate' tag, clockwise) so it matches what ffprobe and players show.
        self.rotation = (360 - int(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0)) % 360
        ok, first = cap.read()
        if not ok or first is None:
            cap.release()
            raise FormcheckError(f"cannot decode {self.path}: no video frames (truncated, audio-only or corrupt?)")
        self.height, self.width = first.shape[:2]
        try:
            check_frame_size(self.width, self.height, str(self.path))
        except FormcheckError:
            cap.release()
            raise
        self._first = (self._pos_s(0), first)
        self.skipped = 0
        self.frames_read = 0
        self.last_t_s = 0.0
        # How far the decoder may run ahead: `queue_size` frames, or (`ahead_bytes` > 0) as many as
        # fit in that many bytes of pixels. Adaptive sampling's model calls come in bursts (entries,
        # releases) between stretches where frames go by at decoding speed: a decoder that ran ahead
        # during a burst keeps the still stretch after it from waiting on the decoder.
        self.ahead_bytes = ahead_bytes
        self._bytes = 0
        self._room = threading.Condition()
        self._queue: queue.Queue[object] = queue.Queue(maxsize=0 if ahead_bytes else queue_size)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="formcheck-decode", daemon=True)
        self._thread.start()

    @property
    def unreadable(self) -> int:
        """Frames the container promised but the decoder could not give (corrupt data)."""
        missing = self.frame_count - self.frames_read if self.frame_count and self.frames_read else 0
        return max(self.skipped, missing if missing > 1 else 0)

    def info(self) -> SourceInfo:
        frames = self.frames_read or self.frame_count
        duration = self.last_t_s + 1.0 / self.fps if self.frames_read else self.frame_count / self.fps
        return SourceInfo(
            path=str(self.path),
            duration_s=round(duration, 3),
            fps=round(self.fps, 3),
            frames=frames,
            width=self.width,
            height=self.height,
            rotation=self.rotation,
            kind="video",
        )

    def _pos_s(self, index: int, last_t: float | None = None) -> float:
        return media_time(self._cap.get(cv2.CAP_PROP_POS_MSEC), index, self.fps, last_t)

    def _prepare(self, index: int, t_s: float, bgr: np.ndarray | None) -> Frame:
        if bgr is None:
            return Frame(index, t_s, None)
        if self.grid_s:  # adaptive sampling: scaled and converted only if analysed
            return Frame(index, t_s, bgr, fit_to=self.max_side, small=preview(bgr))
        bgr = fit(bgr, self.max_side)
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        return Frame(index, t_s, bgr, rgb, mp_image(rgb) if self.mp_images else None)

    def _next(self, index: int, last_t: float, grid_t: float) -> tuple[bool, float, np.ndarray | None]:
        """Decode the next frame and read its time; convert it to pixels unless it is off the grid."""
        if not self._cap.grab():
            return False, last_t, None
        t_s = self._pos_s(index, last_t)
        if self.grid_s and not on_grid(t_s, grid_t, 1.0 / self.fps, self.grid_s):
            return True, t_s, None
        ok, bgr = self._cap.retrieve()
        return ok, t_s, bgr

    def _run(self) -> None:
        try:
            index = 0
            t_s, first = self._first
            bgr: np.ndarray | None = first
            grid_t = t_s
            while not self._stop.is_set():
                self._put(self._prepare(index, t_s, bgr))
                index += 1
                ok, t_next, bgr = self._next(index + self.skipped, t_s, grid_t)
                retries = 0
                while not ok and index + retries < self.frame_count - 1 and retries < _CORRUPT_RETRIES:
                    retries += 1  # a corrupt stretch of the file: skip past it
                    ok, t_next, bgr = self._next(index + self.skipped + retries, t_s, grid_t)
                if not ok:
                    break
                self.skipped += retries
                t_s = t_next
                if bgr is not None:
                    grid_t = t_s
            self._put(_END)
        except Exception as exc:  # handed to the consumer thread, which raises it
            self._put(exc)

    @staticmethod
    def _size(item: object) -> int:
        if not isinstance(item, Frame):
            return 0
        return sum(a.nbytes for a in (item.bgr, item.rgb, item.small) if a is not None)

    def _put(self, item: object) -> None:
        if self.ahead_bytes:
            size = self._size(item)
            with self._room:
                while self._bytes and self._bytes + size > self.ahead_bytes and not self._stop.is_set():
                    self._room.wait(timeout=0.1)
                self._bytes += size
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def __iter__(self) -> Iterator[Frame]:
        while True:
            item = self._queue.get()
            if self.ahead_bytes:
                with self._room:
                    self._bytes -= self._size(item)
                    self._room.notify()
            if item is _END:
                return
            if isinstance(item, Exception):
                raise item
            assert isinstance(item, Frame)
            self.frames_read += 1
            self.last_t_s = item.t_s
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)
        self._cap.release()

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
