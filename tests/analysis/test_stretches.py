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


# A stiff person's forward bends: shallow, recognised from the reach toward the feet.
SHALLOW_SEATED_REACH = Pose(
    pelvis=(0, 0.8), trunk=32, thigh_left=90, thigh_right=90, knee_left=5, knee_right=5, reach=0.85
)
SHALLOW_STANDING_REACH = Pose(trunk=75, thigh_left=15, thigh_right=15, knee_left=10, knee_right=10, reach=0.8)
HEAD_TO_KNEE = Pose(pelvis=(0, 0.8), trunk=55, thigh_left=90, thigh_right=130, knee_left=5, knee_right=110, reach=1.0)


@pytest.mark.parametrize(
    ("pose", "variant"),
    [(SHALLOW_SEATED_REACH, "seated"), (SHALLOW_STANDING_REACH, "standing"), (HEAD_TO_KNEE, "seated")],
    ids=["shallow_seated", "shallow_standing", "head_to_knee"],
)
def test_shallow_and_single_leg_reaches_are_forward_bends(pose: Pose, variant: str) -> None:
    for seed in range(3):
        assert _matches(pose, seed) == {("forward_bend", None, variant)}


def test_sitting_tall_with_hands_on_the_thighs_is_not_a_forward_bend() -> None:
    tall = Pose(pelvis=(0, 0.8), trunk=8, thigh_left=90, thigh_right=90, knee_left=5, knee_right=5, reach=0.3)
    assert _matches(tall) == set()


def test_hip_hinge_without_the_reach_is_not_a_forward_bend() -> None:
    good_morning = Pose(trunk=55, thigh_left=10, thigh_right=10, knee_left=8, knee_right=8)  # arms along the trunk
    assert _matches(good_morning) == set()


def test_knee_hug_with_the_other_leg_straight_on_the_mat() -> None:
    straight_other = Pose(**{**knee_hug("left").__dict__, "thigh_right": 90, "knee_right": 0})
    assert _matches(straight_other) == {("knee_to_chest", "left", "single")}


# Knee-to-chest decided in the body's own frame, not from the picture's up and down.
ROLLED_DOUBLE_HUG = Pose(
    pelvis=(0, 0.75), trunk=-120, thigh_left=250, thigh_right=250, knee_left=125, knee_right=125,
    hug_left=True, hug_right=True,
)  # fmt: skip
HAPPY_BABY = Pose(
    pelvis=(0, 0.8), trunk=-90, thigh_left=220, thigh_right=220, knee_left=40, knee_right=40,
    hug_left=True, hug_right=True,
)  # fmt: skip
# Child's pose with the arms back along the legs: kneeling, hips over the heels, chest on the thighs
# facing the floor, hands by the shins.
CHILDS_POSE_ARMS_BACK = Pose(
    pelvis=(0, 0.78), trunk=100, thigh_left=70, thigh_right=70, knee_left=155, knee_right=155, hug_left=True
)


def test_double_hug_with_the_pelvis_rolled_up_is_knee_to_chest() -> None:
    from tests.helpers.synth import world_landmarks

    w = world_landmarks(ROLLED_DOUBLE_HUG)
    assert w[27, 1] < w[25, 1], "the feet are above the knees in the picture"
    for seed in range(3):
        assert _matches(ROLLED_DOUBLE_HUG, seed) == {("knee_to_chest", None, "double")}


@pytest.mark.parametrize("pose", [HAPPY_BABY, CHILDS_POSE_ARMS_BACK], ids=["happy_baby", "childs_pose_arms_back"])
def test_look_alikes_with_hands_on_the_legs_are_not_knee_to_chest(pose: Pose) -> None:
    for seed in range(3):
        assert not {m for m in _matches(pose, seed) if m[0] == "knee_to_chest"}


def test_a_stiff_standing_reach_to_the_knees_is_a_forward_bend() -> None:
    to_knees = Pose(trunk=70, thigh_left=12, thigh_right=12, knee_left=10, knee_right=10, reach=0.5)
    assert _matches(to_knees) == {("forward_bend", None, "standing")}


def test_a_wide_legged_style_seated_fold_counts_by_its_lean() -> None:
    # hands out of sight (by the hips), hip angle short of a deep fold: the lean over the legs decides
    lean = Pose(pelvis=(0, 0.8), trunk=60, thigh_left=90, thigh_right=90, knee_left=5, knee_right=5, reach=0.1)
    assert _matches(lean) == {("forward_bend", None, "seated")}


def test_plow_pose_is_not_a_forward_bend() -> None:
    # on the shoulders, legs over the head toward the floor: the hips flex 125 deg, knees straight,
    # the feet about as low as the hips - everything a deep seated fold has, but the trunk upside down
    plow = Pose(pelvis=(0, 0.3), trunk=165, thigh_left=70, thigh_right=70, knee_left=5, knee_right=5)
    assert not {m for m in _matches(plow) if m[0] == "forward_bend"}


def test_a_knee_hug_looking_at_the_camera_is_still_lying_on_the_back() -> None:
    # people check the screen: the face turned 75 deg toward the camera leaves the body's midline
    looking = Pose(**{**knee_hug("left").__dict__, "head_turn": 75.0})
    for seed in range(3):
        assert _matches(looking, seed) == {("knee_to_chest", "left", "single")}
