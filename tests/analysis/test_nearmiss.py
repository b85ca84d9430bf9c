"""The nearest miss as a cue, on realistic (noisy, jittered) landmark sequences."""

import pytest

from formcheck.analysis.nearmiss import NearMiss
from formcheck.analysis.session import Analyzer
from formcheck.types import SourceInfo
from tests.helpers.synth import FOLD, STAND, H, Pose, W, knee_hug, sequence

INFO = SourceInfo("synthetic", 10.0, 30.0, 300, W, H)
HALF_PULLED = knee_hug("right", hip_flexion=65.0)  # hands on the knee, thigh short of vertical
HINGE = Pose(trunk=60, thigh_left=10, thigh_right=10, knee_left=8, knee_right=8)  # leaning, arms along the trunk


def _cues(pose: Pose, seconds: float = 4.0, seed: int = 0) -> list[tuple[float, str]]:
    an = Analyzer(INFO)
    near = NearMiss(an.config)
    out = []
    for f in sequence([(0, pose), (seconds, pose)], seed=seed, fps_jitter=0.2):
        an.update(f)
        out.append((f.t_s, near.update(an.last)))
    return out


@pytest.mark.parametrize(
    ("pose", "cue"),
    [(HALF_PULLED, "Bring your knee closer to your chest"), (HINGE, "Reach down toward your feet")],
    ids=["knee_half_pulled", "hip_hinge"],
)
def test_an_almost_stretch_gets_the_cue_of_its_missing_rule(pose: Pose, cue: str) -> None:
    for seed in range(3):
        cues = _cues(pose, seed=seed)
        assert {c for _, c in cues} - {""} == {cue}
        first = min(t for t, c in cues if c)
        assert 1.4 <= first <= 2.2  # after the same miss has lasted 1.5 s, not before


@pytest.mark.parametrize("pose", [STAND, FOLD], ids=["standing_upright", "holding_a_fold"])
def test_no_cue_when_doing_something_else_or_already_holding(pose: Pose) -> None:
    assert {c for _, c in _cues(pose)} == {""}
