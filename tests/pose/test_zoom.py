"""The zoom region: mapping back to the frame, when it engages, and its hysteresis."""

import numpy as np
import pytest

from formcheck.pose.zoom import Roi, Zoom, tiles
from tests.helpers.synth import STAND, world_landmarks


def _person(cx: float, cy: float, size: float, rng: np.random.Generator) -> np.ndarray:
    """A standing person `size` of the frame height tall (normalised landmarks), with jitter."""
    w = world_landmarks(STAND)  # metres, about 1.7 m from head to ankle
    h = np.ptp(w[:, 1])
    lm = np.zeros((33, 5), np.float32)
    lm[:, 0] = cx + (w[:, 0] * size / h) * 360 / 640 + rng.normal(0, 0.002, 33)
    lm[:, 1] = cy + (w[:, 1] - w[:, 1].mean()) * size / h + rng.normal(0, 0.002, 33)
    return lm


def test_roi_maps_crop_landmarks_back_to_the_frame() -> None:
    roi = Roi(100, 50, 300, 250)
    lm = np.array([[0.0, 0.0, 0.1, 1, 1], [1.0, 1.0, -0.2, 1, 1], [0.5, 0.25, 0.0, 1, 1]], np.float32)
    out = roi.to_frame(lm, 640, 360)
    assert out[0, :2] == pytest.approx([100 / 640, 50 / 360])
    assert out[1, :2] == pytest.approx([300 / 640, 250 / 360])
    assert out[2, :2] == pytest.approx([200 / 640, 100 / 360])
    assert out[1, 2] == pytest.approx(-0.2 * 200 / 640)


def test_tiles_cover_the_frame() -> None:
    cover = np.zeros((360, 640), bool)
    for t in tiles(640, 360):
        cover[t.y0 : t.y1, t.x0 : t.x1] = True
        assert (t.x1 - t.x0, t.y1 - t.y0) == (427, 240)
    assert cover.all()


def test_zoom_engages_for_a_small_person_and_stays_steady_while_they_jitter() -> None:
    rng = np.random.default_rng(0)
    z = Zoom(640, 360)
    z.update(0.0, _person(0.5, 0.6, 0.33, rng))
    assert z.roi is not None
    first = z.roi
    changes = 0
    for i in range(1, 50):
        before = z.roi
        z.update(i / 30, _person(0.5 + rng.normal(0, 0.003), 0.6 + rng.normal(0, 0.003), 0.33, rng))
        changes += z.roi != before
    assert changes <= 2, "a still person must not make the crop jump"
    assert z.roi is not None and abs(z.roi.x0 - first.x0) < 40


def test_no_zoom_for_a_person_filling_the_frame_and_give_up_after_loss() -> None:
    rng = np.random.default_rng(1)
    z = Zoom(640, 360)
    z.update(0.0, _person(0.5, 0.5, 0.9, rng))
    assert z.roi is None
    z.update(0.1, _person(0.5, 0.6, 0.3, rng))
    assert z.roi is not None
    z.update(0.5, None)
    assert z.roi is not None  # brief loss: keep looking there
    z.update(1.5, None)
    assert z.roi is None and z.should_search(1.6)
    assert not z.should_search(1.7)  # at most once a second
