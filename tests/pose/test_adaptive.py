"""Adaptive sampling's scheduling, on realistic landmark sequences (noise, jitter, dropouts) played
as 60 fps video whose pictures are the skeleton drawn over a noisy background: each frame once and
in order, the landmarker forward in time only, the model on every grid frame while the body moves,
and while it is still only when the pixels move or every `max_still_s`. Same answers as the model on
every frame: tests/integration/test_adaptive.py, on real clips."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from formcheck.pose.adaptive import AdaptiveSampler, SamplingConfig
from formcheck.skeleton import CONNECTIONS
from formcheck.sources.frame import Frame, on_grid
from formcheck.types import PoseFrame
from tests.helpers.synth import FOLD, STAND, sequence

FPS = 60.0
# stand 2 s, fold in over 2 s, hold 12 s, come up over 2 s, stand 3 s
KEYS = [(0.0, STAND), (2.0, STAND), (4.0, FOLD), (16.0, FOLD), (18.0, STAND), (21.0, STAND)]
MOVING = [(2.0, 4.0), (16.0, 18.0)]
SIZE = (320, 180)


class FakeLandmarker:
    """Gives the pose recorded for a frame's time. It refuses to go back in time, as VIDEO mode
    does, unless told to `rewind` first (a look back), and then only to the last look's frame."""

    def __init__(self, poses: dict[int, PoseFrame]) -> None:
        self.poses, self.seen = poses, []
        self.track: list[float] = []  # times since the last rewind
        self.rewinds = 0
        self.rewound = False
        self.prepared: list[float] = []

    def __call__(self, frame: Frame) -> PoseFrame:
        if self.rewound:  # the last look's frame: not seen since the last look
            assert frame.t_s < self.track[-1] and frame.t_s in self.seen
            self.track, self.rewound = [], False
        elif self.track and frame.t_s == self.track[-1] and len(self.track) == 1:
            self.seen.append(frame.t_s)  # the look back's first frame, shown again
            return self.poses[frame.index]
        assert not self.track or frame.t_s > self.track[-1], "VIDEO mode needs increasing timestamps"
        assert frame.bgr is not None
        self.seen.append(frame.t_s)
        self.track.append(frame.t_s)
        return self.poses[frame.index]

    def rewind(self) -> None:
        self.rewinds += 1
        self.rewound = True

    def prepare(self, frame: Frame) -> None:
        assert frame.bgr is not None, "only grid frames, with pixels, are made ready"
        self.prepared.append(frame.t_s)


_NOISE = np.random.default_rng(99).normal(0, 3.0, (24, SIZE[1], SIZE[0], 3)).astype(np.int16)


def picture(truth: PoseFrame | None, rng: np.random.Generator) -> np.ndarray:
    """The person as limbs 9 px thick (where they really are, not where the noisy model says) on a
    mid-grey wall, with the camera's sensor noise (sigma 3 grey levels, new every frame)."""
    w, h = SIZE
    img = np.full((h, w, 3), 110, np.int16)
    if truth is not None and truth.landmarks is not None:
        pts = (truth.landmarks[:, :2] * [w, h]).astype(np.int32)
        for a, b in CONNECTIONS:
            cv2.line(img, tuple(map(int, pts[a])), tuple(map(int, pts[b])), (40, 60, 200), 9)
    img += _NOISE[int(rng.integers(len(_NOISE)))]
    return np.clip(img, 0, 255).astype(np.uint8)


def _looked(s) -> bool:
    return s.pose is not None and not s.still


