"""Adaptive sampling's scheduling, on realistic landmark sequences (noise, jitter, dropouts) played
as 60 fps video: each frame once and in order, each landmarker forward in time only, the model
on every grid frame while the body moves and sparse while it is still. Same answers as the
model on every frame: tests/integration/test_adaptive.py, on real clips."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.pose.adaptive import AdaptiveSampler, SamplingConfig
from formcheck.sources.frame import Frame, on_grid
from formcheck.types import PoseFrame
from tests.helpers.synth import FOLD, STAND, sequence

FPS = 60.0
# stand 2 s, fold in over 2 s, hold 12 s, come up over 2 s, stand 3 s
KEYS = [(0.0, STAND), (2.0, STAND), (4.0, FOLD), (16.0, FOLD), (18.0, STAND), (21.0, STAND)]
MOVING = [(2.0, 4.0), (16.0, 18.0)]
PIXELS = np.zeros((4, 4, 3), np.uint8)


class FakeLandmarker:
    """Gives the pose recorded for a frame's time; refuses to go back in time, as VIDEO mode does."""

    def __init__(self, poses: dict[int, PoseFrame]) -> None:
        self.poses, self.seen, self.forgot = poses, [], 0

    def __call__(self, frame: Frame) -> PoseFrame:
        assert not self.seen or frame.t_s > self.seen[-1], "VIDEO mode needs increasing timestamps"
        assert frame.bgr is not None
        self.seen.append(frame.t_s)
        return self.poses[frame.index]

    def forget(self) -> None:
        self.forgot += 1


def _run(seed: int = 0, pixels_every: int = 1, busy=None, dropouts=()):
    # World-landmark noise of 6 mm: between poses 0.3 s apart in a hold the hip/knee angles then
    # change by 1.6 deg median, 3.4 at the 90th percentile, 4.8 at the 99th: as the real model's
    # do on the shared clips (adaptive.py).
    poses = sequence(KEYS, fps=FPS, seed=seed, fps_jitter=0.1, dropouts=dropouts, world_noise=0.006)
    by_index = dict(enumerate(poses))
    frames = [Frame(i, p.t_s, PIXELS if i % pixels_every == 0 else None) for i, p in enumerate(poses)]
    lms = (FakeLandmarker(by_index), FakeLandmarker(by_index))
    sampler = AdaptiveSampler(lms, SamplingConfig(), busy)
    samples = list(sampler.run(frames))
    return frames, samples, lms, sampler


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_frame_once_in_order_and_each_landmarker_forward_only(seed: int) -> None:
    frames, samples, lms, sampler = _run(seed)
    assert [s.frame.index for s in samples] == [f.index for f in frames]
    assert all(np.all(np.diff(lm.seen) > 0) for lm in lms)  # also asserted on every call
    assert sampler.model_frames == sum(len(lm.seen) for lm in lms)
    assert sampler.frames == len(frames)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dense_on_the_grid_while_moving_sparse_while_still(seed: int) -> None:
    _, samples, _, sampler = _run(seed)
    times = np.array([s.frame.t_s for s in samples])
    analysed = np.array([s.pose is not None for s in samples])
    cfg = sampler.config
    for lo, hi in MOVING:  # every grid step (0.05 s) has a pose while the body moves measurably
        t = times[analysed & (times >= lo + 0.5) & (times <= hi - 0.5)]
        assert np.max(np.diff(t)) <= cfg.dense_step_s + 1.5 / FPS, (lo, hi)
    # well inside the hold: sparse. A 99th-percentile jitter now and then looks like a change and
    # costs ~1 s of dense frames (20): allow three such in 10 s (every frame would be 600).
    hold = analysed & (times > 5.5) & (times < 15.5)
    assert hold.sum() <= 10.0 / cfg.max_step_s + 3 * 20
    assert sampler.model_frames < 0.35 * len(samples)


def test_the_release_is_timed_as_at_full_rate() -> None:
    """The change is seen by a sparse look up to max_step_s late: the frames since the previous
    look are analysed too, so the first pose of the release is within a grid step of its start."""
    _, samples, _, sampler = _run(3)
    analysed = [s.frame.t_s for s in samples if s.pose is not None]
    first_moving = next(t for t in analysed if t >= 16.0)
    assert first_moving - 16.0 <= sampler.config.dense_step_s + 1.5 / FPS


def test_frames_without_pixels_never_reach_the_model() -> None:
    frames, samples, lms, _ = _run(4, pixels_every=3)
    seen = {t for lm in lms for t in lm.seen}
    assert seen <= {f.t_s for f in frames if f.bgr is not None}
    assert [s.frame.index for s in samples] == [f.index for f in frames]


def test_while_the_analysis_decides_every_grid_frame_is_analysed() -> None:
    _, samples, _, sampler = _run(5, busy=lambda: True)
    times = np.array([s.frame.t_s for s in samples if s.pose is not None])
    assert np.max(np.diff(times)) <= sampler.config.dense_step_s + 1.5 / FPS


def test_dropouts_in_a_hold_are_seen() -> None:
    """The person leaves the picture for 1 s in the middle of the hold: someone leaving is a change."""
    _, samples, _, _ = _run(6, dropouts=((9.0, 10.0),))
    analysed = [s for s in samples if s.pose is not None]
    gone = [s.frame.t_s for s in analysed if s.pose.landmarks is None]
    assert gone and min(gone) - 9.0 <= 0.1 and 10.0 - max(gone) <= 0.1


def test_grid_takes_every_third_frame_at_60_fps_and_every_frame_at_30() -> None:
    for fps, every in ((60.0, 3), (30.0, 1), (25.0, 1), (120.0, 6)):
        last, kept = None, []
        for i in range(60):
            t = i / fps
            if on_grid(t, last, 1 / fps, 0.05):
                last = t
                kept.append(i)
        assert np.all(np.diff(kept) == every), fps
