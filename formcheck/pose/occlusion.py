"""Carry a covered joint briefly instead of trusting the model's guess for it.

In these stretches the hands cover the feet and one leg hides the other. The model still returns
every landmark, but where a joint is covered its guess wanders (low visibility, jumps of a few
centimetres a frame). For a short occlusion the joint's last well-seen position *relative to the
hips* is the better estimate; after `carry_s` the body may really have moved and the model's guess
is taken again. Each landmark is judged by its own visibility, so a covered ankle never costs the
frame (see `quality.py`) nor the other joints.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from formcheck import skeleton as sk
from formcheck.types import PoseFrame


@dataclass(frozen=True, slots=True)
class OcclusionConfig:
    # Below this visibility a joint counts as covered: the quality gate's own per-joint bar.
    min_visibility: float = 0.5
    # Only a joint that was clearly seen can be carried: the far side of a side view flickers
    # around 0.3-0.6 and is never "clearly seen", so it is left to the model (carrying it while the
    # body moves would make it lag).
    seen_visibility: float = 0.8
    # Carry for at most this long: hands passing over the feet take well under a second, and a
    # limb hidden for longer (the far side in a side view) is better left to the model.
    carry_s: float = 0.5


def _mid_hip(a: np.ndarray) -> np.ndarray:
    return (a[sk.LEFT_HIP, :2] + a[sk.RIGHT_HIP, :2]) / 2


class OcclusionCarry:
    """Stateful stage: `update(frame)` -> the frame with briefly covered joints carried."""

    def __init__(self, config: OcclusionConfig | None = None) -> None:
        self.config = config or OcclusionConfig()
        n = sk.NUM_LANDMARKS
        self._img = np.zeros((n, 2))  # last well-seen position, relative to the mid-hip (image)
        self._world = np.zeros((n, 3))  # ... and in world coordinates (already hip-centred)
        self._seen_t = np.full(n, -np.inf)
        self.carried = 0  # joint-frames carried, for diagnostics

    def reset(self) -> None:
        self._seen_t[:] = -np.inf

    def update(self, frame: PoseFrame) -> PoseFrame:
        lm, world = frame.landmarks, frame.world
        if lm is None or world is None:
            return frame
        cfg, t = self.config, frame.t_s
        seen = lm[:, 3] >= cfg.seen_visibility
        hip = _mid_hip(lm)
        self._img[seen] = lm[seen, :2] - hip
        self._world[seen] = world[seen]
        self._seen_t[seen] = t
        covered = lm[:, 3] < cfg.min_visibility
        carry = covered & (t - self._seen_t <= cfg.carry_s) & (t >= self._seen_t)
        if not carry.any():
            return frame
        lm, world = lm.copy(), world.copy()
        lm[carry, :2] = self._img[carry] + hip
        world[carry] = self._world[carry]
        self.carried += int(carry.sum())
        return replace(frame, landmarks=lm, world=world)
