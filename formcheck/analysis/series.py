"""Per-frame angle series kept for plots: six float32 numbers (24 bytes) a frame."""

from __future__ import annotations

import numpy as np

COLUMNS = ("t_s", "hip_left", "hip_right", "knee_left", "knee_right", "trunk")


class Series:
    def __init__(self, capacity: int = 1024) -> None:
        self._a = np.full((capacity, len(COLUMNS)), np.nan, np.float32)
        self.n = 0

    def append(self, row: tuple[float, ...]) -> None:
        if self.n == len(self._a):
            self._a = np.concatenate([self._a, np.full_like(self._a, np.nan)])
        self._a[self.n, : len(row)] = row
        self.n += 1

    def array(self) -> np.ndarray:
        return self._a[: self.n]

    def column(self, name: str) -> np.ndarray:
        return self._a[: self.n, COLUMNS.index(name)]

    @property
    def nbytes_per_frame(self) -> int:
        return int(self._a.itemsize * len(COLUMNS))
