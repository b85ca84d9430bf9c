"""The world-landmark measures on skeletons of known geometry (metres, y down)."""

import itertools

import numpy as np
import pytest

from formcheck import skeleton as sk
from formcheck.analysis import measures as ms
from tests.helpers.synth import SEATED_FOLD, STAND, Pose, knee_hug, world_landmarks


def _seated_with_fingertips_at(x: float) -> np.ndarray:
    """Seated, legs straight along +x on the floor (hip at 0, toes at 0.95 m), fingertips at x."""
    w = np.zeros((33, 3))
    for side, z in (("left", 0.1), ("right", -0.1)):
        sh, hp, kn, an = sk.SIDE_CHAIN[side]
        w[hp] = (0, 0, z)
        w[kn] = (0.43, 0, z)
        w[an] = (0.85, 0, z)
        w[sk.LEFT_FOOT if side == "left" else sk.RIGHT_FOOT] = (0.95, -0.1, z)
        w[sh] = (0.3, -0.4, z)
    for i in (sk.LEFT_INDEX, sk.RIGHT_INDEX, sk.LEFT_WRIST, sk.RIGHT_WRIST):
        w[i] = (x, -0.1, 0.0)
    return w


@pytest.mark.parametrize("x", [0.6, 0.85, 0.95, 1.05])
def test_reach_is_fingertips_past_the_toes_along_the_leg(x: float) -> None:
    w = _seated_with_fingertips_at(x)
    toe = np.linalg.norm(w[sk.LEFT_FOOT] - w[sk.LEFT_HIP])
    expected = 100 * (x * 0.95 / toe + 0.1 * 0.1 / toe - toe)  # projection of (x, -0.1) on the hip->toe axis
    assert ms.reach_cm(w, "left") == pytest.approx(expected, abs=0.5)
    assert (ms.reach_cm(w, "left") < -1.0) == (x < 0.9)  # short of the toes: negative


def test_reach_cm_does_not_depend_on_the_viewing_direction() -> None:
    w = _seated_with_fingertips_at(0.8)
    a = np.radians(50)  # the same body turned 50 degrees about the vertical axis (a 3/4 view)
    rot = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    assert ms.reach_cm(w @ rot.T, "left") == pytest.approx(ms.reach_cm(w, "left"), abs=1e-6)
    assert ms.trunk_lean_deg(w @ rot.T) == pytest.approx(ms.trunk_lean_deg(w), abs=1e-6)


def test_trunk_lean_standing_seated_fold_and_lying() -> None:
    assert ms.trunk_lean_deg(world_landmarks(STAND)) == pytest.approx(0, abs=1)
    assert ms.trunk_lean_deg(world_landmarks(SEATED_FOLD)) == pytest.approx(60, abs=1)
    assert ms.trunk_lean_deg(world_landmarks(knee_hug("left"))) == pytest.approx(90, abs=1)


def test_reach_fraction_counts_hands_near_the_lower_leg_only() -> None:
    fold = Pose(pelvis=(0, 0.8), trunk=40, thigh_left=90, thigh_right=90, reach=0.9)
    assert ms.reach_fraction(world_landmarks(fold), "left") == pytest.approx(0.9, abs=0.05)
    far = world_landmarks(fold)
    far[[sk.LEFT_WRIST, sk.RIGHT_WRIST]] += (0.0, -0.8, 0.0)  # hands high above the legs
    assert ms.reach_fraction(far, "left") == 0.0


def test_knee_to_chest_distance_shrinks_as_the_knee_is_pulled_in() -> None:
    d = [ms.knee_to_chest_cm(world_landmarks(knee_hug("right", hip)), "right") for hip in (80, 100, 120, 135)]
    assert all(a > b for a, b in itertools.pairwise(d))
    assert 10 < d[-1] < 45


def test_a_knee_dropped_across_the_body_is_adducted() -> None:
    w = world_landmarks(knee_hug("left"))
    assert abs(ms.thigh_adduction_deg(w, "left")) < 15
    w[sk.LEFT_KNEE, 2] = w[sk.RIGHT_HIP, 2] - 0.3  # the left knee over to the right (supine twist)
    assert ms.thigh_adduction_deg(w, "left") > 35


