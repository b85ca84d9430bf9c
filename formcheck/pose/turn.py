"""Look at a lying or folded body the way the model sees people best: turned upright.

BlazePose's person detector was trained mostly on upright people. A body lying along the floor,
or folded head-down over the legs with the face hidden, is often not found at all in an upright
frame (on the yoga fold photos: nobody in 9 of 104 at 0°; turned by 90° or 270°, a body in 4 of
those). When nobody is found, `Turn` tries the frame turned a quarter each way (an IMAGE-mode
look, at most once per `search_every_s`), keeps the turn whose skeleton is the most plausible,
and feeds the tracker turned frames while the person stays found; landmarks come back in the
upright frame's coordinates, world landmarks in the upright camera's axes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck import skeleton as sk


@dataclass(frozen=True, slots=True)
class TurnConfig:
    search_every_s: float = 1.0  # while nobody is seen, try the turned frames this often
    lost_s: float = 1.0  # back to upright after this long without a person in the turned frames
    # A turned look counts only with the core joints this sure on average (the model's presence):
    # a phantom in a turned room scores far lower than a body.
    min_presence: float = 0.6


def turned(rgb: np.ndarray, k: int) -> np.ndarray:
    """The frame turned by k quarter turns counter-clockwise (k = 1 or 3), contiguous for the model."""
    return np.ascontiguousarray(np.rot90(rgb, k))


def upright(img: np.ndarray, world: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Landmarks found in a frame turned by `k` quarter turns, back in the upright frame.

    `np.rot90(a, 1)` puts upright pixel (x, y) at (y, 1 - x) in normalised coordinates, so a
    point (x', y') found there is (1 - y', x') upright; `k = 3` is the inverse turn. World axes
    (x right, y down, z away) turn the same way about z."""
    img, world = img.copy(), world.copy()
    x, y = img[:, 0].copy(), img[:, 1].copy()
    wx, wy = world[:, 0].copy(), world[:, 1].copy()
    if k == 1:
        img[:, 0], img[:, 1] = 1.0 - y, x
        world[:, 0], world[:, 1] = -wy, wx
    elif k == 3:
        img[:, 0], img[:, 1] = y, 1.0 - x
        world[:, 0], world[:, 1] = wy, -wx
    else:
        raise ValueError(f"a quarter turn is 1 or 3, not {k}")
    return img, world


def presence(img: np.ndarray) -> float:
    """How sure the model is of the joints the stretches need (mean presence x visibility)."""
    core = img[list(sk.CORE)]
    return float(np.mean(core[:, 4] * np.clip(core[:, 3], 0.0, 1.0)))


class Turn:
    """Which way to feed the tracker: 0 upright, or the quarter turn that found the person."""

    def __init__(self, config: TurnConfig | None = None, enabled: bool = True) -> None:
        self.config = config or TurnConfig()
        self.enabled = enabled
        self.k = 0
        self._last_seen: float | None = None
        self._last_search: float | None = None
        self.searches = 0  # turned looks taken, for the cost count

    def should_search(self, t_s: float) -> bool:
        """Nobody found upright: time to try the turned frames?"""
        if self.k != 0 or not self.enabled:
            return False
        if self._last_search is not None and t_s - self._last_search < self.config.search_every_s:
            return False
        self._last_search = t_s
        self.searches += 1
        return True

    def update(self, t_s: float, found: bool) -> None:
        """After each frame: give a turn up once the person has been lost in it for a while."""
        if found:
            self._last_seen = t_s
        elif self.k != 0 and (self._last_seen is None or t_s - self._last_seen > self.config.lost_s):
            self.k = 0

    def take(self, t_s: float, k: int) -> None:
        self.k, self._last_seen = k, t_s
