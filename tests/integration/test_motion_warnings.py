"""Motion warnings from the real model: quiet on calm clips, on time on fast and composed ones."""

from pathlib import Path

import numpy as np
import pytest

import formcheck
from formcheck import skeleton as sk
from formcheck.evaluation import motion_warnings, score_warnings
from formcheck.sources.track import Track
from tests.conftest import label
from tests.helpers.compose import Piece, compose, pingpong

pytestmark = pytest.mark.usefixtures("require_shared")  # real people: the shared clips

CALM = [
    "forward_fold_standing",
    "forward_bend_seated",
    "forward_bend_standing_short",
    "knee_to_chest_generated",
    "supine_glute_bridges",
]
FAST = ["burpees", "jumping_jacks"]
FOLD = "forward_fold_standing"


def raw_motion(track: Path) -> tuple[np.ndarray, np.ndarray]:
    """Independent of the analysis: the extent each raw core landmark sweeps within +-0.25 s, in body heights."""
    tr = Track(track)
    t, lm = tr.t_s, tr.landmarks[:, list(sk.CORE), :2]
    out = np.full(len(t), np.nan)
    for i in range(len(t)):
        lo, hi = np.searchsorted(t, t[i] - 0.25), np.searchsorted(t, t[i] + 0.25)
        win = lm[lo:hi]
        if np.isnan(lm[i, 0, 0]) or np.isnan(win).any():
            continue
        height = np.ptp(lm[i, :, 1]) + 1e-6
        out[i] = np.max(np.linalg.norm(np.ptp(win, axis=0), axis=1)) / height
    return t, out


@pytest.mark.parametrize("name", CALM)
def test_calm_clips_get_no_motion_warning(clip_result, name: str) -> None:
    result, _ = clip_result(name)
    assert motion_warnings(result, label(name)) == []
    assert result.summary["gentleness"] == "gentle"


@pytest.mark.parametrize("name", FAST)
def test_fast_clips_get_jerky_warnings_when_they_move_fast(clip_result, name: str) -> None:
    result, track = clip_result(name)
    assert score_warnings(result, label(name)) is None
    jerky = [w for w in result.warnings if w.kind == "jerky_motion"]
    assert jerky
    _, calm_track = clip_result("forward_fold_standing")
    calm_t, calm = raw_motion(calm_track)
    holding_still = np.nanmax(calm[calm_t > 3.0])  # the most a person moves while holding a fold
    t, motion = raw_motion(track)
    for w in jerky:
        i = int(np.searchsorted(t, w.t_s))
        assert np.nanmax(motion[max(0, i - 5) : i + 5]) > 2 * holding_still, f"warning at {w.t_s}s while still"
    assert result.summary["gentleness"] == "abrupt"


@pytest.fixture(scope="module")
def composed(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("motion")
    hold = pingpong(FOLD, 2.5, 8.0, 6.0)
    cases = {
        "normal": [Piece(FOLD, 0.0, 0.5), Piece(FOLD, 0.5, 2.5), *hold],
        "fast_entry": [Piece(FOLD, 0.0, 0.5), Piece(FOLD, 0.5, 2.5, speed=4.5), *hold],
        "bounce": [
            Piece(FOLD, 0.0, 0.5),
            Piece(FOLD, 0.5, 2.2),
            *[p for _ in range(4) for p in (Piece(FOLD, 2.2, 1.4, speed=3), Piece(FOLD, 1.4, 2.2, speed=3))],
            *hold,
        ],
    }
    return {k: formcheck.analyze_video(compose(v, out / f"{k}.mp4").path) for k, v in cases.items()}


def test_normal_speed_fold_is_quiet(composed) -> None:
    assert motion_warnings(composed["normal"], {}) == []


def test_fold_entered_at_4_5x_speed_is_jerky_at_the_entry(composed) -> None:
    found = motion_warnings(composed["fast_entry"], {})
    assert [w.kind for w in found] == ["jerky_motion"]
    entry_end = 0.5 + 2.0 / 4.5
    assert 0.5 <= found[0].t_s <= entry_end + 0.5


def test_oscillating_over_the_entry_is_bouncing_in_that_window(composed) -> None:
    found = motion_warnings(composed["bounce"], {})
    bounce = [w for w in found if w.kind == "bouncing"]
    oscillation = (2.2, 2.2 + 8 * 0.8 / 3)
    assert len(bounce) == 1 and oscillation[0] <= bounce[0].t_s <= oscillation[1] + 0.5
    (hold,) = composed["bounce"].holds
    assert bounce[0] in hold.warnings
    assert hold.steadiness_deg > composed["normal"].holds[0].steadiness_deg
