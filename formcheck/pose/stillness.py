"""Is anything moving? A grey thumbnail of the person's box, differenced against the last frame the
pose model saw: far cheaper than the model (well under a millisecond a frame), so adaptive
sampling can ask it on every grid frame and call the model only when the pixels move.

The difference is the mean absolute grey-level change of the 1 % of a `side` x `side` thumbnail's
pixels that changed most (area averaging shrinks sensor noise by the square root of the pixels
averaged; the top 1 % keep a moving forearm from being diluted by the still rest). Compared with the
reference (the last look), not the previous frame: a slow drift adds up until it crosses the
threshold. The noise floor is measured on the video itself, from consecutive still frames, and
the threshold sits `noise_k` times above it (within `min_diff` and `max_diff`), so a dim, grainy
clip does not read as motion and a clean one is not blind to a slow hand.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.geometry import grown_box

Box = tuple[int, int, int, int]  # rows r0:r1, columns c0:c1 of the decoded frame


@dataclass(frozen=True, slots=True)
class StillnessConfig:
    side: int = 48  # thumbnail side, pixels: a forearm across a body's box still covers tens of them
    margin: float = 0.25  # the box grows by this share of its larger side: a reaching hand stays inside
    # Thresholds, in grey levels (mean of the top 1 % absolute differences). On a textured room
    # with sensor noise (sigma 4, or 7 at a third of the light) and JPEG compression, consecutive
    # still frames measure 2.2-3.4; a forearm moved by 10, 20, 30 px in a 640x360 frame 7.0, 8.7,
    # 10.0 (tests/pose/test_stillness.py). The threshold is `noise_k` times the measured floor,
    # within [min_diff, max_diff]: the floor is measured on frames judged still, so a body's own
    # micro-motion (breathing, a generated clip's shimmer) must not raise it until a slow entry
    # goes unseen. A noisier camera only costs more looks.
    min_diff: float = 4.0
    noise_k: float = 2.5
    max_diff: float = 10.0
    # A real body is never as still as the camera's noise: sway, breathing and hair change the top
    # 1 % of a held fold's thumbnail past 10 grey levels within a few frames (forward_fold_standing:
    # 237 of 378 checks woke the model, and not one of those looks found the pose changed; on the
    # 3-minute sessions of bench/realtime.py, 97 % of wakes were such false alarms, at 40-50 grey
    # levels, the same as the wakes that found a change). Each look the pixels woke that finds no
    # change (a false alarm) raises the threshold to `learn` times the difference that woke it (and
    # at least by `learn`), up to `max_learnt`; each look that finds the pose changed lowers it back
    # to the camera's own, and so does each quiet periodic look by `1 / learn`. A change the pixels
    # then miss is still found by the periodic look, and the sampler looks back over the frames
    # before it (pose/adaptive.py): the pixels only make it sooner.
    learn: float = 1.25
    max_learnt: float = 100.0
    floor_frames: int = 60  # the noise floor is the median of this many recent still differences


def person_box(landmarks: np.ndarray | None, width: int, height: int, margin: float) -> Box:
    """The landmarks' box grown by `margin`, in pixels of a width x height frame; the whole frame
    without landmarks."""
    box = grown_box(landmarks, margin)
    if box is None:
        return 0, height, 0, width
    x0, y0, x1, y1 = box
    c0, c1 = int(x0 * width), int(x1 * width)
    r0, r1 = int(y0 * height), int(y1 * height)
    if c1 - c0 < 4 or r1 - r0 < 4:
        return 0, height, 0, width
    return r0, r1, c0, c1


def thumbnail(img: np.ndarray, box: Box, side: int) -> np.ndarray:
    """The box of a BGR or grey picture (a frame's preview) as a side x side grey thumbnail."""
    r0, r1, c0, c1 = box
    small = cv2.resize(img[r0:r1, c0:c1], (side, side), interpolation=cv2.INTER_AREA)
    return (cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small).astype(np.float32)


def difference(a: np.ndarray, b: np.ndarray) -> float:
    d = np.abs(a - b).ravel()
    k = max(1, d.size // 100)
    return float(np.partition(d, d.size - k)[-k:].mean())


class Stillness:
    """Stateful: `reference(picture, landmarks)` at each look; `moved(picture)` on the frames between
    (pictures: BGR frames, or their grey previews, `sources.frame.preview`)."""

    def __init__(self, config: StillnessConfig | None = None) -> None:
        self.config = config or StillnessConfig()
        self._box: Box | None = None
        # The last look's frame and landmarks: its thumbnail is made only if a still stretch follows
        # (while the body moves, the model looks at every grid frame and no reference is needed).
        self._look: tuple[np.ndarray, np.ndarray | None] | None = None
        self._ref: np.ndarray | None = None
        self._prev: np.ndarray | None = None
        self._still: deque[float] = deque(maxlen=self.config.floor_frames)
        self.floors: list[float] = []  # the noise floor each time it was used (for the report)
        self.learnt = 0.0  # a threshold learnt from false alarms (`judged`), grey levels
        self.last_diff = 0.0

    @property
    def floor(self) -> float:
        return float(np.median(self._still)) if self._still else 0.0

    @property
    def threshold(self) -> float:
        return self._threshold(self.floor)

    def _threshold(self, floor: float) -> float:
        cfg = self.config
        return max(self.learnt, min(cfg.max_diff, max(cfg.min_diff, cfg.noise_k * floor)))

    def judged(self, woke: bool, changed: bool) -> None:
        """What the look after a still stretch found: learn the body's own sway (see `learn`)."""
        cfg = self.config
        if changed:
            self.learnt = 0.0
        elif woke:  # a false alarm: this body's sway reaches `last_diff`; sit above it
            self.learnt = min(cfg.max_learnt, max(self.learnt, self.last_diff) * cfg.learn)
        else:
            self.learnt /= cfg.learn

    def reference(self, bgr: np.ndarray, landmarks: np.ndarray | None) -> None:
        """The frame the model just saw: later frames are compared with it, in its person's box."""
        self._look = (bgr, landmarks)

    def moved(self, bgr: np.ndarray) -> bool:
        """Has the picture in the box changed since the reference, beyond the camera's noise?"""
        if self._look is not None:
            ref, landmarks = self._look
            h, w = ref.shape[:2]
            self._box = person_box(landmarks, w, h, self.config.margin)
            self._ref = self._prev = thumbnail(ref, self._box, self.config.side)
            self._look = None
        if self._ref is None or self._box is None:
            return True
        thumb = thumbnail(bgr, self._box, self.config.side)
        self.last_diff = difference(thumb, self._ref)
        floor = self.floor
        moved = self.last_diff > self._threshold(floor)
        if not moved and self._prev is not None:
            self._still.append(difference(thumb, self._prev))
            self.floors.append(self.floor)
        self._prev = thumb
        return moved
