"""Geometry of landmark arrays, below everything that measures bodies (the pose stages and the
analysis both). Angles use atan2, so there are no 0/360 jumps and no arccos blow-ups near 0 and 180
degrees."""

from __future__ import annotations

import itertools
import math

import numpy as np

from formcheck import skeleton as sk


def angle_at(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Angle ABC in degrees, in [0, 180], for 2-D or 3-D points (plain floats: ~10x faster than np.cross)."""
    u0, u1, v0, v1 = float(a[0] - b[0]), float(a[1] - b[1]), float(c[0] - b[0]), float(c[1] - b[1])
    if len(a) == 2:
        cross = abs(u0 * v1 - u1 * v0)
        dot = u0 * v0 + u1 * v1
    else:
        u2, v2 = float(a[2] - b[2]), float(c[2] - b[2])
        cross = math.sqrt((u1 * v2 - u2 * v1) ** 2 + (u2 * v0 - u0 * v2) ** 2 + (u0 * v1 - u1 * v0) ** 2)
        dot = u0 * v0 + u1 * v1 + u2 * v2
    return math.degrees(math.atan2(cross, dot))


def flexion(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Joint flexion: 0 when A-B-C is a straight line, growing as the joint folds."""
    return 180.0 - angle_at(a, b, c)


def inclination_from_up(v: np.ndarray) -> float:
    """Angle of image vector v from straight up, degrees in [0, 180] (image y points down)."""
    return float(np.degrees(np.arctan2(abs(float(v[0])), -float(v[1]))))


def body_size_px(px: np.ndarray) -> float:
    """Length of the longer side's shoulder-hip-knee-ankle chain in pixels.

    Sums of segments change little when a person folds or lies down, unlike a bounding box.
    """
    return _longest_chain(px, 0)


def leg_length_px(px: np.ndarray) -> float:
    """The longer leg, hip-knee-ankle: unchanged by a fold, where the trunk's angle is not."""
    return _longest_chain(px, 1)


def _longest_chain(px: np.ndarray, first: int) -> float:
    best = 0.0
    for chain in sk.SIDE_CHAIN.values():
        joints = chain[first:]
        best = max(best, sum(math.dist(px[a], px[b]) for a, b in itertools.pairwise(joints)))
    return best


def grown_box(landmarks: np.ndarray | None, margin: float) -> tuple[float, float, float, float] | None:
    """The landmarks' box in normalised image coordinates, grown on every side by `margin` times
    its larger side (at least 0.05) and clipped to the image: (x0, y0, x1, y1), or None without
    finite landmarks. A reaching hand stays inside the box it was grown from."""
    if landmarks is None:
        return None
    xy = landmarks[:, :2]
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) == 0:
        return None
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    grow = margin * max(x1 - x0, y1 - y0, 0.05)
    return max(0.0, x0 - grow), max(0.0, y0 - grow), min(1.0, x1 + grow), min(1.0, y1 + grow)
