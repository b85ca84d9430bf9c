"""Undo the model's left/right label swaps before anything averages them.

On a body seen from the side, lying down or folded, the model often calls the left leg right and
the right leg left for a few frames, then swaps back (on the shared knee-hug photos recorded as
video: up to a third of the frames, in bursts of a few). Smoothing such a stream blends the two
legs into one that is half-pulled, so both legs read as pulled in, the hold turns into a "double"
hug or ends, and the hip angle seems to swing (a bounce nobody made). A swap is a jump no body
makes: both knees and both feet exchanging places within one frame. So each frame's legs (and,
separately, arms) are compared with the last accepted frame's, and when the crossed assignment
is much closer, the frame's labels are swapped back, in the image and in the world landmarks.

Which labelling is anatomically right is the model's to say, not this stage's: when the model
keeps the other labelling for most of `adopt_s`, that becomes the reference (so a session does
not stay locked to its first frames' reading).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

import numpy as np

from formcheck import skeleton as sk
from formcheck.types import PoseFrame

# (left, right) index pairs swapped together, and the joints whose positions decide (hips and
# shoulders overlap in a side view: they follow their limbs but cannot tell a swap)
LEGS = ((23, 24), (25, 26), (27, 28), (29, 30), (31, 32))
LEG_CUES = ((25, 26), (27, 28), (29, 30), (31, 32))
ARMS = ((11, 12), (13, 14), (15, 16), (17, 18), (19, 20), (21, 22))
ARM_CUES = ((13, 14), (15, 16))


@dataclass(frozen=True, slots=True)
class SwapConfig:
    # Swap back when the crossed assignment is under this share of the direct one's distance ...
    ratio: float = 0.5
    # ... and closer by more than this share of the torso (the legs of a standing body overlap in
    # a side view: a few pixels of jitter must not swap them)
    min_gain: float = 0.15
    adopt_s: float = 2.0  # the model's other labelling, kept for most of this long, becomes the reference
    max_gap_s: float = 1.0  # a longer gap in tracking starts afresh


def _swap(a: np.ndarray, pairs: tuple[tuple[int, int], ...]) -> np.ndarray:
    out = a.copy()
    for i, j in pairs:
        out[[i, j]] = a[[j, i]]
    return out


class SwapFix:
    """Stateful stage: `update(frame)` -> the frame with swapped limb labels swapped back."""

    def __init__(self, width: int, height: int, config: SwapConfig | None = None) -> None:
        self.config = config or SwapConfig()
        self._scale = np.array([width, height], np.float64)
        self._ref: np.ndarray | None = None  # last accepted image positions (pixels)
        self._t = -np.inf
        self._history: dict[str, deque[tuple[float, bool]]] = {"legs": deque(), "arms": deque()}
        self.swapped = 0  # limb groups swapped back, for diagnostics

    def update(self, frame: PoseFrame) -> PoseFrame:
        lm, world = frame.landmarks, frame.world
        if lm is None or world is None:
            return frame
        px = lm[:, :2].astype(np.float64) * self._scale
        if self._ref is None or not 0 < frame.t_s - self._t <= self.config.max_gap_s:
            for h in self._history.values():
                h.clear()
            self._ref, self._t = px, frame.t_s
            return frame
        torso = float(
            np.linalg.norm((px[sk.LEFT_SHOULDER] + px[sk.RIGHT_SHOULDER] - px[sk.LEFT_HIP] - px[sk.RIGHT_HIP]) / 2)
        )
        for name, pairs, cues in (("legs", LEGS, LEG_CUES), ("arms", ARMS, ARM_CUES)):
            crossed = self._crossed(px, cues, torso)
            if not self._adopt(name, frame.t_s, crossed) and crossed:
                lm, world, px = _swap(lm, pairs), _swap(world, pairs), _swap(px, pairs)
                self.swapped += 1
        self._ref, self._t = px, frame.t_s
        return frame if lm is frame.landmarks else replace(frame, landmarks=lm, world=world)

    def _crossed(self, px: np.ndarray, cues: tuple[tuple[int, int], ...], torso: float) -> bool:
        assert self._ref is not None
        left, right = [i for i, _ in cues], [j for _, j in cues]
        ref = self._ref
        now = px[left + right]
        direct = float(np.hypot(*(now - ref[left + right]).T).sum())
        crossed = float(np.hypot(*(now - ref[right + left]).T).sum())
        gain = (direct - crossed) / len(cues)
        return bool(crossed < self.config.ratio * direct and gain > self.config.min_gain * max(torso, 1.0))

    def _adopt(self, name: str, t: float, crossed: bool) -> bool:
        """Record whether this frame disagrees with the running labelling; True when it does and
        the model has disagreed on most frames of the last `adopt_s`: its labelling is taken."""
        h = self._history[name]
        h.append((t, crossed))
        while h and t - h[0][0] > self.config.adopt_s:
            h.popleft()
        if not crossed or t - h[0][0] < self.config.adopt_s / 2:
            return False
        if sum(c for _, c in h) > len(h) / 2:
            h.clear()
            return True
        return False
