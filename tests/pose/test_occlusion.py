"""Covered joints carried briefly, on model-like frames (noise, a covered ankle wandering)."""

import numpy as np

from formcheck import skeleton as sk
from formcheck.pose.occlusion import OcclusionCarry
from tests.helpers.synth import SEATED_FOLD, pose_frame


def _frames(n: int = 30, covered: range = range(10, 18), shift: float = 0.0):
    rng = np.random.default_rng(0)
    frames = []
    for i in range(n):
        f = pose_frame(SEATED_FOLD, i / 30, rng)
        f.landmarks[:, 0] += shift * i / n  # the whole body drifting across the image
        f.landmarks[12::2, 3] = 0.3  # the far side of a side view: never well seen, so never carried
        f.landmarks[sk.LEFT_ANKLE, 3] = 0.95  # the near ankle is seen...
        if i in covered:  # ... until the hands cover it: low visibility, the guess wanders by ~10 cm
            f.landmarks[sk.LEFT_ANKLE, 3] = 0.2
            f.landmarks[sk.LEFT_ANKLE, :2] += rng.normal(0, 0.03, 2)
            f.world[sk.LEFT_ANKLE] += rng.normal(0, 0.1, 3)
        frames.append(f)
    return frames


def test_a_briefly_covered_ankle_keeps_its_last_seen_place_relative_to_the_hips() -> None:
    frames = _frames(shift=0.1)
    carry = OcclusionCarry()
    out = [carry.update(f) for f in frames]
    seen = out[9]
    for f in out[10:18]:
        hip = (f.landmarks[sk.LEFT_HIP, :2] + f.landmarks[sk.RIGHT_HIP, :2]) / 2
        seen_hip = (seen.landmarks[sk.LEFT_HIP, :2] + seen.landmarks[sk.RIGHT_HIP, :2]) / 2
        expected = seen.landmarks[sk.LEFT_ANKLE, :2] - seen_hip + hip  # moves with the body
        np.testing.assert_allclose(f.landmarks[sk.LEFT_ANKLE, :2], expected, atol=1e-6)
        np.testing.assert_allclose(f.world[sk.LEFT_ANKLE], seen.world[sk.LEFT_ANKLE], atol=1e-6)
    assert carry.carried == 8


def test_visible_joints_are_untouched_and_a_long_occlusion_is_left_to_the_model() -> None:
    frames = _frames(covered=range(5, 30))
    carry = OcclusionCarry()
    out = [carry.update(f) for f in frames]
    for a, b in zip(frames, out, strict=True):
        visible = a.landmarks[:, 3] >= 0.5
        np.testing.assert_array_equal(a.landmarks[visible], b.landmarks[visible])
    # carried for 0.5 s (frames 5..19 at 30 fps), then the model's own guess again
    assert not np.allclose(out[25].landmarks[sk.LEFT_ANKLE, :2], out[4].landmarks[sk.LEFT_ANKLE, :2], atol=1e-3)
    np.testing.assert_array_equal(out[25].landmarks[sk.LEFT_ANKLE], frames[25].landmarks[sk.LEFT_ANKLE])
    assert carry.carried == 15