def _trunk_tilted(forward_deg: float, side_deg: float, yaw_deg: float = 0.0) -> np.ndarray:
    """Hips along z (left +0.1, right -0.1), the trunk leaned `forward_deg` toward +x and tilted
    `side_deg` toward the right hip, the whole body turned `yaw_deg` about the vertical."""
    w = np.zeros((33, 3))
    f, s = np.radians(forward_deg), np.radians(side_deg)
    trunk = 0.5 * np.array([np.sin(f) * np.cos(s), -np.cos(f) * np.cos(s), -np.sin(s)])
    for side, z in (("left", 0.1), ("right", -0.1)):
        sh, hp, kn, an = sk.SIDE_CHAIN[side]
        w[hp] = (0, 0, z)
        w[sh] = w[hp] + trunk
        w[kn], w[an] = (0, 0.43, z), (0, 0.85, z)
    w[sk.NOSE] = (w[sk.LEFT_SHOULDER] + w[sk.RIGHT_SHOULDER]) / 2 + 0.2 * trunk
    y = np.radians(yaw_deg)
    rot = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0], [-np.sin(y), 0, np.cos(y)]])
    return w @ rot.T


@pytest.mark.parametrize("yaw", [0.0, 40.0, 90.0])
def test_side_bend_tells_a_fold_from_a_triangle_pose_from_any_view(yaw: float) -> None:
    for depth in (30.0, 90.0, 160.0):  # a stiff reach to a deep hanging fold: no side bend
        assert ms.side_bend_deg(_trunk_tilted(depth, 0.0, yaw)) == pytest.approx(0.0, abs=1e-6)
    assert ms.side_bend_deg(_trunk_tilted(20.0, 60.0, yaw)) == pytest.approx(60.0, abs=1e-6)
    w = _trunk_tilted(20.0, 60.0, yaw)
    w[[sk.LEFT_HIP, sk.RIGHT_HIP]] = w[[sk.RIGHT_HIP, sk.LEFT_HIP]]  # the model swaps left and right
    assert ms.side_bend_deg(w) == pytest.approx(60.0, abs=1e-6)


def test_the_chest_faces_up_lying_on_the_back_and_down_folded_over() -> None:
    supine = world_landmarks(Pose(pelvis=(0, 0.8), trunk=-90, thigh_left=90, thigh_right=90))
    fold = world_landmarks(SEATED_FOLD)
    assert ms.chest_up(supine) > 0.95 and ms.chest_up(fold) < -0.5
    assert abs(ms.chest_up(world_landmarks(STAND))) < 0.1


def test_the_quick_cross_product_is_numpys_bit_for_bit() -> None:
    from formcheck.analysis.measures import _cross

    rng = np.random.default_rng(3)
    for dtype in (np.float32, np.float64):
        for _ in range(200):
            a, b = rng.normal(size=(2, 3)).astype(dtype)
            got, want = _cross(a, b), np.cross(a, b)
            assert got.dtype == want.dtype and np.array_equal(got, want)


def test_a_reach_is_not_measured_on_a_look_that_cannot_show_it() -> None:
    """The foot far from where a foot can be (the model lost it), or no fingertip near the shin or
    foot (arms overhead): None, not a number."""
    w = _seated_with_fingertips_at(0.8)
    lost_foot = w.copy()
    lost_foot[sk.LEFT_FOOT] = (0.3, -0.1, 0.1)  # hip -> toe 0.33 m against a 0.85 m leg
    assert ms.reach_cm(lost_foot, "left") is None
    overhead = w.copy()
    overhead[[sk.LEFT_INDEX, sk.RIGHT_INDEX]] = (0.2, -1.0, 0.0)
    assert ms.reach_cm(overhead, "left") is None
    assert ms.reach_cm(w, "left") is not None


def test_the_reach_leg_is_the_better_seen_of_the_straight_legs() -> None:
    vis = np.full(33, 0.95)
    vis[[sk.RIGHT_HIP, sk.RIGHT_KNEE, sk.RIGHT_ANKLE, sk.RIGHT_FOOT]] = 0.3  # the far leg
    assert ms.reach_leg({"left": 10.0, "right": 4.0}, vis) == "left"  # both straight: the seen one
    assert ms.reach_leg({"left": 60.0, "right": 4.0}, vis) == "right"  # single-leg fold: the straight one
    assert ms.reach_leg({"left": 10.0, "right": 4.0}) == "right"  # no visibility: the straighter
