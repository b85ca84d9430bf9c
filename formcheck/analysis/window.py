"""The body over the last second: what the rules decide a hold on, instead of one frame.

A real body held still sits near some threshold, and the model's jitter on it (±4° on a lying
body, a posture that reads lying on some frames and seated on others) flickers any check read
from one frame: the hold starts late, splits, or never starts while every frame "almost" matches.
`FeatureWindow` gives the rules the time-weighted median of every measured feature over the
last `window_s` (majority for yes/no properties, the most frequent posture), so a check passes
when the body has passed it for most of the last second. A trailing median describes the middle
of its window, so a hold decided on it is back-dated by the window's lag (`lag_s`).

Samples weigh by the time they stand for (the gap to the next one, capped), so the statistic is
the same whether every frame, one in ten (adaptive sampling) or a 5 fps camera was analysed.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import Any

import numpy as np

from formcheck.analysis.features import Features

SIDES = ("left", "right")
# The numeric features the rules and measures read, per side where they have one.
_SIDED = ("hip_flexion", "knee_flexion", "thigh_from_down", "hand_to_leg", "knee_chest_cm", "thigh_adduction",
          "feet_up", "shin_to_front")  # fmt: skip
_SCALAR = ("trunk_inclination", "trunk_lean", "reach", "chest_up", "side_bend", "leg_pitch", "body_size_px")
_FLAGS = ("trunk_leg_same_way", "hips_low", "leans_over_legs")
_COLS = [(name, s) for name in _SIDED for s in SIDES] + [(name, None) for name in _SCALAR + _FLAGS]
# the hips' columns: legs are stored more flexed first ("left"), less flexed second (`_row`)
_MORE, _LESS = _COLS.index(("hip_flexion", "left")), _COLS.index(("hip_flexion", "right"))


def _row(f: Features, flip: bool) -> np.ndarray:
    """The frame's features, its legs in a fixed order: the more flexed hip first (see `update`)."""
    order = {"left": "right", "right": "left"} if flip else {"left": "left", "right": "right"}
    return np.array([float(getattr(f, n)[order[s]]) if s else float(getattr(f, n)) for n, s in _COLS])


