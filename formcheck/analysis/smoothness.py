"""Movement smoothness of one movement, scale- and duration-free.

Log dimensionless jerk (LDLJ, Hogan & Sternad 2009; recommended by Balasubramanian et al. 2015
as a smoothness measure that is valid across movement speeds and amplitudes):

    LDLJ = -ln( (t2 - t1)^3 / v_peak^2 * integral |d^2 v / dt^2|^2 dt )

Higher (less negative) is smoother. A minimum-jerk movement scores about -6; the same movement
with a superimposed tremor or bounce scores far lower.
"""

from __future__ import annotations

import numpy as np

RESAMPLE_HZ = 60.0


def ldlj(t: np.ndarray, x: np.ndarray) -> float | None:
    """LDLJ of a 1-D position trace (e.g. hip angle) sampled at times t; None if too short or still."""
    t = np.asarray(t, float)
    x = np.asarray(x, float)
    if len(t) < 6 or t[-1] - t[0] < 0.2:
        return None
    grid = np.arange(t[0], t[-1], 1.0 / RESAMPLE_HZ)
    if len(grid) < 6:
        return None
    pos = np.interp(grid, t, x)
    kernel = np.exp(-0.5 * (np.arange(-3, 4) / 1.5) ** 2)  # ~25 ms Gaussian: tames landmark jitter
    pos = np.convolve(np.pad(pos, 3, mode="edge"), kernel / kernel.sum(), mode="valid")
    dt = 1.0 / RESAMPLE_HZ
    v = np.gradient(pos, dt)
    jerk = np.gradient(np.gradient(v, dt), dt)
    v_peak = float(np.max(np.abs(v)))
    if v_peak < 1e-6:
        return None
    duration = grid[-1] - grid[0]
    dimensionless = duration**3 / v_peak**2 * float(np.sum(jerk**2) * dt)
    return float(-np.log(max(dimensionless, 1e-12)))
