"""A still photo played as a short clip, so one picture can be checked like a recording.

A photo of a stretch is the simplest question a user (or a test) can ask: "does formcheck see
this pose?". Playing the same picture for a few seconds goes through exactly the path a video
takes (VIDEO-mode tracking, the quality gate, smoothing, hold timing), and is also the hardest
case for landmark jitter: nothing moves, so any motion formcheck reports is estimation noise.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from formcheck.errors import FormcheckError
from formcheck.sources.frame import Frame, check_frame_size, fit, mp_image
from formcheck.types import SourceInfo

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}


def is_image(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


class StillClip:
    """The VideoReader interface over one photo repeated `seconds * fps` times."""

    def __init__(
        self, path: str | os.PathLike[str], seconds: float = 10.0, fps: float = 5.0, mp_images: bool = False
    ) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FormcheckError(f"no such file: {self.path}")
        bgr = cv2.imread(str(self.path), cv2.IMREAD_COLOR)
        if bgr is None:
            raise FormcheckError(f"cannot decode {self.path}: not an image OpenCV can read")
        self.height, self.width = bgr.shape[:2]
        check_frame_size(self.width, self.height, str(self.path))
        self._bgr = bgr = fit(bgr)
        self._rgb = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        self._image = mp_image(self._rgb) if mp_images else None
        self.fps = fps
        self.frame_count = max(1, round(seconds * fps))
        self.rotation = 0
        self.unreadable = 0

    def info(self) -> SourceInfo:
        return SourceInfo(
            path=str(self.path),
            duration_s=round(self.frame_count / self.fps, 3),
            fps=self.fps,
            frames=self.frame_count,
            width=self.width,
            height=self.height,
            kind="photo",
        )

    def __iter__(self) -> Iterator[Frame]:
        for i in range(self.frame_count):
            yield Frame(i, i / self.fps, self._bgr, self._rgb, self._image)

    def close(self) -> None:
        self._image = None

    def __enter__(self) -> StillClip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
