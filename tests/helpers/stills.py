"""A photo as a still video clip, the way a user would try formcheck on one picture."""

from __future__ import annotations

from pathlib import Path

import cv2


def still_clip(photo: Path, out: Path, seconds: float = 10.0, fps: float = 5.0) -> Path:
    """Encode `photo` as an MP4 of identical frames (compression makes them differ very slightly,
    as in any recording)."""
    img = cv2.imread(str(photo), cv2.IMREAD_COLOR)
    h, w = img.shape[:2]
    s = min(1.0, 960 / max(h, w))
    img = cv2.resize(img, (round(w * s) // 2 * 2, round(h * s) // 2 * 2), interpolation=cv2.INTER_AREA)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, img.shape[1::-1])
    for _ in range(round(seconds * fps)):
        writer.write(img)
    writer.release()
    return out
