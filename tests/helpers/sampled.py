"""Replay adaptive sampling on synthetic poses: what the analysis receives from the sampler."""

from __future__ import annotations

import numpy as np

from formcheck.sources.frame import Frame, Sample, between
from formcheck.types import PoseFrame


def as_sampled(poses: list[PoseFrame], looked: list[int], grid: int = 3) -> list[PoseFrame | Sample]:
    """The frames `looked` (sorted indices) go to the model; a grid frame between two looks comes as
    a still frame with the two looks interpolated; every other frame is skipped (counted only)."""
    out: list[PoseFrame | Sample] = []
    for i, p in enumerate(poses):
        k = int(np.searchsorted(looked, i))
        if k < len(looked) and looked[k] == i:
            out.append(p)
        elif i % grid == 0 and 0 < k < len(looked):
            out.append(Sample(Frame(i, p.t_s, None), between(poses[looked[k - 1]], poses[looked[k]], p.t_s), True))
        else:
            out.append(Sample(Frame(i, p.t_s, None), None))
    return out
