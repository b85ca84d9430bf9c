"""A hold's numbers from the model's own looks: the same whatever the sampling mode.

The hold's timing is decided on smoothed, windowed features (`window.py`), but its numbers -
hip flexion, reach, knee-to-chest distance - are what a physiotherapist compares week to week, so
they must not depend on how the video was sampled. Smoothing does: a One Euro filter fed every
frame and one fed a look every 0.3 s settle on different values, and a frame-weighted median
over adaptive sampling counts the looks taken during a fidget many times over. So each number is
the time-weighted median, over the hold proper (entry and release trimmed), of what the model
saw on the frames it actually saw - each look standing for the time until the next one - read
off the raw landmarks (label swaps undone). Every frame at 30 fps, a look every 0.3 s, a live
camera dropping frames and a saved track re-analysed then estimate the same statistic of the
same body, and agree to within the model's jitter.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from formcheck import skeleton as sk
from formcheck.analysis.config import AnalysisConfig
from formcheck.analysis.features import Features
from formcheck.analysis.stretches import Match, measured


@dataclass(frozen=True, slots=True)
class HoldNumbers:
    hip_flexion_deg: float | None
    cm: float | None  # reach (forward bend) or knee-to-chest distance
    camera_side: str | None = None  # the person's side nearer the camera over most of the hold


_LEFT = [sk.LEFT_SHOULDER, sk.LEFT_HIP, sk.LEFT_KNEE, sk.LEFT_ANKLE]
_RIGHT = [sk.RIGHT_SHOULDER, sk.RIGHT_HIP, sk.RIGHT_KNEE, sk.RIGHT_ANKLE]


def near_side(landmarks: np.ndarray) -> str:
    """The person's side nearer the camera: the one whose trunk and leg the model places in front
    (its image z: depth from the hips, smaller is nearer). Filmed from the other side, the model's
    numbers for the same hold shift by up to 14 cm and 12 degrees (bench/validity.py)."""
    z = landmarks[:, 2]
    return "left" if float(z[_LEFT].sum()) < float(z[_RIGHT].sum()) else "right"


class Looks:
    """Stateful stage: `add(features)` for each look the model took at a person; `numbers(...)`
    when a hold ends. Keeps the looks of the last `keep_s` seconds before the running hold."""

    def __init__(self, max_stand_s: float = 1.0, keep_s: float = 5.0) -> None:
        self.max_stand_s = max_stand_s  # a look stands for no more than this (a lost person is no look)
        self.keep_s = keep_s
        self._looks: deque[tuple[Features, str]] = deque()  # each look, and the side nearer the camera

    def add(self, f: Features, near_side: str) -> None:
        if self._looks and f.t_s <= self._looks[-1][0].t_s:
            self._looks.clear()  # time went backwards: a new source
        self._looks.append((f, near_side))

    def forget_before(self, t_s: float) -> None:
        """Nothing before `t_s` can belong to a hold any more (none is running or deciding)."""
        while self._looks and self._looks[0][0].t_s < t_s - self.keep_s:
            self._looks.popleft()

    def _median_over_time(self, ts: np.ndarray, xs: np.ndarray, end_s: float) -> float:
        """The median over time of the body's number, read as the straight line between looks (a
        body moves continuously: a look stands for the way to the next, not a step), on a 30 Hz
        grid; a look further than `max_stand_s` from the next stands for that long only."""
        if len(xs) == 1:
            return float(xs[0])
        grid = np.arange(float(ts[0]), max(float(ts[-1]), end_s), 1 / 30)
        k = np.clip(np.searchsorted(ts, grid, side="right") - 1, 0, len(ts) - 1)
        near = grid - ts[k] <= self.max_stand_s  # a long gap (the person lost) is no evidence
        return float(np.median(np.interp(grid[near], ts, xs)))

    def numbers(self, match: Match, start_s: float, end_s: float, cfg: AnalysisConfig) -> HoldNumbers:
        """The hold's numbers over [start_s, end_s] (`match`: its stretch, side and variant)."""
        picked = [(f, n) for f, n in self._looks if start_s <= f.t_s <= end_s]
        if not picked:
            return HoldNumbers(None, None)
        ts = np.array([f.t_s for f, _ in picked])
        reads = [measured(match, f, cfg) for f, _ in picked]
        depth = self._median_over_time(ts, np.array([m.depth_deg for m in reads]), end_s)
        ok = [i for i, m in enumerate(reads) if m.measure_cm is not None and math.isfinite(m.measure_cm)]
        cms = np.array([reads[i].measure_cm for i in ok], float)
        cm = None if not ok else round(self._median_over_time(ts[ok], cms, end_s), 1)
        # the side toward the camera for most of the hold: the same statistic of "left is nearer"
        left = self._median_over_time(ts, np.array([n == "left" for _, n in picked], float), end_s)
        return HoldNumbers(round(depth, 1), cm, camera_side="left" if left > 0.5 else "right")
