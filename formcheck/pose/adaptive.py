"""Adaptive temporal sampling for recorded video: run the pose model only as often as motion needs.

Most of a stretching session is a person holding still, where 60 model calls a second measure
nothing new. The model sees frames on a grid of `dense_step_s` (20 a second: the analysis measures
speeds over 0.1 s and accelerations over 0.15 s, so it gives the same answers), and of those:
- every one while the body moves (entries, releases, jerks: what hold boundaries and motion
  warnings are made of), and while the analysis is deciding a hold's start or end;
- one every `max_step_s` while it is still (a hold), the step doubling from one grid step up.
When a sparse look shows that the body moved since the look two steps before it (a slow
release builds up over more than one step), the change began in between: every grid frame
since the older look goes to the model too, so the change is timed as at full rate. (Frames are
therefore passed on one look late.) MediaPipe's VIDEO mode needs increasing timestamps (its
tracker follows the previous frame's region), so a landmarker that looked ahead cannot go back:
two landmarkers take turns. The one that looked ahead waits; the other forgets where it last
tracked the body, is shown the older look's frame (its detector finds the body there, as at the
start of a video) and goes through the frames since then.

Frames the model did not see are passed on with no pose (`Sample.pose is None`): the analysis
takes them to show what the last analysed frame showed; the annotated video still shows them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from formcheck.geometry import flexion, leg_length_px
from formcheck.pose import skeleton as sk
from formcheck.pose.quality import QualityConfig, frame_reason
from formcheck.sources.frame import Frame, Sample, on_grid
from formcheck.types import PoseFrame


class Landmarker(Protocol):
    """The pose model as the sampler drives it (a PoseEstimator in VIDEO mode)."""

    def __call__(self, frame: Frame) -> PoseFrame: ...

    def forget(self) -> None:
        """Drop tracking: the next frame is detected afresh."""


# Hip and knee flexion of both legs: what every recognition rule and hold boundary is made of.
_ANGLES = [(sh, hp, kn) for sh, hp, kn, _ in sk.SIDE_CHAIN.values()] + [
    (hp, kn, an) for _, hp, kn, an in sk.SIDE_CHAIN.values()
]
LOOK_BACK_S = 0.3  # while dense, changes are judged between poses this far apart (as sparse looks)


@dataclass(frozen=True, slots=True)
class SamplingConfig:
    # The longest step while still. Every stage downstream tolerates gaps of 0.5 s (rates, motion
    # history, the quality gate's glitch window); the step doubles from one grid step up to this.
    max_step_s: float = 0.3
    # The grid: frames closer than this to the previous one are not even converted to pixels.
    # Speeds are measured over 0.1 s and accelerations over 0.15 s (analysis/config.py): 20
    # samples a second resolve both, and time hold boundaries to 0.05 s.
    dense_step_s: float = 0.05
    # After a change, every frame for this long: slow entries and releases continue for seconds,
    # and every threshold crossing in them is timed at full rate.
    dense_s: float = 0.6
    # "Changed" between two poses 0.3-0.6 s apart: the second-largest change of the hip and knee
    # angles (world landmarks) over this. Measured over 0.3 s on the shared clips: holds 1-2 deg
    # median, 3-5 at the 99th percentile, 5.5-7.2 at most (a generated clip's drifting leg);
    # entries 4-22 median, 10-44 at the 90th percentile. A slow move builds up over the two
    # steps to the anchor; a hold being decided is followed on every grid frame anyway.
    angle_deg: float = 7.0
    # ... or a hand moving relative to the hips (reaching toward the feet is the forward bend's
    # sign) by more than this, in leg lengths (hip-knee-ankle in the image: a fold does not
    # shorten it). Measured over 0.3 s on the shared clips: hands in a held fold sway by 0.13 at
    # the 90th percentile, 0.17 at the 99th, 0.18 at most; a reach or an entry moves them by
    # 0.26-0.37 (median).
    hand_moved: float = 0.2


def _angles(w: np.ndarray) -> np.ndarray:
    return np.array([flexion(w[a], w[b], w[c]) for a, b, c in _ANGLES])


def _leg(landmarks: np.ndarray) -> float:
    return leg_length_px(landmarks[:, :2])  # normalised image coordinates, not pixels here


def _same_body(a: PoseFrame, b: PoseFrame) -> bool:
    """Can `b` (a fresh detection) take over from `a`: the same body, hips within a third of a
    leg length, or anyone if `a` showed nobody?

    A fresh detection that finds nobody where `a` had someone cannot: in a crowded or folded
    scene its tracker then starts from a region between people and gives nonsense for a second."""
    if a.landmarks is None:
        return True
    if b.landmarks is None:
        return False
    hips = [sk.LEFT_HIP, sk.RIGHT_HIP]
    d = float(np.linalg.norm(a.landmarks[hips, :2].mean(axis=0) - b.landmarks[hips, :2].mean(axis=0)))
    return d < max(_leg(a.landmarks), 0.05) / 3


def _person(p: PoseFrame) -> bool:
    return frame_reason(p, _QUALITY) is None


_QUALITY = QualityConfig()


def changed(a: PoseFrame, b: PoseFrame, cfg: SamplingConfig, scale: float = 1.0) -> bool:
    """Did the body move between two poses of the same landmarker (beyond its jitter, and by more
    than `scale` times the thresholds)?"""
    seen_a, seen_b = _person(a), _person(b)
    if seen_a != seen_b:
        return True  # someone appeared or left
    if not seen_a or a.landmarks is None or a.world is None or b.landmarks is None or b.world is None:
        return False  # nobody, still nobody (spurious poses on furniture included)
    d_angle = np.sort(np.abs(_angles(a.world) - _angles(b.world)))[-2]
    if d_angle > scale * cfg.angle_deg:
        return True
    size = max(_leg(a.landmarks), 0.05)
    hip_a = (a.landmarks[sk.LEFT_HIP, :2] + a.landmarks[sk.RIGHT_HIP, :2]) / 2
    hip_b = (b.landmarks[sk.LEFT_HIP, :2] + b.landmarks[sk.RIGHT_HIP, :2]) / 2
    hands = [sk.LEFT_WRIST, sk.RIGHT_WRIST]
    moved = np.linalg.norm((a.landmarks[hands, :2] - hip_a) - (b.landmarks[hands, :2] - hip_b), axis=1) / size
    return float(moved.max()) > scale * cfg.hand_moved


class AdaptiveSampler:
    """`run(frames)` yields every frame in order, each with its pose or None (not analysed).

    `landmarkers`: two instances of the same model, each only ever moving forward in time.
    Only frames on the grid (`sources.frame.on_grid`, with pixels) are ever shown to the model.
    """

    def __init__(
        self,
        landmarkers: tuple[Landmarker, Landmarker],
        config: SamplingConfig | None = None,
        busy: Callable[[], bool] | None = None,
    ) -> None:
        self.landmarkers = landmarkers
        # Asked before each frame: True while the analysis is deciding something (a hold starting
        # or ending), when every grid frame counts whatever the body does.
        self.busy = busy or (lambda: False)
        self.config = config or SamplingConfig()
        self.model_frames = 0
        self.frames = 0
        self._cur = 0  # the landmarker whose poses the analysis gets now
        self._recent: deque[PoseFrame] = deque()  # its last poses while dense
        self._anchor: tuple[Frame, PoseFrame] | None = None  # the last look passed on (sparse mode)
        self._step_s = 0.0
        # Frames since the anchor, held back: (frame, on the grid, its pose if it was a look).
        self._pending: list[tuple[Frame, bool, PoseFrame | None]] = []

    def _model(self, frame: Frame, which: int | None = None) -> PoseFrame:
        """One model call, by the current landmarker unless told `which`."""
        self.model_frames += 1
        return self.landmarkers[self._cur if which is None else which](frame)

    def _dense(self, frame: Frame, grid: bool) -> Sample:
        if not grid:
            return Sample(frame, None)
        pose = self._model(frame)
        self._recent.append(pose)
        while len(self._recent) > 2 and frame.t_s - self._recent[1].t_s >= LOOK_BACK_S:
            self._recent.popleft()
        return Sample(frame, pose)

    def _moving(self) -> bool:
        """Did the body change over the last LOOK_BACK_S of dense poses?"""
        ref, last = self._recent[0], self._recent[-1]
        return last.t_s - ref.t_s >= LOOK_BACK_S and changed(ref, last, self.config)

    def run(self, frames: Iterable[Frame]) -> Iterator[Sample]:
        cfg = self.config
        dense_until: float | None = None  # None: start dense, from the first frame
        grid_t: float | None = None
        prev_t: float | None = None
        for frame in frames:
            self.frames += 1
            t = frame.t_s
            gap = t - prev_t if prev_t is not None else 0.0
            grid = frame.bgr is not None and on_grid(t, grid_t, gap, cfg.dense_step_s)
            grid_t, prev_t = t if grid else grid_t, t
            if dense_until is None or self.busy():
                dense_until = t + cfg.dense_s
                yield from self._back()  # deciding since the anchor: those frames too
            if t <= dense_until:
                sample = self._dense(frame, grid)
                yield sample
                if sample.pose is not None and self._moving():
                    dense_until = t + cfg.dense_s
                continue
            if self._anchor is None:  # going sparse: this frame is the first look
                sample = self._dense(frame, grid)
                yield sample
                if sample.pose is not None:
                    self._anchor = (frame, sample.pose)
                    gap = t - self._recent[-2].t_s if len(self._recent) > 1 else cfg.dense_step_s
                    self._step_s = 1.5 * gap
                continue
            last_look = self._last_look()
            if not grid or t - last_look.t_s < self._step_s:
                self._pending.append((frame, grid, None))
                continue
            look = self._model(frame)
            self._pending.append((frame, grid, look))
            if self._moved(last_look, look):
                yield from self._back()
                dense_until = t + cfg.dense_s
            else:
                yield from self._pass_on()
                self._step_s = min(cfg.max_step_s, 2 * self._step_s)
        # The end of the video: its last grid frame is looked at; any frames after it keep its state.
        grid_at = [i for i, (_, g, _) in enumerate(self._pending) if g]
        if grid_at and self._anchor is not None and self._pending[grid_at[-1]][2] is None:
            i = grid_at[-1]
            f = self._pending[i][0]
            look = self._model(f)
            self._pending[i] = (f, True, look)
            if self._moved(self._last_look(), look):
                yield from self._back()
        yield from (Sample(f, pose) for f, _, pose in self._pending)
        self._pending = []

    def _moved(self, last_look: PoseFrame, look: PoseFrame) -> bool:
        """Compared with the anchor (up to two steps back: a slow move builds up, jitter does
        not), or a quick move since the last look (twice the thresholds: one jittery look must
        not cost a second of dense frames)."""
        assert self._anchor is not None
        return changed(self._anchor[1], look, self.config) or changed(last_look, look, self.config, 2.0)

    def _last_look(self) -> PoseFrame:
        assert self._anchor is not None
        return next((p for _, _, p in reversed(self._pending) if p is not None), self._anchor[1])

    def _pass_on(self) -> Iterator[Sample]:
        """No change: pass on the frames up to the look before the newest one, which becomes the
        anchor (the newest one is compared with it next time)."""
        looks = [i for i, (_, _, p) in enumerate(self._pending) if p is not None]
        if len(looks) < 2:
            return
        i = looks[-2]
        out, self._pending = self._pending[: i + 1], self._pending[i + 1 :]
        frame, _, pose = out[-1]
        assert pose is not None
        self._anchor = (frame, pose)
        yield from (Sample(f, p) for f, _, p in out)

    def _back(self) -> Iterator[Sample]:
        """Every grid frame since the anchor to the model. The current landmarker has looked past
        them; the other one forgets where it last tracked the body (long ago, somewhere else: its
        stale region would give nonsense for a second) and starts afresh at the anchor's frame."""
        if self._pending:
            assert self._anchor is not None
            other = 1 - self._cur
            self.landmarkers[other].forget()
            if _same_body(self._anchor[1], self._model(self._anchor[0], other)):
                self._cur = other
                self._recent.clear()
                out = [self._dense(f, g) for f, g, _ in self._pending]
            else:  # its detector found someone else (two people in view): keep following this one
                out = [Sample(f, p) for f, _, p in self._pending]
            self._pending = []
            yield from out
        self._anchor = None
