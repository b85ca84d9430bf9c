"""Look closer when the person is small: a region of interest for the model, in frame pixels.

BlazePose's person detector sees the whole frame shrunk to 224x224, so a person a third of the
frame's height (a phone on the floor across the room) is often not found at all, and when found
their landmarks are coarse. `Zoom` keeps a square crop around the person for the landmarker:
found by a tiled search while nobody is seen, then moved only when the person nears its edge (the
VIDEO-mode tracker needs a steady input), and given up when the person fills the frame anyway or
has been lost for a while.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.geometry import body_size_px


@dataclass(frozen=True, slots=True)
class Roi:
    x0: int
    y0: int
    x1: int
    y1: int

    def crop(self, img: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(img[self.y0 : self.y1, self.x0 : self.x1])

    def to_frame(self, lm: np.ndarray, width: int, height: int) -> np.ndarray:
        """Landmarks normalised to the crop -> normalised to the whole frame."""
        out = lm.copy()
        cw, ch = self.x1 - self.x0, self.y1 - self.y0
        out[:, 0] = (lm[:, 0] * cw + self.x0) / width
        out[:, 1] = (lm[:, 1] * ch + self.y0) / height
        out[:, 2] = lm[:, 2] * cw / width  # MediaPipe's z has the scale of x
        return out


@dataclass(frozen=True, slots=True)
class ZoomConfig:
    # Zoom in when the person (their box or body chain, whichever is larger) is under this fraction
    # of the frame's shorter side, and give up only past `large` (hysteresis: the crop changes the
    # model's estimate of the size).
    small: float = 0.35
    large: float = 0.6
    margin: float = 0.5  # crop = the person's bounding square grown by this on every side
    recentre: float = 0.12  # move the crop once the person comes this close (fraction of it) to its edge
    lost_s: float = 1.0  # give the crop up after this long without a person in it
    search_every_s: float = 1.0  # while nobody is seen, look for a small person this often


def tiles(width: int, height: int) -> list[Roi]:
    """Four overlapping tiles of 2/3 of the frame each: a person a third of the frame high fills half a tile."""
    tw, th = round(width * 2 / 3), round(height * 2 / 3)
    return [Roi(x, y, x + tw, y + th) for y in (0, height - th) for x in (0, width - tw)]


class Zoom:
    def __init__(self, width: int, height: int, config: ZoomConfig | None = None) -> None:
        self.config = config or ZoomConfig()
        self.width, self.height = width, height
        self.roi: Roi | None = None
        self._last_seen: float | None = None
        self._last_search: float | None = None

    def _square(self, lm: np.ndarray) -> tuple[float, float, float]:
        """Centre of the person's bounding box and their size: the larger of the box and the body
        chain (shoulder-hip-knee-ankle), so folding up does not make a person look small."""
        px = lm[:, :2] * np.array([self.width, self.height])
        lo, hi = px.min(axis=0), px.max(axis=0)
        side = max(float((hi - lo).max()), body_size_px(px))
        return float(lo[0] + hi[0]) / 2, float(lo[1] + hi[1]) / 2, side

    def _roi_around(self, lm: np.ndarray) -> Roi | None:
        cx, cy, side = self._square(lm)
        side = side * (1 + 2 * self.config.margin)
        if side >= min(self.width, self.height):
            return None  # the crop would be the whole frame's height anyway: no zoom
        half = side / 2
        x0 = int(np.clip(cx - half, 0, self.width - side))
        y0 = int(np.clip(cy - half, 0, self.height - side))
        return Roi(x0, y0, x0 + round(side), y0 + round(side))

    def should_search(self, t_s: float) -> bool:
        """Nobody tracked: time for a tiled search?"""
        if self.roi is not None or (self._last_seen is not None and t_s - self._last_seen < self.config.lost_s):
            return False
        if self._last_search is not None and t_s - self._last_search < self.config.search_every_s:
            return False
        self._last_search = t_s
        return True

    def found(self, lm: np.ndarray) -> None:
        """A tiled search found someone small: look at them from now on."""
        self.roi = self._roi_around(lm)

    def update(self, t_s: float, lm: np.ndarray | None) -> None:
        """After each frame: `lm` are the tracked landmarks in whole-frame coordinates, or None.

        The crop stays where it is while the person is well inside it (the tracker needs a steady
        input); it is re-centred when they near its edge and given up when they grow large."""
        c = self.config
        if lm is None:
            if self.roi is not None and self._last_seen is not None and t_s - self._last_seen > c.lost_s:
                self.roi = None
            return
        self._last_seen = t_s
        cx, cy, side = self._square(lm)
        short = min(self.width, self.height)
        if self.roi is None:
            if side < c.small * short:
                self.roi = self._roi_around(lm)
            return
        if side > c.large * short:
            self.roi = None
            return
        r, pad = self.roi, c.recentre * side
        inside = r.x0 <= cx - side / 2 - pad and cx + side / 2 + pad <= r.x1
        inside = inside and r.y0 <= cy - side / 2 - pad and cy + side / 2 + pad <= r.y1
        if not inside:
            self.roi = self._roi_around(lm)