def _run(seed: int = 0, pixels_every: int = 1, busy=None, dropouts=(), gone=(), keys=KEYS, config=None):
    # World-landmark noise of 6 mm: between poses 0.3 s apart in a hold the hip/knee angles then
    # change by 1.6 deg median, 3.4 at the 90th percentile, 4.8 at the 99th: as the real model's
    # do on the shared clips (adaptive.py).
    poses = sequence(keys, fps=FPS, seed=seed, fps_jitter=0.1, dropouts=dropouts + gone, world_noise=0.006)
    truth = sequence(keys, fps=FPS, seed=seed, fps_jitter=0.1, dropouts=dropouts + gone, noise=0.0, world_noise=0.0)
    assert [p.t_s for p in truth] == [p.t_s for p in poses]
    for i in range(1, len(truth)):  # where the model lost a person who is still there, they are still drawn
        if truth[i].landmarks is None:
            truth[i] = truth[i - 1]
    rng = np.random.default_rng(seed)
    frames = []
    for i, p in enumerate(poses):
        away = any(lo <= p.t_s < hi for lo, hi in gone)  # the person left the picture
        pixels = picture(None if away else truth[i], rng) if i % pixels_every == 0 else None
        frames.append(Frame(i, p.t_s, pixels))
    lm = FakeLandmarker(dict(enumerate(poses)))
    sampler = AdaptiveSampler(lm, config or SamplingConfig(), busy)
    samples = list(sampler.run(frames))
    return frames, samples, lm, sampler


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_frame_once_in_order_and_the_landmarker_forward_only(seed: int) -> None:
    frames, samples, lm, sampler = _run(seed)
    assert [s.frame.index for s in samples] == [f.index for f in frames]
    assert np.all(np.diff(lm.track) > 0)  # also asserted on every call
    assert sampler.model_frames == len(lm.seen)
    assert sampler.frames == len(frames)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dense_on_the_grid_while_moving_sparse_while_still(seed: int) -> None:
    _, samples, _, sampler = _run(seed)
    times = np.array([s.frame.t_s for s in samples])
    analysed = np.array([_looked(s) for s in samples])
    cfg = sampler.config
    for lo, hi in MOVING:  # every grid step (0.05 s) has a pose while the body moves measurably
        t = times[analysed & (times >= lo + 0.5) & (times <= hi - 0.5)]
        assert np.max(np.diff(t)) <= cfg.dense_step_s + 1.5 / FPS, (lo, hi)
    # well inside the hold (10 s): one look a second, and the pixels of a still picture do not
    # move beyond the camera's noise (every grid frame would be 200, every frame 600)
    hold = analysed & (times > 5.5) & (times < 15.5)
    assert hold.sum() <= 10.0 / cfg.max_still_s + 2
    assert sampler.model_frames < 0.35 * len(samples)
    assert sampler.sampling_report()["pixel_noise_floor"] > 0


def test_the_release_is_followed_before_it_is_measurable() -> None:
    """The release (smooth-stepped over 2 s from 16 s) goes to the model from its first grid frame
    whose pixels moved: before the trunk has come up by the sampler's own threshold (7 deg of its
    125, 5.6 %, reached at 16.28 s). A first look that finds the pose barely changed counts as a
    false alarm (the threshold rises by `learn`), so the next may wait a few grid steps; from
    16.4 s (10 deg) on, every grid frame."""
    _, samples, _, sampler = _run(3)
    step = sampler.config.dense_step_s + 1.5 / FPS
    analysed = [s.frame.t_s for s in samples if _looked(s)]
    first_moving = next(t for t in analysed if t >= 16.0)
    assert first_moving <= 16.28
    following = np.array([t for t in analysed if first_moving <= t <= 17.0])
    assert np.max(np.diff(following)) <= 3 * step
    assert np.max(np.diff(following[following >= 16.4])) <= step
    assert sampler.ended_by_pixels >= 1


