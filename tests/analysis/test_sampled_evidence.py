"""The analysis of adaptively sampled video: frames the sampler skipped as still come with the
looks around them interpolated, and motion warnings come from dense evidence only
(analysis/session.py)."""

from __future__ import annotations

import numpy as np

from formcheck.analysis.motion import MOTION_KINDS
from formcheck.analysis.session import Analyzer
from formcheck.runner import run_session
from formcheck.sources.frame import Frame, Sample
from formcheck.types import PoseFrame, SourceInfo
from tests.helpers.sampled import as_sampled
from tests.helpers.synth import FOLD, STAND, H, Pose, W, sequence

INFO = SourceInfo("synthetic", 40.0, 60.0, 2400, W, H)
HALF = Pose(trunk=100, thigh_left=20, thigh_right=20, knee_left=8, knee_right=8)


def _bounces(t0: float, n: int) -> list:
    keys, t = [], t0
    for _ in range(n):  # 2 Hz pulses of ~25 degrees, like ballistic stretching
        keys += [(t + 0.25, HALF), (t + 0.5, FOLD)]
        t += 0.5
    return keys


def _motion(result) -> list[str]:
    return [w.kind for w in result.warnings if w.kind in MOTION_KINDS]


def _sampled(poses: list[PoseFrame], skip: tuple[float, float], still: bool) -> list[PoseFrame | Sample]:
    """As the sampler passes them on: the frames inside `skip` without a pose (off the grid every
    third frame at 60 fps elsewhere, as adaptive sampling's dense mode does)."""
    out: list[PoseFrame | Sample] = []
    for i, p in enumerate(poses):
        if skip[0] <= p.t_s < skip[1]:
            out.append(Sample(Frame(i, p.t_s, None), None, still=still and i % 3 == 0))
        elif i % 3:
            out.append(Sample(Frame(i, p.t_s, None), None))
        else:
            out.append(p)
    return out


def test_a_bounce_is_warned_on_dense_poses_but_not_across_frames_nobody_looked_at() -> None:
    """Three 2 Hz pulses: seen densely, one bouncing episode. With the middle pulse unseen (0.4 s
    the model did not look at), the analysis has no evidence of how the body moved there: no
    warning (with the histories kept across the gap, three of six seeds warned)."""
    keys = [(0, STAND), (2, STAND), (4, FOLD), *_bounces(4.0, 3), (16, FOLD)]
    for seed in range(6):
        poses = sequence(keys, fps=60.0, seed=seed, world_noise=0.006)
        dense = run_session(_sampled(poses, (0, 0), still=False), Analyzer(INFO))
        assert "bouncing" in _motion(dense), seed
        gap = run_session(_sampled(poses, (4.55, 4.95), still=False), Analyzer(INFO))
        assert "bouncing" not in _motion(gap), seed


def test_still_frames_are_analysed_with_the_looks_around_them() -> None:
    """A hold seen once a second, the grid frames between passed on as still with the two looks
    interpolated (as the sampler does): every frame is counted with its person, the hold is timed
    as on every frame, and the model's jitter between looks a second apart raises no warning."""
    keys = [(0, STAND), (2, STAND), (4, FOLD), (30, FOLD), (32, STAND), (34, STAND)]
    for seed in range(3):
        poses = sequence(keys, fps=60.0, seed=seed, world_noise=0.012)
        full = run_session(list(poses), Analyzer(INFO))
        looked = [i for i, p in enumerate(poses) if (i % 60 == 0 if 6.0 <= p.t_s < 29.0 else i % 3 == 0)]
        sparse = run_session(as_sampled(poses, looked), Analyzer(INFO))
        assert sparse.frames.total == full.frames.total == len(poses)
        assert abs(sparse.frames.with_person - full.frames.with_person) <= 24  # the gate's first 0.4 s
        assert sparse.frames.not_analysed > 0.9 * 23 * 60
        assert len(sparse.holds) == len(full.holds) == 1
        assert abs(sparse.holds[0].start_s - full.holds[0].start_s) <= 0.2
        assert abs(sparse.holds[0].end_s - full.holds[0].end_s) <= 0.2
        assert abs(sparse.holds[0].duration_s - full.holds[0].duration_s) <= 0.3
        assert _motion(sparse) == _motion(full) == []
        assert np.isclose(sparse.holds[0].hip_flexion_deg, full.holds[0].hip_flexion_deg, atol=3.0)


def test_a_straight_path_between_two_looks_is_no_evidence_of_a_swing() -> None:
    """Three 2 Hz pulses seen by the model on every grid frame: bouncing. The same pulses seen only
    at their extremes (looks 0.25 s apart, the grid frames between interpolated, as adaptive
    sampling passes on a still stretch): the straight path between two looks would pass the
    "moved through the angles in between" test by construction, as jitter between two looks of a
    still body would; only the model's own poses count for it, so no warning."""
    keys = [(0, STAND), (2, STAND), (4, FOLD), *_bounces(4.0, 3), (16, FOLD)]
    for seed in range(4):
        poses = sequence(keys, fps=60.0, seed=seed, world_noise=0.006)
        extremes = {int(np.argmin([abs(p.t_s - k) for p in poses])) for k in np.arange(4.0, 5.51, 0.25)}
        looked = [i for i, p in enumerate(poses) if i in extremes or (not 4.0 <= p.t_s <= 5.5 and i % 3 == 0)]
        sampled = as_sampled(poses, looked)
        assert "bouncing" in _motion(run_session(_sampled(poses, (0, 0), still=False), Analyzer(INFO))), seed
        assert "bouncing" not in _motion(run_session(sampled, Analyzer(INFO))), seed
