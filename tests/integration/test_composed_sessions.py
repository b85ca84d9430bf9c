"""Longer sessions composed from the shared clips, with ground truth mapped frame by frame."""

from __future__ import annotations

from pathlib import Path

import pytest

import formcheck
from formcheck.evaluation import possible_verdicts, score_holds
from tests.helpers.compose import Piece, compose, hold_then_release, pingpong

pytestmark = pytest.mark.usefixtures("require_shared")  # real people: the shared clips

K2C = "knee_to_chest_generated"
FOLD = "forward_fold_standing"


def _analyze(pieces: list[Piece], path: Path):
    comp = compose(pieces, path)
    result = formcheck.analyze_video(path)
    truth = comp.truth()
    score = score_holds(result, {"holds": truth}, clip_end_s=comp.duration_s)
    assert score.passed, "; ".join(score.describe()) + f"\ntruth={truth}\ngot={result.holds}"
    return result, truth


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("composed")


def test_knee_to_chest_25s_is_in_range(out_dir: Path) -> None:
    result, truth = _analyze(hold_then_release(K2C, 0.8, 4.75, 9.2, 22.0), out_dir / "k2c_25s.mp4")
    assert possible_verdicts(truth[0], result.target_hold_s) == {"in_range"}  # the composition is unambiguous
    (hold,) = result.holds
    assert (hold.stretch, hold.side, hold.verdict, hold.open_at_end) == ("knee_to_chest", "right", "in_range", False)


def test_forward_bend_over_30s_is_too_long(out_dir: Path) -> None:
    result, truth = _analyze(hold_then_release(FOLD, 0.3, 2.5, 21.8, 36.0), out_dir / "fold_36s.mp4")
    assert possible_verdicts(truth[0], result.target_hold_s) == {"too_long"}
    (hold,) = result.holds
    assert (hold.stretch, hold.variant, hold.verdict) == ("forward_bend", "standing", "too_long")


def test_two_reps_per_side_and_sides_told_apart(out_dir: Path) -> None:
    rest = pingpong(K2C, 0.8, 2.0, 3.0)
    pieces = [
        *hold_then_release(K2C, 0.8, 4.75, 9.2, 6.0),
        *rest,
        *hold_then_release(K2C, 0.8, 4.75, 9.2, 6.0),
        *rest,
        *hold_then_release(K2C, 0.8, 4.75, 9.2, 6.0, flip=True),
    ]
    result, _ = _analyze(pieces, out_dir / "k2c_reps.mp4")
    got = [(h.side, h.rep) for h in result.holds]
    assert got == [("right", 1), ("right", 2), ("left", 1)]
    assert all(h.verdict == "too_short" for h in result.holds)
