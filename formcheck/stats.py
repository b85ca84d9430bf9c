"""Small summaries of a few measurements, shared by the reports and the history below them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

# The smallest real change between two sessions, MDC95 = 1.96 * sqrt(2) * SEM, per measure and
# stretch / variant. SEM: the spread of a hold's number when the same hold is filmed by other home
# cameras - each shared clip with a hold re-rendered 11 ways (the person at 1/3 and 2/3 size, a
# camera 12 degrees above, rolled +-10 degrees, dim with noise, mirrored, 15 and 60 fps, webcam and
# phone bitrates), pooled over clips (bench/validity.py; docs/measurements.md has the table). A
# change smaller than this can be the camera, not the body: the progress verdicts and bands use it.
# Filmed from the person's other side (the mirrored renderings) the model's numbers shift most, so
# there are two: between sessions filmed from the same side, and from either side.
# No band is narrower than `FLOOR`: the reports round to whole centimetres and degrees, and the
# knee hug's same-side numbers (0.9 cm) come from one clip.
FLOOR = 2.0
SAME_SIDE: dict[tuple[str, str, str | None], float] = {
    ("hip", "forward_bend", "standing"): 3.7,  # 3 clips, 33 renderings
    ("hip", "forward_bend", "seated"): 4.0,  # 3 clips, 33 renderings
    ("hip", "knee_to_chest", None): 2.5,  # 1 clip, 11 renderings
    ("cm", "forward_bend", "standing"): 2.8,
    ("cm", "forward_bend", "seated"): 5.4,
    ("cm", "knee_to_chest", None): max(0.9, FLOOR),
}
EITHER_SIDE: dict[tuple[str, str, str | None], float] = {
    ("hip", "forward_bend", "standing"): 4.0,  # 3 clips, 36 renderings
    ("hip", "forward_bend", "seated"): 7.0,
    ("hip", "knee_to_chest", None): 8.4,  # 1 clip, 12 renderings
    ("cm", "forward_bend", "standing"): 4.2,
    ("cm", "forward_bend", "seated"): 8.3,
    ("cm", "knee_to_chest", None): 6.5,
}

# Distances measured along the camera's line of sight rest on the model's depth, which it guesses
# from one picture: from the front (a fold facing the camera, a knee hug filmed from the feet) the
# shared photos filmed three times spread a seated fold's reach 1.7x as much as from the side.
# Those numbers are not given from there (formcheck says so, and how to place the camera).
NOT_MEASURABLE = {("cm", "front")}


def smallest_change(measure: str, stretch: str, variant: str | None, same_side: bool = False) -> float:
    """MDC95 of `measure` ("hip" or "cm") for a stretch and variant, between sessions filmed from
    the same side of the body or (default) from either (a knee hug's variant does not matter; an
    unknown fold variant gets the larger of the two)."""
    table = SAME_SIDE if same_side else EITHER_SIDE
    if stretch == "knee_to_chest":
        return table[(measure, stretch, None)]
    known = table.get((measure, stretch, variant))
    return known if known is not None else max(table[(measure, stretch, v)] for v in ("standing", "seated"))


def measurable(measure: str, view: str) -> bool:
    """Whether `measure` ("hip" or "cm") is given from a camera `view` (side, oblique, front)."""
    return (measure, view) not in NOT_MEASURABLE


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
