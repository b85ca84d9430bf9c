"""Holds decided over the last second (analysis/window.py), on still bodies the model jitters on.

A still body sits at some threshold with the model's noise on it: a knee hug held at the thigh's
entry threshold, a body whose legs the model keeps swapping. Decided frame by frame, such a hold
starts late, splits or reads as bouncing; decided on the last second's medians it starts within
a second and lasts in one piece.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.analysis.config import AnalysisConfig, HoldConfig, KneeToChestConfig
from formcheck.analysis.motion import MOTION_KINDS
from formcheck.analysis.session import Analyzer
from formcheck.analysis.window import FeatureWindow, posture_note, weighted_medians
from formcheck.runner import run_session
from formcheck.types import PoseFrame, SourceInfo
from tests.helpers.synth import LIE_BENT, H, W, knee_hug, sequence

ENTER = KneeToChestConfig().enter_hip_flexion
PAIRS = [(i, i + 1) for i in range(11, 33, 2)] + [(1, 4), (2, 5), (3, 6), (7, 8), (9, 10)]


def _info(fps: float) -> SourceInfo:
    return SourceInfo("synthetic", 25.0, fps, round(25 * fps), W, H)


def _swap_legs(frame: PoseFrame) -> PoseFrame:
    """The model calling the left leg right and the right leg left (its swaps on side views)."""
    assert frame.landmarks is not None and frame.world is not None
    lm, world = frame.landmarks.copy(), frame.world.copy()
    for a, b in PAIRS:
        lm[[a, b]], world[[a, b]] = lm[[b, a]], world[[b, a]]
    return PoseFrame(frame.t_s, lm, world, frame.n_people)


@pytest.mark.parametrize("fps", [5.0, 15.0, 30.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_still_knee_hug_at_its_threshold_is_one_hold_from_the_first_second(fps: float, seed: int) -> None:
    # held one noise deviation over the entry threshold: world noise that gives a lying body's +-4 deg
    hug = knee_hug("right", hip_flexion=ENTER + 4.0)
    frames = sequence([(0, hug), (25, hug)], fps=fps, seed=seed, world_noise=0.02)
    r = run_session(frames, Analyzer(_info(fps)))
    assert [(h.stretch, h.side) for h in r.holds] == [("knee_to_chest", "right")], r.not_counted
    assert r.holds[0].start_s <= 1.0
    assert r.holds[0].open_at_end
    assert [w for w in r.warnings if w.kind in MOTION_KINDS] == []


def test_the_model_swapping_the_legs_keeps_one_hold_on_the_pulled_side() -> None:
    rng = np.random.default_rng(3)
    hug = knee_hug("left", hip_flexion=110.0)
    frames = sequence([(0, hug), (20, hug)], fps=30.0, seed=3)
    # bursts of 2-6 swapped frames, about a third of all frames, as on the shared knee-hug photos
    swapped = np.zeros(len(frames), bool)
    i = 0
    while i < len(frames):
        i += int(rng.integers(3, 12))
        swapped[i : i + int(rng.integers(2, 7))] = True
        i += 7
    assert 0.2 < swapped.mean() < 0.5
    frames = [_swap_legs(f) if s else f for f, s in zip(frames, swapped, strict=True)]
    r = run_session(frames, Analyzer(_info(30.0)))
    assert [(h.stretch, h.side) for h in r.holds] == [("knee_to_chest", "left")]
    assert r.holds[0].start_s <= 1.0 and r.holds[0].open_at_end
    assert r.holds[0].hip_flexion_deg == pytest.approx(110.0, abs=10.0)  # the pulled leg's, not a mixture
    assert [w for w in r.warnings if w.kind in MOTION_KINDS] == []


def test_window_statistics_are_time_weighted_medians_whatever_the_rate() -> None:
    x = np.array([[1.0, 10.0], [2.0, 30.0], [100.0, 20.0]])
    assert list(weighted_medians(x, np.ones(3))) == [2.0, 20.0]
    # one sample standing for most of the time decides
    assert list(weighted_medians(x, np.array([0.1, 0.1, 1.0]))) == [100.0, 20.0]


def test_a_posture_flickering_on_a_minority_of_frames_is_decided_by_the_majority_and_said() -> None:
    hug = knee_hug("right", hip_flexion=110.0)
    frames = sequence([(0, hug), (3, hug)], fps=30.0, seed=0)
    analyzer = Analyzer(_info(30.0))
    window = FeatureWindow(1.0)
    postures = []
    for k, frame in enumerate(frames):
        analyzer.update(frame)
        st = analyzer.last
        if st is None or st.raw is None:
            continue  # the quality gate looks a frame ahead
        raw = st.raw
        if k % 3 == 0:  # every third frame reads seated, as the model's depth flips can make it
            raw.posture = "seated"
        postures.append(window.update(raw).posture)
    assert set(postures[10:]) == {"lying"}
    note = posture_note(window.posture_share)
    assert note is not None and "lying/seated" in note
    share = float(note.split(" on ")[1].split("%")[0])
    assert 25 <= share <= 45  # a third of the frames, weighed by time
    assert posture_note({"lying": 0.9, "seated": 0.1}) is None


def test_a_pose_that_never_settles_is_explained_in_one_line() -> None:
    # a knee drawn in and let go again, never held: it matches on the way but is not a hold
    hug = knee_hug("right", hip_flexion=115.0)
    frames = sequence([(0, LIE_BENT), (1, LIE_BENT), (2.2, hug), (2.9, hug), (4.0, LIE_BENT), (6, LIE_BENT)])
    r = run_session(frames, Analyzer(_info(30.0)))
    assert r.holds == []
    assert len(r.not_counted) == 1
    assert r.not_counted[0].startswith("knee-to-chest (right, single)")
    assert "not counted" in r.not_counted[0] or "a transition" in r.not_counted[0]


def test_the_hold_status_says_what_it_waits_for() -> None:
    hug = knee_hug("right", hip_flexion=115.0)
    frames = sequence([(0, hug), (6, hug)], fps=30.0)
    analyzer = Analyzer(_info(30.0), AnalysisConfig(hold=HoldConfig(min_dwell_s=2.0)))
    seen = []
    for frame in frames:
        analyzer.update(frame)
        seen.append((frame.t_s, analyzer.holds.describe(frame.t_s)))
    early = [s for t, s in seen if 0.6 < t < 1.9]
    assert early and all("matches since" in s and "counts once it has matched 2 s" in s for s in early)
    late = [s for t, s in seen if t > 3.0]
    assert late and all("knee-to-chest (right, single) held since" in s for s in late)
