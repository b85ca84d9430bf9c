"""Every labelled photo of ../shared/photos, played as a 10 s still clip at 5 fps through the real model.

A `hold` photo must be recognised as its stretch (and variant) from within about a second to the
end, a `none` photo must give no hold, an `any` photo no other stretch; and since nothing moves in
a photo, no motion warning may be reported on any of them.
"""

from __future__ import annotations

import json

import pytest

import formcheck
from formcheck.evaluation import score_photo
from tests.conftest import SHARED
from tests.helpers.stills import still_clip

pytestmark = pytest.mark.usefixtures("require_shared")  # real people: the shared clips

LABELS = sorted((SHARED / "photos" / "labels").glob("*.json")) if (SHARED / "photos").is_dir() else []


@pytest.mark.parametrize("label_path", LABELS, ids=[p.stem for p in LABELS])
def test_photo_as_still_clip(label_path, require_shared, tmp_path) -> None:
    label = json.loads(label_path.read_text())
    clip = still_clip(SHARED / "photos" / label["image"], tmp_path / "still.mp4")
    result = formcheck.analyze_video(clip)
    assert result.frames.total == 50
    problems = score_photo(result, label)
    assert not problems, f"{label['notes']}: {problems}; holds={result.holds}; warnings={result.warnings}"


def test_a_photo_can_be_analysed_directly(require_shared) -> None:
    """`formcheck analyze photo.jpg` plays the photo as the same still clip, without encoding it."""
    result = formcheck.analyze_video(SHARED / "photos" / "k2c_double_side.jpg")
    assert result.frames.total == 50 and result.source.duration_s == 10.0
    assert [(h.stretch, h.variant) for h in result.holds] == [("knee_to_chest", "double")]


def test_the_photo_set_is_there(require_shared) -> None:
    assert len(LABELS) >= 37, "expected the 37 labelled photos of ../shared/photos"
