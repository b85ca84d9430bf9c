from formcheck.evaluation import possible_verdicts, score_holds
from formcheck.types import FrameCounts, Hold, SessionResult, SourceInfo

LABEL = {
    "holds": [
        {
            "stretch": "knee_to_chest",
            "variant": "single",
            "side": "right",
            "start_s": [3.0, 4.0],
            "end_s": [9.0, 10.0],
            "open_at_end": True,
        }
    ]
}


def _result(*holds: Hold) -> SessionResult:
    return SessionResult(SourceInfo("x", 10.0, 30, 300, 640, 480), list(holds), [], FrameCounts())


def _hold(side="right", start=3.5, end=10.0, open_=True, stretch="knee_to_chest") -> Hold:
    return Hold(stretch, "single", side, 1, start, end, end - start, "too_short", open_, 110.0)


def test_exact_match_passes() -> None:
    assert score_holds(_result(_hold()), LABEL).passed


def test_wrong_side_missing_and_extra_fail() -> None:
    s = score_holds(_result(_hold(side="left")), LABEL)
    assert not s.passed and "not found" in s.describe()[0]
    assert len(s.extra) == 1


def test_start_outside_range_reports_the_error() -> None:
    s = score_holds(_result(_hold(start=2.0)), LABEL)
    assert not s.passed and s.matched[0].start_error_s == 1.0


def test_short_extra_holds_are_ignored() -> None:
    short = _hold(stretch="forward_bend", side=None, start=0.0, end=2.0, open_=False)
    assert score_holds(_result(_hold(), short), LABEL).passed


def test_possible_verdicts_straddling_a_limit() -> None:
    lab = {"start_s": [0, 2], "end_s": [20, 23]}
    assert possible_verdicts(lab, (20, 30)) == {"too_short", "in_range"}
