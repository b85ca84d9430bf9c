"""The people check's "has anything changed outside the user?" test, on pictures as a camera gives
them (textured room, sensor noise, JPEG): the user moving, sensor noise and dim light leave the
scene unchanged; someone walking in at the side, or the lights going on, do not."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from formcheck.pose.scene import scene, unchanged
from tests.pose.test_stillness import _frame, _landmarks, _room


def _rgb(bgr: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def _shot(room: np.ndarray, rng: np.random.Generator, **kw: float) -> np.ndarray:
    """The scene copy of one camera frame of the room (`_frame`'s arguments)."""
    return scene(_rgb(_frame(room, rng, **kw)))


def _start(seed: int) -> tuple[np.random.Generator, np.ndarray, np.ndarray]:
    """A room with the user in it, and the scene copy of a first frame."""
    rng = np.random.default_rng(seed)
    room = _room(rng)
    return rng, room, _shot(room, rng)


def _visitor(bgr: np.ndarray, x: int, rng: np.random.Generator) -> np.ndarray:
    """A second person, a darker figure, standing at column `x` (noise and JPEG again)."""
    img = bgr.astype(np.float32)
    cv2.rectangle(img, (x, 90), (x + 60, 300), (40, 45, 60), -1)
    cv2.circle(img, (x + 30, 70), 20, (90, 110, 150), -1)
    img += rng.normal(0, 3.0, img.shape)
    ok, jpg = cv2.imencode(".jpg", np.clip(img, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return cv2.imdecode(jpg, cv2.IMREAD_COLOR)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_user_moving_and_sensor_noise_leave_the_scene_unchanged(seed: int) -> None:
    rng, room, before = _start(seed)
    lm = _landmarks()
    for arm, dy in ((0.0, 0), (30.0, -10), (-20.0, 8)):  # reaching, rising a little
        assert unchanged(before, _shot(room, rng, arm_dx=arm, body_dy=dy), lm, lm)
    for gain, sigma in ((1.0, 7.0), (1.0, 2.0)):  # grainier or cleaner frames
        assert unchanged(before, _shot(room, rng, gain=gain, sigma=sigma), lm, lm)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_someone_coming_in_or_the_light_changing_is_a_change(seed: int) -> None:
    rng, room, before = _start(seed)
    lm = _landmarks()
    for x in (20, 120, 480, 560):  # beside the user, left or right, near or at the edge
        assert not unchanged(before, scene(_rgb(_visitor(_frame(room, rng), x, rng))), lm, lm), x
    assert not unchanged(before, _shot(room, rng, gain=1.4), lm, lm)  # a lamp switched on


def test_with_nobody_tracked_the_whole_frame_counts() -> None:
    rng, room, before = _start(5)
    assert unchanged(before, _shot(room, rng), None, None)
    # the user's own reach is a change when there is no box to leave out
    assert not unchanged(before, _shot(room, rng, body_dx=120), None, None)
