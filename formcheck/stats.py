"""Small summaries of a few measurements, shared by the reports and the history below them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

# How far apart two measurements of the same hold can be without anything having changed: the
# same hold seen mirrored, at a third of the size or from a little above (bench/flexibility.py,
# README "Flexibility numbers"). A change within this is noise, not progress.
NOISE_CM = 5.0
NOISE_DEG = 5.0


def typical(values: Iterable[float]) -> float | None:
    """The median of a few holds' numbers (of an even count the upper one: a value a hold had)."""
    xs = sorted(values)
    return float(xs[len(xs) // 2]) if xs else None


def weighted_median(x: np.ndarray, w: np.ndarray) -> float:
    """Median of samples that stand for `w` each (frames, or seconds): a pose adaptive sampling
    analysed stands for the frames it skipped after it, so a hold's typical depth is what every
    frame showed, not what the frames that happened to be analysed showed. (All weights 1 at full rate.)"""
    order = np.argsort(x)
    cum = np.cumsum(w[order])
    return float(x[order][np.searchsorted(cum, cum[-1] / 2)])


def time_median(samples: Sequence[tuple[float, float]]) -> float:
    """The median of a signal over time, each (t, value) standing for the time since the one before:
    adaptive sampling looks densely where the body moves and sparsely where it is still, and a
    median over samples would follow where the sampler looked, not what the body did."""
    if len(samples) < 2:
        return samples[0][1] if samples else 0.0
    ts = np.fromiter((t for t, _ in samples), float, len(samples))
    vs = np.fromiter((v for _, v in samples), float, len(samples))
    return weighted_median(vs, np.diff(ts, prepend=ts[0] - (ts[1] - ts[0])))
