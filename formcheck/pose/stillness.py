"""Is anything moving? A grey thumbnail of the person's box, differenced against the last frame the
pose model saw: far cheaper than the model (well under a millisecond a frame), so adaptive
sampling can ask it on every grid frame and call the model only when the pixels move.

The difference is the mean absolute grey-level change of the 5 % of a `side` x `side` thumbnail's
pixels that changed most (area averaging shrinks sensor noise by the square root of the pixels
averaged; the top 5 % keep a moving forearm from being diluted by the still rest). Compared with the
reference (the last look), not the previous frame: a slow drift adds up until it crosses the
threshold. The noise floor is measured on the video itself, from consecutive still frames, and
the threshold sits `noise_k` times above it (never below `min_diff`), so a dim, grainy clip does
not read as motion and a clean one is not blind to a slow hand.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # rows r0:r1, columns c0:c1 of the decoded frame


@dataclass(frozen=True, slots=True)
class StillnessConfig:
    side: int = 32  # thumbnail side, pixels: 1024 values, a limb still covers tens of them
    margin: float = 0.25  # the box grows by this share of its larger side: a reaching hand stays inside
    # Thresholds, in grey levels (mean of the top 5 % absolute differences). Measured on generated
    # phone sessions (H.264, 30 fps; dim, noisy and small-in-frame views): consecutive frames of a
    # still body 1.1-1.4 median, 3.7-4.7 at the 90th percentile; a moving body 12-62 (10th
    # percentile-median) and it adds up against the reference. Past 3-6 grey levels, the pose had
    # changed between the reference and a frame judged still by at most 2-6 deg of hip or knee
    # angle (99th percentile: the model's own jitter on dim video is that large).
    min_diff: float = 4.0
    noise_k: float = 3.0
    floor_frames: int = 60  # the noise floor is the median of this many recent still differences


def person_box(landmarks: np.ndarray | None, width: int, height: int, margin: float) -> Box:
    """The landmarks' box grown by `margin`, in pixels of a width x height frame; the whole frame
    without landmarks."""
    if landmarks is None:
        return 0, height, 0, width
    xy = landmarks[:, :2]
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) == 0:
        return 0, height, 0, width
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    grow = margin * max(x1 - x0, y1 - y0, 0.05)
    c0, c1 = int(max(0.0, x0 - grow) * width), int(min(1.0, x1 + grow) * width)
    r0, r1 = int(max(0.0, y0 - grow) * height), int(min(1.0, y1 + grow) * height)
    if c1 - c0 < 4 or r1 - r0 < 4:
        return 0, height, 0, width
    return r0, r1, c0, c1


def thumbnail(bgr: np.ndarray, box: Box, side: int) -> np.ndarray:
    r0, r1, c0, c1 = box
    small = cv2.resize(bgr[r0:r1, c0:c1], (side, side), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).astype(np.float32)


def difference(a: np.ndarray, b: np.ndarray) -> float:
    d = np.abs(a - b).ravel()
    k = max(1, d.size // 20)
    return float(np.partition(d, d.size - k)[-k:].mean())


class Stillness:
    """Stateful: `reference(bgr, landmarks)` at each look; `moved(bgr)` on the frames between."""

    def __init__(self, config: StillnessConfig | None = None) -> None:
        self.config = config or StillnessConfig()
        self._box: Box | None = None
        self._ref: np.ndarray | None = None
        self._prev: np.ndarray | None = None
        self._still: deque[float] = deque(maxlen=self.config.floor_frames)
        self.floors: list[float] = []  # the noise floor each time it was used (for the report)
        self.last_diff = 0.0

    @property
    def floor(self) -> float:
        return float(np.median(self._still)) if self._still else 0.0

    @property
    def threshold(self) -> float:
        return max(self.config.min_diff, self.config.noise_k * self.floor)

    def reference(self, bgr: np.ndarray, landmarks: np.ndarray | None) -> None:
        """The frame the model just saw: later frames are compared with it, in its person's box."""
        h, w = bgr.shape[:2]
        self._box = person_box(landmarks, w, h, self.config.margin)
        self._ref = self._prev = thumbnail(bgr, self._box, self.config.side)

    def moved(self, bgr: np.ndarray) -> bool:
        """Has the picture in the box changed since the reference, beyond the camera's noise?"""
        if self._ref is None or self._box is None:
            return True
        thumb = thumbnail(bgr, self._box, self.config.side)
        self.last_diff = difference(thumb, self._ref)
        moved = self.last_diff > self.threshold
        if not moved and self._prev is not None:
            self._still.append(difference(thumb, self._prev))
            self.floors.append(self.floor)
        self._prev = thumb
        return moved