def weighted_medians(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Column-wise weighted median of `x` (n, k), every column with the same weights `w` (n,)."""
    order = np.argsort(x, axis=0)
    cum = np.cumsum(w[order], axis=0)
    idx = np.argmax(cum >= cum[-1] / 2.0, axis=0)
    return x[order[idx, np.arange(x.shape[1])], np.arange(x.shape[1])]


class FeatureWindow:
    """Stateful stage: `update(features)` -> the features the rules decide on (the last second's)."""

    def __init__(self, window_s: float = 1.0, max_weight_s: float = 0.25) -> None:
        self.window_s = window_s
        self.max_weight_s = max_weight_s  # a sample stands for at most this long (a gap is no evidence)
        self._t: deque[float] = deque()
        self._rows: deque[np.ndarray] = deque()
        self._postures: deque[str] = deque()
        self._views: deque[str] = deque()
        self._flips: deque[bool] = deque()
        self.posture_share: dict[str, float] = {}  # each posture's share of the window (for explaining)
        self.lag_s = 0.0  # how far back the window's middle lies: the time its statistic describes

    def reset(self) -> None:
        for d in (self._t, self._rows, self._postures, self._views, self._flips):
            d.clear()

    def update(self, f: Features) -> Features:
        t = f.t_s
        if self._t and t <= self._t[-1]:
            self.reset()  # time went backwards (a new source): nothing before it applies
        # The model swaps which leg it calls left on a still body (side views, a leg hugged across
        # the other), several times a second on some pictures: each frame's legs are stored
        # more-flexed first, and the labels the majority of the window gave that leg go back on.
        flip = f.hip_flexion["left"] < f.hip_flexion["right"]
        self._t.append(t)
        self._rows.append(_row(f, flip))
        self._postures.append(f.posture)
        self._views.append(f.view)
        self._flips.append(flip)
        while self._t and t - self._t[0] > self.window_s:
            for d in (self._t, self._rows, self._postures, self._views, self._flips):
                d.popleft()
        ts = np.fromiter(self._t, float, len(self._t))
        # each sample stands for the time to the next one (the newest for as long as the step before it)
        gaps = np.diff(ts)
        step = float(gaps[-1]) if len(gaps) else self.max_weight_s
        w = np.clip(np.append(gaps, step), 1e-3, self.max_weight_s)
        x = np.stack(self._rows)
        med = weighted_medians(x, w)
        self.posture_share = _shares(self._postures, w)
        self.lag_s = min(self.window_s / 2.0, float(t - ts[0]))
        return self._features(f, med, w)

    def depths(self, stretch: str, variant: str) -> list[tuple[float, float]]:
        """The window's frames as a hold of this stretch measures its depth (the more flexed hip
        for a single knee hug, the less flexed for a double, the mean hip for a fold, a single-leg
        fold's straight-leg hip included, close enough to place a start): a hold decided
        on the window begins inside it, and its start is found on these (`HoldTracker`)."""
        if not self._rows:
            return []
        x = np.stack(self._rows)
        if stretch == "knee_to_chest":
            depth = x[:, _MORE] if variant == "single" else x[:, _LESS]
        else:
            depth = (x[:, _MORE] + x[:, _LESS]) / 2.0
        return list(zip(self._t, (float(d) for d in depth), strict=True))

    def _features(self, f: Features, med: np.ndarray, w: np.ndarray) -> Features:
        """The window's statistic of each feature; speeds stay the frame's own (the hold's settling
        reads them: a pause in an entry is seen at once, and a still body's jitter averages out
        over the hold's own median)."""
        vals = dict(zip(_COLS, (float(v) for v in med), strict=True))
        flipped = float(np.dot(w, np.fromiter(self._flips, float, len(self._flips)))) > float(w.sum()) / 2
        back = {"left": "right", "right": "left"} if flipped else {"left": "left", "right": "right"}
        sided = {n: {s: vals[(n, back[s])] for s in SIDES} for n in _SIDED}
        knees = sided["knee_flexion"]
        fields: dict[str, Any] = {**sided, **{n: vals[(n, None)] for n in _SCALAR}}
        fields.update({n: vals[(n, None)] >= 0.5 for n in _FLAGS})
        return replace(
            f,
            **fields,
            posture=_mode(self.posture_share, f.posture),  # type: ignore[arg-type]
            view=_mode(_shares(self._views, w), f.view),
            straight_side=min(SIDES, key=lambda s: knees[s]),
        )


def _shares(labels: deque[str], w: np.ndarray) -> dict[str, float]:
    """Each label's share of the window's time (a handful of distinct labels, ~30-60 samples)."""
    total = float(w.sum())
    names = sorted(set(labels))
    if len(names) == 1:
        return {names[0]: 1.0}
    codes = np.fromiter((names.index(x) for x in labels), int, len(labels))
    sums = np.bincount(codes, weights=w, minlength=len(names))
    return {name: float(v) / total for name, v in zip(names, sums, strict=True)}


def _mode(shares: dict[str, float], default: str) -> str:
    return max(shares, key=shares.__getitem__) if shares else default


def posture_note(shares: dict[str, float] | None, steady: float = 0.8) -> str | None:
    """'posture flickers lying/seated on 40% of frames': the model reads the body two ways, so
    the posture-dependent rules hang on a majority that may tip (None when one reading dominates)."""
    if not shares or max(shares.values()) >= steady:
        return None
    top, second = sorted(shares, key=shares.__getitem__, reverse=True)[:2]
    return f"posture flickers {top}/{second}: {second} on {100 * shares[second]:.0f}% of the last second"
