"""The real model on every shared clip, checked against the hand-made labels."""

from __future__ import annotations

import jsonschema
import pytest

from formcheck.evaluation import score_holds
from formcheck.report.json_report import schema
from tests.conftest import CLIPS, label

pytestmark = pytest.mark.usefixtures("require_shared")  # real people: the shared clips


@pytest.mark.parametrize("name", CLIPS)
def test_holds_match_labels(clip_result, name: str) -> None:
    result, _ = clip_result(name)
    lab = label(name)
    score = score_holds(result, lab)
    assert score.passed, f"{name}: " + "; ".join(score.describe())
    assert len([h for h in result.holds if h.duration_s >= 3.0]) == len(lab["holds"])


@pytest.mark.parametrize("name", CLIPS)
def test_report_metadata_and_schema(clip_result, name: str) -> None:
    result, _ = clip_result(name)
    lab = label(name)
    assert result.source.duration_s == pytest.approx(lab["duration_s"], abs=0.1)
    assert result.source.fps == pytest.approx(lab["fps"], rel=0.01)
    assert result.frames.total == result.source.frames > 0
    assert result.frames.with_person + result.frames.rejected <= result.frames.total
    jsonschema.validate(result.to_dict(), schema())


def test_no_person_clip_has_no_person_frames(clip_result) -> None:
    result, _ = clip_result("no_person_cockatoo")
    assert result.frames.with_person == 0
    assert result.frames.rejected > 0.15 * result.frames.total  # the model did return spurious poses
    assert result.holds == []


@pytest.mark.parametrize("name", ["forward_fold_standing", "knee_to_chest_generated", "squats"])
def test_track_reanalysis_matches_video(clip_result, name: str) -> None:
    import formcheck

    result, track = clip_result(name)
    again = formcheck.analyze_track(track)
    assert [(h.stretch, h.side, h.start_s, h.end_s) for h in again.holds] == [
        (h.stretch, h.side, h.start_s, h.end_s) for h in result.holds
    ]
    assert again.frames.total == result.frames.total
    assert again.frames.with_person == result.frames.with_person
