import numpy as np

from formcheck.pose.quality import QualityConfig, QualityGate, frame_reason
from formcheck.types import PoseFrame
from tests.helpers.synth import FOLD, STAND, pose_frame, sequence


def test_plausible_person_passes() -> None:
    rng = np.random.default_rng(0)
    assert frame_reason(pose_frame(STAND, 0.0, rng), QualityConfig()) is None


def test_low_presence_is_rejected() -> None:
    f = pose_frame(STAND, 0.0, np.random.default_rng(0))
    f.landmarks[:, 4] = 0.1
    assert frame_reason(f, QualityConfig()) == "low presence"


def test_non_human_proportions_are_rejected() -> None:
    f = pose_frame(STAND, 0.0, np.random.default_rng(0))
    f.world[25:29] = f.world[23:25].repeat(2, axis=0)  # knees and ankles collapsed onto the hips
    assert frame_reason(f, QualityConfig()) == "implausible proportions"


def test_isolated_spurious_frames_never_count_as_a_person() -> None:
    rng = np.random.default_rng(3)
    gate = QualityGate()
    accepted = 0
    for i in range(100):  # every 4th frame a plausible-looking pose, as on the cockatoo clip
        f = pose_frame(STAND, i / 20, rng) if i % 4 == 0 else PoseFrame(i / 20, None, None, 0)
        accepted += sum(ok for _, ok in gate.update(f))
    accepted += sum(ok for _, ok in gate.flush())
    assert accepted == 0
    assert gate.rejected == 25


def test_a_real_person_is_accepted_in_order_after_a_short_delay() -> None:
    frames = sequence([(0, STAND), (2, FOLD), (4, FOLD)], fps=30)
    gate = QualityGate()
    out = [r for f in frames for r in gate.update(f)] + gate.flush()
    assert [f.t_s for f, _ in out] == [f.t_s for f in frames]
    assert all(ok for _, ok in out)
