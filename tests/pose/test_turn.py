"""Turned looks (pose/turn.py): landmarks found in a turned frame come back where they are upright."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.pose.turn import Turn, TurnConfig, turned, upright


@pytest.mark.parametrize("k", [1, 3])
def test_a_point_found_in_the_turned_frame_maps_back_to_where_it_is(k: int) -> None:
    h, w = 40, 60
    rgb = np.zeros((h, w, 3), np.uint8)
    points = [(10, 5), (50, 30), (3, 37)]
    for x, y in points:
        rgb[y, x] = 255
        t = turned(rgb, k)
        ys, xs = np.nonzero(t[:, :, 0])
        th, tw = t.shape[:2]
        # where the model would report it in the turned frame (pixel centres, normalised)
        img = np.zeros((33, 5), np.float32)
        img[:, 0], img[:, 1] = (xs[0] + 0.5) / tw, (ys[0] + 0.5) / th
        world = np.zeros((33, 3), np.float32)
        back, _ = upright(img, world, k)
        assert back[0, 0] == pytest.approx((x + 0.5) / w, abs=1e-6)
        assert back[0, 1] == pytest.approx((y + 0.5) / h, abs=1e-6)
        rgb[y, x] = 0


@pytest.mark.parametrize("k", [1, 3])
def test_world_directions_turn_with_the_picture(k: int) -> None:
    # a body lying along the picture's x axis in the turned frame is upright in the upright one:
    # the turned frame's image step and world step must map back the same way
    img = np.zeros((33, 5), np.float32)
    world = np.zeros((33, 3), np.float32)
    img[1, :2] = (0.6, 0.5)  # one point a step along x' from point 0 at (0.5, 0.5)
    img[0, :2] = (0.5, 0.5)
    world[1, 0] = 0.1  # the same step in world metres
    back_img, back_world = upright(img, world, k)
    step_img = back_img[1, :2] - back_img[0, :2]
    step_world = back_world[1, :2] - back_world[0, :2]
    assert np.allclose(step_img / np.linalg.norm(step_img), step_world / np.linalg.norm(step_world), atol=1e-6)


def test_a_turn_is_tried_once_a_second_and_given_up_when_the_person_is_lost() -> None:
    turn = Turn(TurnConfig(search_every_s=1.0, lost_s=1.0))
    assert turn.should_search(0.0) and not turn.should_search(0.5) and turn.should_search(1.0)
    turn.take(1.0, 1)
    assert turn.k == 1 and not turn.should_search(3.0)  # turned: no more searching
    turn.update(1.5, found=True)
    turn.update(2.4, found=False)
    assert turn.k == 1  # lost for under a second: still turned
    turn.update(2.6, found=False)
    assert turn.k == 0
    assert not Turn(enabled=False).should_search(0.0)