def test_a_quick_entry_the_pixels_missed_is_seen_at_full_rate_by_looking_back() -> None:
    """A fold entered in 0.4 s after 3 s of standing, with the pixel check blind (a threshold no
    picture reaches): only the periodic look sees the body changed, and the look back puts
    every grid frame of the entry before it through the model."""
    from formcheck.pose.stillness import StillnessConfig

    keys = [(0.0, STAND), (3.03, STAND), (3.43, FOLD), (8.0, FOLD)]
    blind = SamplingConfig(stillness=StillnessConfig(min_diff=1e9, max_diff=1e9))
    _, samples, lm, sampler = _run(9, keys=keys, config=blind)
    looked = np.array([s.frame.t_s for s in samples if _looked(s)])
    entry = looked[(looked >= 3.0) & (looked <= 3.5)]
    assert np.max(np.diff(entry)) <= sampler.config.dense_step_s + 1.5 / FPS
    assert lm.rewinds >= 1 and sampler.looked_back >= 10
    still = [s.frame.t_s for s in samples if s.still]
    assert not [t for t in still if 3.05 <= t <= 3.4]  # none of the entry interpolated
    assert np.all(np.diff(lm.track) > 0)


def test_frames_still_or_not_looked_at() -> None:
    """Grid frames skipped while still carry `still` and the looks around them interpolated;
    frames off the grid never do."""
    _, samples, _, _ = _run(7)
    grid_t = None
    for s in samples:
        on = on_grid(s.frame.t_s, grid_t, 1 / FPS, 0.05)
        grid_t = s.frame.t_s if on else grid_t
        if s.still:
            assert on and s.pose is not None  # the looks around it, interpolated
        if not on:
            assert not s.still and s.pose is None
    assert sum(s.still for s in samples) > 100


def test_frames_without_pixels_never_reach_the_model() -> None:
    frames, samples, lm, _ = _run(4, pixels_every=3)
    assert set(lm.seen) <= {f.t_s for f in frames if f.bgr is not None}
    assert [s.frame.index for s in samples] == [f.index for f in frames]


def test_while_the_analysis_decides_every_grid_frame_is_analysed() -> None:
    _, samples, _, sampler = _run(5, busy=lambda: True)
    times = np.array([s.frame.t_s for s in samples if _looked(s)])
    assert np.max(np.diff(times)) <= sampler.config.dense_step_s + 1.5 / FPS


def test_someone_leaving_the_picture_is_seen_at_once() -> None:
    """The person leaves the picture for 1 s in the middle of the hold: their pixels go."""
    _, samples, _, _ = _run(6, gone=((9.0, 10.0),))
    analysed = [s for s in samples if _looked(s)]
    gone = [s.frame.t_s for s in analysed if s.pose.landmarks is None]
    assert gone and min(gone) - 9.0 <= 0.1 and 10.0 - max(gone) <= 0.35


def test_a_model_dropout_on_a_still_picture_is_found_by_the_periodic_look() -> None:
    """The model loses a person who is still there (nothing moved): the periodic look finds it."""
    _, samples, _, sampler = _run(8, dropouts=((9.0, 11.0),))
    lost = [s.frame.t_s for s in samples if _looked(s) and s.pose.landmarks is None]
    assert lost and min(lost) - 9.0 <= sampler.config.max_still_s + 0.05


def test_grid_takes_every_third_frame_at_60_fps_and_every_frame_at_30() -> None:
    for fps, every in ((60.0, 3), (30.0, 1), (25.0, 1), (120.0, 6)):
        last, kept = None, []
        for i in range(60):
            t = i / fps
            if on_grid(t, last, 1 / fps, 0.05):
                last = t
                kept.append(i)
        assert np.all(np.diff(kept) == every), fps


def test_starting_the_model_ahead_changes_nothing_but_the_time() -> None:
    """Prefetching the next grid frame while the analysis takes this one: the same looks, in the
    same order, the same samples, and the landmarker still called one frame at a time."""
    from dataclasses import replace

    runs = []
    for prefetch in (False, True):
        _, samples, lm, _ = _run(10, config=replace(SamplingConfig(), prefetch=prefetch))
        runs.append(([(s.frame.index, s.still, None if s.pose is None else s.pose.t_s) for s in samples], lm.seen))
    assert runs[0] == runs[1]
    assert len(runs[0][1]) > 100
    # The frames made ready ahead are the ones the model then sees (all but a dense stretch's last).
    assert len(lm.prepared) > 50 and len(set(lm.prepared) - set(lm.seen)) <= 0.1 * len(lm.prepared)
