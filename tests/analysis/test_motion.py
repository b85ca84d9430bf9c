"""Motion warnings on synthetic sequences with model-like noise, and the metrics on their own."""

import numpy as np
import pytest

from formcheck.analysis.motion import MOTION_KINDS, twist_deg
from formcheck.analysis.session import Analyzer
from formcheck.runner import run_session
from formcheck.types import SourceInfo
from tests.helpers.synth import FOLD, LIE_BENT, STAND, H, Pose, W, knee_hug, sequence, world_landmarks

INFO = SourceInfo("synthetic", 60.0, 30.0, 1800, W, H)


def _warnings(keys, **kw):
    r = run_session(sequence(keys, **kw), Analyzer(INFO))
    return [w for w in r.warnings if w.kind in MOTION_KINDS], r


def test_gentle_fold_and_hold_gives_no_warning() -> None:
    for seed in range(3):
        found, _ = _warnings([(0, STAND), (2, STAND), (4, FOLD), (26, FOLD), (28, STAND), (30, STAND)], seed=seed)
        assert found == []


def test_fold_done_in_a_third_of_a_second_is_jerky_at_the_entry() -> None:
    found, _ = _warnings([(0, STAND), (2, STAND), (2.35, FOLD), (8, FOLD)])
    assert [w.kind for w in found] == ["jerky_motion"]
    assert 2.0 <= found[0].t_s <= 2.8


def test_bouncing_in_the_fold_is_one_warning_per_episode() -> None:
    half = Pose(trunk=100, thigh_left=20, thigh_right=20, knee_left=8, knee_right=8)
    keys = [(0, STAND), (2, STAND), (4, FOLD)]
    t = 4.0
    for _ in range(6):  # 2 Hz pulses of ~25 degrees, like ballistic stretching
        keys += [(t + 0.25, half), (t + 0.5, FOLD)]
        t += 0.5
    keys += [(t + 10, FOLD)]
    found, r = _warnings(keys)
    assert [w.kind for w in found].count("bouncing") == 1  # (2 Hz pulses may also read as jerky)
    assert 4.0 <= found[0].t_s <= 7.0
    assert r.holds and r.holds[0].warnings  # attached to the hold it belongs to


def test_sudden_deepening_during_a_hold_is_excessive() -> None:
    shallow = Pose(trunk=105, thigh_left=25, thigh_right=25, knee_left=8, knee_right=8)
    deep = Pose(trunk=140, thigh_left=20, thigh_right=20, knee_left=8, knee_right=8)
    found, _ = _warnings([(0, STAND), (2, STAND), (4, shallow), (12, shallow), (12.3, deep), (20, deep)])
    assert "excessive_range" in [w.kind for w in found]


def test_gaps_and_variable_frame_rate_give_no_spurious_warnings() -> None:
    found, _ = _warnings(
        [(0, STAND), (2, STAND), (4, FOLD), (20, FOLD)],
        fps_jitter=0.5,
        dropouts=((6.0, 6.2), (9.0, 11.0), (14.0, 14.05)),
    )
    assert found == []
    hug = knee_hug("right")
    found, _ = _warnings(
        [(0, LIE_BENT), (1, LIE_BENT), (3, hug), (15, hug)], fps=15, fps_jitter=0.4, dropouts=((5.0, 6.5),)
    )
    assert found == []


def test_very_short_clip_gives_no_warning() -> None:
    found, r = _warnings([(0, FOLD), (0.8, FOLD)])
    assert found == [] and r.holds == []


def test_twist_angle_of_shoulders_against_hips() -> None:
    w = world_landmarks(LIE_BENT)
    assert abs(twist_deg(w)) < 1.0
    from formcheck import skeleton as sk

    twisted = w.copy()
    # rotate the shoulder line 30 degrees about the trunk axis (x axis when lying)
    a = np.radians(30)
    rot = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    mid = (w[sk.LEFT_SHOULDER] + w[sk.RIGHT_SHOULDER]) / 2
    for i in (sk.LEFT_SHOULDER, sk.RIGHT_SHOULDER):
        twisted[i] = mid + rot @ (w[i] - mid)
    assert abs(twist_deg(twisted)) == pytest.approx(30.0, abs=2.0)


def test_head_lifted_during_knee_to_chest_is_excessive() -> None:
    from formcheck import skeleton as sk

    hug = knee_hug("right")
    frames = sequence([(0, LIE_BENT), (1, LIE_BENT), (3, hug), (20, hug)])
    for f in frames:  # from 10 s on, the head comes up 40 degrees off the mat (chin to chest)
        if f.t_s >= 10.0 and f.landmarks is not None:
            a = np.radians(40)
            rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
            px = f.landmarks[:, :2] * [W, H]
            sh = (px[sk.LEFT_SHOULDER] + px[sk.RIGHT_SHOULDER]) / 2
            px[:11] = sh + (px[:11] - sh) @ rot.T
            f.landmarks[:11, :2] = px[:11] / [W, H]
    r = run_session(frames, Analyzer(INFO))
    lifts = [w for w in r.warnings if w.message == "Keep your head down on the mat"]
    assert len(lifts) == 1 and 10.0 <= lifts[0].t_s <= 11.0
    assert lifts[0].kind == "excessive_range"
