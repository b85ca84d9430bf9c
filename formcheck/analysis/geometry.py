"""Angles with atan2, so there are no 0/360 jumps and no arccos blow-ups near 0 and 180 degrees."""

from __future__ import annotations

import numpy as np


def angle_at(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Angle ABC in degrees, in [0, 180], for 2-D or 3-D points."""
    u, v = a - b, c - b
    cross = abs(float(u[0] * v[1] - u[1] * v[0])) if u.shape[-1] == 2 else float(np.linalg.norm(np.cross(u, v)))
    return float(np.degrees(np.arctan2(cross, float(np.dot(u, v)))))


def flexion(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Joint flexion: 0 when A-B-C is a straight line, growing as the joint folds."""
    return 180.0 - angle_at(a, b, c)


def inclination_from_up(v: np.ndarray) -> float:
    """Angle of image vector v from straight up, degrees in [0, 180] (image y points down)."""
    return float(np.degrees(np.arctan2(abs(float(v[0])), -float(v[1]))))
