"""Has anything changed outside the tracked person? Lets the check for other people skip pictures
where nobody could have come or gone.

Counting people costs up to three detector runs a second (pose/landmarker.py); in a stretching
session the room around the user is static for minutes. Someone walking in, leaving or moving
changes the picture outside the user's box: a 64-pixel-wide grey copy of the frame, each cell the
mean of ~300 pixels (so sensor noise and compression shimmer average out to well under a grey
level), is compared cell by cell with the copy made at the last count, the user's box (at either
time, grown) left out.
"""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.geometry import grown_box

WIDTH = 64  # cells across
CHANGE = 10.0  # grey levels a cell's mean must change by: a person entering changes it by tens
GROW = 0.25  # the user's box grows by this share of its larger side (a reaching hand)


def scene(rgb: np.ndarray) -> np.ndarray:
    """The frame as a WIDTH-cell grey copy (area means)."""
    h, w = rgb.shape[:2]
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return cv2.resize(grey, (WIDTH, max(1, round(WIDTH * h / w))), interpolation=cv2.INTER_AREA).astype(np.float32)


def _mask(shape: tuple[int, ...], landmarks: np.ndarray | None) -> np.ndarray:
    """True on the cells outside the person's grown box (all of them if there is nobody)."""
    keep = np.ones(shape[:2], bool)
    box = grown_box(landmarks, GROW)
    if box is None:
        return keep
    x0, y0, x1, y1 = box
    h, w = shape[:2]
    keep[int(y0 * h) : int(np.ceil(y1 * h)), int(x0 * w) : int(np.ceil(x1 * w))] = False
    return keep


def unchanged(
    before: np.ndarray, after: np.ndarray, person_before: np.ndarray | None, person_after: np.ndarray | None
) -> bool:
    """Is every cell outside the person's box (at both times) within CHANGE grey levels?"""
    if before.shape != after.shape:
        return False
    keep = _mask(before.shape, person_before) & _mask(after.shape, person_after)
    return bool(keep.any()) and float(np.abs(after - before)[keep].max()) <= CHANGE
