"""Every labelled photo of ../shared/photos, and a fixed sample of ../shared/photos-yoga, filmed as a
webcam would film them (sensor noise, exposure flicker, H.264) and analysed on every frame.

A `hold` photo must be recognised as its stretch (and variant) from within about a second to the
end, a `none` photo must give no hold, an `any` photo no other stretch; and since nothing moves in
a photo, no motion warning may be reported at any frame rate. Each photo runs at 5 fps for 10 s
(a slow webcam or a GIF's rate) and at 30 fps for 4 s (a webcam's rate: six times as many model
readings of the same picture per second, the hardest case for the motion rules).
"""

from __future__ import annotations

import json

import pytest

import formcheck
from formcheck.evaluation import relabel_for_duration, score_photo
from tests.conftest import SHARED
from tests.helpers.stills import recorded_still

pytestmark = pytest.mark.usefixtures("require_shared")  # real people: the shared photos


def _labels(folder: str) -> list:
    root = SHARED / folder / "labels"
    return sorted(root.glob("*.json")) if root.is_dir() else []


PHOTOS = _labels("photos")
# A fixed sample of the 179 yoga photos for CI (bench/photos.py runs them all): every ninth file
# of the sorted list, which takes every class (seated, wide and standing folds and each look-alike).
YOGA_SAMPLE = _labels("photos-yoga")[::9]
RATES = [(5.0, 10.0), (30.0, 4.0)]


def _check(label_path, folder: str, fps: float, seconds: float, tmp_path, model_misses_ok: bool = False) -> None:
    label = json.loads(label_path.read_text())
    clip = recorded_still(SHARED / folder / label["image"], tmp_path / "still.mp4", fps=fps, seconds=seconds)
    result = formcheck.analyze_video(clip, every_frame=True)
    assert result.frames.total == round(fps * seconds)
    problems = score_photo(result, relabel_for_duration(label, seconds))
    missed = result.frames.with_person < result.frames.total / 2
    front = any(n.kind == "camera_view" for n in result.notices)  # formcheck asked to turn sideways
    if problems and model_misses_ok and label["expect"] == "hold" and (missed or front):
        # no rule recognises a person the model does not find (`formcheck explain`: "nobody was
        # seen"), and from the front the model's depth reading of a fold flips from frame to frame,
        # which formcheck tells the user; bench/photos.py counts these. A look-alike is never excused.
        seen = f"a person on {result.frames.with_person}/{result.frames.total} frames"
        pytest.xfail(f"front view, formcheck asked to turn sideways ({seen})" if front else f"the model found {seen}")
    assert not problems, f"{label['notes']}: {problems}; holds={result.holds}; warnings={result.warnings}"


@pytest.mark.parametrize(("fps", "seconds"), RATES, ids=["5fps", "30fps"])
@pytest.mark.parametrize("label_path", PHOTOS, ids=[p.stem for p in PHOTOS])
def test_photo_recorded_as_a_still_clip(label_path, fps, seconds, tmp_path) -> None:
    _check(label_path, "photos", fps, seconds, tmp_path)


@pytest.mark.parametrize("label_path", YOGA_SAMPLE, ids=[p.stem for p in YOGA_SAMPLE])
def test_yoga_sample_recorded_as_a_still_clip(label_path, tmp_path) -> None:
    _check(label_path, "photos-yoga", 5.0, 10.0, tmp_path, model_misses_ok=True)


def test_the_yoga_sample_covers_every_class(require_shared) -> None:
    def pose_name(p) -> str:  # the file names say the pose: b_uttanasana_00e86de9c5 -> b_uttanasana
        return p.stem.rsplit("_", 1)[0]

    assert len(YOGA_SAMPLE) >= 18
    assert {pose_name(p) for p in YOGA_SAMPLE} == {pose_name(p) for p in _labels("photos-yoga")}


def test_a_photo_can_be_analysed_directly(require_shared) -> None:
    """`formcheck analyze photo.jpg` plays the photo as a still clip of identical frames."""
    result = formcheck.analyze_video(SHARED / "photos" / "k2c_double_side.jpg")
    assert result.frames.total == 50 and result.source.duration_s == 10.0
    assert [(h.stretch, h.variant) for h in result.holds] == [("knee_to_chest", "double")]


def test_the_photo_sets_are_there(require_shared) -> None:
    assert len(PHOTOS) >= 54, "expected the 54 labelled photos of ../shared/photos"
    assert len(_labels("photos-yoga")) >= 179
