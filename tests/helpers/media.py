"""Media the tests make themselves, for what does not need a real person: decoding, writing,
exit codes, interrupts. (What needs a person reads the shared clips and skips without them.)"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np


def scene_clip(path: Path, seconds: float = 6.0, fps: float = 30.0, size: tuple[int, int] = (640, 360)) -> Path:
    """A room-like clip with no one in it: a textured background and a ball rolling across."""
    w, h = size
    rng = np.random.default_rng(0)
    background = cv2.GaussianBlur(rng.integers(60, 200, (h, w, 3), dtype=np.uint8), (0, 0), 9)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    n = round(seconds * fps)
    for i in range(n):
        frame = background.copy()
        cx = int(w * (0.1 + 0.8 * i / max(n - 1, 1)))
        cv2.circle(frame, (cx, h // 2), h // 8, (40, 90, 220), -1)
        writer.write(frame)
    writer.release()
    return path
