"""Left/right swaps undone before smoothing (pose/swaps.py), on model-like frames."""

from __future__ import annotations

import numpy as np

from formcheck import skeleton as sk
from formcheck.pose.swaps import LEGS, SwapFix
from formcheck.types import PoseFrame
from tests.helpers.synth import STAND, H, W, knee_hug, pose_frame


def _swapped(frame: PoseFrame) -> PoseFrame:
    assert frame.landmarks is not None and frame.world is not None
    lm, world = frame.landmarks.copy(), frame.world.copy()
    for a, b in LEGS:
        lm[[a, b]], world[[a, b]] = lm[[b, a]], world[[b, a]]
    return PoseFrame(frame.t_s, lm, world, 1)


def _knee_x(frame: PoseFrame, side: str) -> float:
    assert frame.landmarks is not None
    return float(frame.landmarks[sk.SIDE_CHAIN[side][2], 0])


def test_a_burst_of_swapped_frames_is_swapped_back() -> None:
    rng = np.random.default_rng(0)
    hug = knee_hug("left", hip_flexion=115.0)
    frames = [pose_frame(hug, k / 30, rng) for k in range(60)]
    burst = set(range(20, 25))
    fix = SwapFix(W, H)
    out = [fix.update(_swapped(f) if k in burst else f) for k, f in enumerate(frames)]
    for k in range(60):  # the hugged knee stays where it is on every frame
        assert abs(_knee_x(out[k], "left") - _knee_x(frames[k], "left")) < 0.02
    assert fix.swapped == len(burst)
    assert out[22].world is not None and frames[22].world is not None
    assert np.allclose(out[22].world[sk.LEFT_KNEE], frames[22].world[sk.LEFT_KNEE])


def test_a_labelling_the_model_keeps_is_taken_after_a_while() -> None:
    # the model changes its mind for good: after `adopt_s` its labelling is the reference again
    rng = np.random.default_rng(1)
    hug = knee_hug("left", hip_flexion=115.0)
    frames = [pose_frame(hug, k / 30, rng) for k in range(150)]
    fix = SwapFix(W, H)
    out = [fix.update(_swapped(f) if k >= 30 else f) for k, f in enumerate(frames)]
    assert abs(_knee_x(out[35], "left") - _knee_x(frames[35], "left")) < 0.02  # swapped back at first
    assert abs(_knee_x(out[-1], "left") - _knee_x(_swapped(frames[-1]), "left")) < 0.02  # then taken
    assert fix.swapped < 60


def test_legs_side_by_side_are_never_swapped() -> None:
    # standing in a side view the two legs overlap: jitter must not swap them
    rng = np.random.default_rng(2)
    fix = SwapFix(W, H)
    for k in range(90):
        fix.update(pose_frame(STAND, k / 30, rng, noise=0.006))
    assert fix.swapped == 0
