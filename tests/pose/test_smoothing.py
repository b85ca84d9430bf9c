import numpy as np

from formcheck.pose.smoothing import OneEuroConfig, OneEuroFilter


def _run(signal: np.ndarray, t: np.ndarray, cfg: OneEuroConfig | None = None, scale: float = 1.0) -> np.ndarray:
    f = OneEuroFilter(cfg)
    return np.array([f.update(np.array([x]), ti, scale=scale)[0] for x, ti in zip(signal, t, strict=True)])


def test_reduces_noise_on_a_still_signal() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(0, 10, 1 / 30)
    noisy = 0.5 + rng.normal(0, 0.003, len(t))  # landmark jitter measured on the shared clips, in body sizes
    out = _run(noisy, t)
    assert np.std(out[60:]) < 0.5 * np.std(noisy[60:])  # at least half the jitter of a held pose removed
    assert abs(np.mean(out[60:]) - 0.5) < 0.005  # without bias


def test_follows_a_step_quickly() -> None:
    t = np.arange(0, 4, 1 / 30)
    step = np.where(t < 1.0, 0.0, 1.0)
    out = _run(step, t)
    after = t >= 1.0
    reached = t[after][np.argmax(out[after] > 0.9)]
    assert reached - 1.0 < 0.25  # a fast move is tracked within a quarter second (beta at work)
    assert abs(out[-1] - 1.0) < 0.01


def test_slower_cutoff_without_speed_adaptation_lags() -> None:
    t = np.arange(0, 4, 1 / 30)
    step = np.where(t < 1.0, 0.0, 1.0)
    adaptive = _run(step, t)
    fixed = _run(step, t, OneEuroConfig(beta=0.0))
    i = np.searchsorted(t, 1.2)
    assert adaptive[i] > fixed[i] + 0.3


def test_body_size_scaling_makes_beta_scale_free() -> None:
    t = np.arange(0, 3, 1 / 30)
    step = np.where(t < 1.0, 0.0, 1.0)
    small = _run(step * 10, t, scale=10.0) / 10
    large = _run(step * 500, t, scale=500.0) / 500
    np.testing.assert_allclose(small, large, atol=1e-9)


def test_gap_resets_instead_of_smearing_across_it() -> None:
    f = OneEuroFilter()
    f.update(np.array([0.0]), 0.0)
    f.update(np.array([0.0]), 0.033)
    out = f.update(np.array([5.0]), 3.0)  # person back after 3 s somewhere else
    assert out[0] == 5.0


def test_uneven_timestamps_are_handled() -> None:
    rng = np.random.default_rng(2)
    t = np.cumsum(rng.uniform(0.02, 0.06, 200))
    out = _run(np.sin(t), t)
    assert np.all(np.isfinite(out))
    assert np.max(np.abs(out[50:] - np.sin(t[50:]))) < 0.2
