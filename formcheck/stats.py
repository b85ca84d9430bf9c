"""Small summaries of a few measurements, shared by the reports and the history below them."""

from __future__ import annotations

from collections.abc import Iterable

# How far apart two measurements of the same hold can be without anything having changed: the
# same hold seen mirrored, at a third of the size or from a little above (bench/flexibility.py,
# README "Flexibility numbers"). A change within this is noise, not progress.
NOISE_CM = 5.0
NOISE_DEG = 5.0


def typical(values: Iterable[float]) -> float | None:
    """The median of a few holds' numbers (of an even count the upper one: a value a hold had)."""
    xs = sorted(values)
    return float(xs[len(xs) // 2]) if xs else None
