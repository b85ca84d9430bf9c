"""Recognition on synthetic side-view sequences with model-like noise."""

import pytest

from formcheck.analysis.session import Analyzer
from formcheck.types import SourceInfo
from tests.helpers.synth import FOLD, LIE_BENT, LIE_FLAT, SEATED_FOLD, SIT, SQUAT, STAND, H, Pose, W, knee_hug, sequence

INFO = SourceInfo("synthetic", 10.0, 30.0, 300, W, H)


def _matches(pose: Pose, seed: int = 0) -> set:
    an = Analyzer(INFO)
    found = set()
    for f in sequence([(0, pose), (3, pose)], seed=seed):
        an.update(f)
        if an.last is not None and an.last.match is not None:
            found.add((an.last.match.stretch, an.last.match.side, an.last.match.variant))
    return found


@pytest.mark.parametrize(
    ("pose", "expected"),
    [
        (FOLD, {("forward_bend", None, "standing")}),
        (SEATED_FOLD, {("forward_bend", None, "seated")}),
        (knee_hug("right"), {("knee_to_chest", "right", "single")}),
        (knee_hug("left"), {("knee_to_chest", "left", "single")}),
    ],
)
def test_target_stretches_are_recognised(pose: Pose, expected: set) -> None:
    for seed in range(3):
        assert _matches(pose, seed) == expected


@pytest.mark.parametrize(
    "pose", [STAND, SIT, SQUAT, LIE_BENT, LIE_FLAT], ids=["stand", "sit", "squat", "lie_bent", "lie_flat"]
)
def test_other_positions_are_not_stretches(pose: Pose) -> None:
    assert _matches(pose) == set()


def test_childs_pose_like_fold_with_bent_knees_is_not_a_forward_bend() -> None:
    bent = Pose(trunk=125, thigh_left=60, thigh_right=60, knee_left=100, knee_right=100)
    assert _matches(bent) == set()


def test_leg_raised_without_hands_is_not_knee_to_chest() -> None:
    raised = knee_hug("right")
    raised = Pose(**{**raised.__dict__, "hug_right": False})
    assert _matches(raised) == set()


def test_slightly_bent_knees_still_count_as_forward_bend() -> None:
    soft = Pose(trunk=120, thigh_left=25, thigh_right=25, knee_left=25, knee_right=25)
    assert _matches(soft) == {("forward_bend", None, "standing")}
