import numpy as np

from formcheck.analysis.smoothness import ldlj


def _min_jerk(t: np.ndarray, duration: float, amplitude: float) -> np.ndarray:
    s = np.clip(t / duration, 0, 1)
    return amplitude * (10 * s**3 - 15 * s**4 + 6 * s**5)


def test_minimum_jerk_is_smoother_than_the_same_move_with_a_bounce() -> None:
    t = np.arange(0, 1.5, 1 / 30)
    clean = _min_jerk(t, 1.5, 120.0)
    bouncy = clean + 6.0 * np.sin(2 * np.pi * 2.0 * t)
    assert ldlj(t, clean) > ldlj(t, bouncy) + 1.0


def test_ldlj_is_scale_and_speed_free_for_the_same_shape() -> None:
    for duration, amp in ((1.0, 60.0), (3.0, 150.0)):
        t = np.arange(0, duration, 1 / 30)
        assert (
            abs(
                ldlj(t, _min_jerk(t, duration, amp))
                - ldlj(np.arange(0, 1.5, 1 / 30), _min_jerk(np.arange(0, 1.5, 1 / 30), 1.5, 100.0))
            )
            < 0.5
        )


def test_too_short_or_still_gives_none() -> None:
    assert ldlj(np.array([0.0, 0.03]), np.array([1.0, 2.0])) is None
    t = np.arange(0, 1, 1 / 30)
    assert ldlj(t, np.full_like(t, 90.0)) is None
