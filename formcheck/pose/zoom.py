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
    # Zoom in when the person's bounding square is under this fraction of the frame's shorter side,
    # and give up only past `large` (hysteresis: the crop changes the model's estimate of the size).
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
        xs, ys = lm[:, 0] * self.width, lm[:, 1] * self.height
        cx, cy = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
        side = max(xs.max() - xs.min(), ys.max() - ys.min())
        return float(cx), float(cy), float(side)

    def _roi_around(self, lm: np.ndarray) -> Roi | None:
        cx, cy, side = self._square(lm)
        if side > self.config.large * min(self.width, self.height):
            return None  # big enough in the whole frame
        side = min(side * (1 + 2 * self.config.margin), min(self.width, self.height))
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
        """After each frame: `lm` are the tracked landmarks in whole-frame coordinates, or None."""
        c = self.config
        if lm is None:
            if self.roi is not None and self._last_seen is not None and t_s - self._last_seen > c.lost_s:
                self.roi = None
            return
        self._last_seen = t_s
        cx, cy, side = self._square(lm)
        if self.roi is None:
            if side < c.small * min(self.width, self.height):
                self.roi = self._roi_around(lm)
            return
        r, pad = self.roi, c.recentre * side
        inside = cx - side / 2 - pad >= r.x0 and cx + side / 2 + pad <= r.x1
        inside = inside and cy - side / 2 - pad >= r.y0 and cy + side / 2 + pad <= r.y1
        too_big = side * (1 + 2 * c.margin) > 1.25 * (r.x1 - r.x0)
        too_small = side * (1 + 2 * c.margin) < 0.6 * (r.x1 - r.x0)
        if not inside or too_big or too_small:
            self.roi = self._roi_around(lm)
