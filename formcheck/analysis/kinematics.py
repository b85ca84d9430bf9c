"""Rates of change against real timestamps, robust to uneven frame spacing and tracking gaps."""

from __future__ import annotations

from collections import deque


class RateEstimator:
    """d(value)/dt over a short trailing window of real time (not frame counts).

    A window (default 0.2 s) rather than frame-to-frame differences keeps the estimate stable at
    60 fps and at 15 fps alike; after a gap longer than `max_gap_s` the history is dropped so a
    jump across the gap never reads as a fast movement.
    """

    def __init__(self, window_s: float = 0.2, max_gap_s: float = 0.5) -> None:
        self.window_s = window_s
        self.max_gap_s = max_gap_s
        self._hist: deque[tuple[float, float]] = deque()

    def reset(self) -> None:
        self._hist.clear()

    def update(self, t_s: float, value: float) -> float | None:
        """Add a sample; returns the rate in units per second, or None until the window has span."""
        h = self._hist
        if h and (t_s - h[-1][0] > self.max_gap_s or t_s <= h[-1][0]):
            h.clear()
        h.append((t_s, value))
        while len(h) > 2 and t_s - h[1][0] >= self.window_s:
            h.popleft()
        t0, v0 = h[0]
        if t_s - t0 < self.window_s * 0.5:
            return None
        return (value - v0) / (t_s - t0)
