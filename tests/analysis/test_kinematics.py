import numpy as np
import pytest

from formcheck.analysis.kinematics import RateEstimator


def test_rate_uses_real_time_not_frames() -> None:
    rng = np.random.default_rng(0)
    t = np.cumsum(rng.uniform(0.01, 0.08, 100))  # variable frame rate
    est = RateEstimator()
    rates = [est.update(ti, 30.0 * ti) for ti in t]
    assert all(r == pytest.approx(30.0) for r in rates[10:])


def test_gap_is_not_read_as_a_fast_move() -> None:
    est = RateEstimator(max_gap_s=0.5)
    for i in range(10):
        est.update(i / 30, 10.0)
    assert est.update(2.0, 90.0) is None  # after the gap: unknown, not 80 deg in one step
