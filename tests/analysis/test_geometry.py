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
