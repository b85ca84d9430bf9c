import numpy as np
import pytest

from formcheck.geometry import angle_at, flexion, inclination_from_up


@pytest.mark.parametrize("deg", [0.0, 1e-6, 30.0, 90.0, 179.999, 180.0])
def test_angle_is_stable_across_the_whole_range(deg: float) -> None:
    r = np.radians(deg)
    a, b, c = np.array([1.0, 0.0]), np.zeros(2), np.array([np.cos(r), np.sin(r)])
    assert angle_at(a, b, c) == pytest.approx(deg, abs=1e-6)
    assert angle_at(np.r_[a, 0], np.zeros(3), np.r_[c, 0]) == pytest.approx(deg, abs=1e-6)


def test_flexion_zero_for_straight_limb() -> None:
    assert flexion(np.array([0, -1.0]), np.zeros(2), np.array([0, 1.0])) == pytest.approx(0.0)


def test_inclination_has_no_wraparound() -> None:
    assert inclination_from_up(np.array([0.0, -1.0])) == pytest.approx(0.0)
    assert inclination_from_up(np.array([1.0, 0.0])) == pytest.approx(90.0)
    assert inclination_from_up(np.array([-1.0, 0.0])) == pytest.approx(90.0)
    assert inclination_from_up(np.array([1e-9, 1.0])) == pytest.approx(180.0)


def test_the_grown_box_grows_by_its_larger_side_and_stays_in_the_picture() -> None:
    from formcheck.geometry import grown_box

    lm = np.zeros((33, 5), np.float32)
    lm[:, :2] = [[0.4, 0.3], [0.6, 0.7]] * 16 + [[0.5, 0.5]]
    x0, y0, x1, y1 = grown_box(lm, 0.25)  # larger side 0.4: grown by 0.1 all round
    assert (x0, y0, x1, y1) == pytest.approx((0.3, 0.2, 0.7, 0.8))
    lm[0, :2] = [0.95, 0.02]  # near the top right corner: larger side 0.68, clipped to the picture
    assert grown_box(lm, 0.25) == pytest.approx((0.23, 0.0, 1.0, 0.87))
    assert grown_box(None, 0.25) is None
    assert grown_box(np.full((33, 5), np.nan, np.float32), 0.25) is None
