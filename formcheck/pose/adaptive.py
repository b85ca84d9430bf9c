"""Adaptive temporal sampling for recorded video: run the pose model only as often as motion needs.

Most of a stretching session is a person holding still, where 60 model calls a second measure
nothing new. Frames on a grid of `dense_step_s` (20 a second; every frame of a 30 fps clip) are
candidates; the analysis measures speeds over 0.1 s and accelerations over 0.15 s, so the grid
gives the same answers as every frame. Of the grid frames, the model sees:
- every one while the body moves (entries, releases, jerks: what hold boundaries and motion
  warnings are made of), while the analysis is deciding a hold's start or end, and for `dense_s`
  after the last change it saw;
- while the body is still, one every `max_still_s`, and those whose pixels moved before that: a
  grey thumbnail of the person's box (`pose.stillness`) is compared with the last frame the model
  saw on every grid frame. A real body sways, so the pixel threshold learns what this body's
  stillness looks like from the looks that found nothing (their pixels only make a look sooner).
- When a look finds the pose changed (against the last look, or against the pose the still
  stretch began with: a slow drift adds up), the change began among the frames since the last
  look: the model looks back over every grid frame of them (`_back`), then follows densely. A
  quick entry is thus seen at full rate whether or not the pixels caught its first frame.
MediaPipe's VIDEO mode follows the previous frame's region, so one landmarker goes forward in
time, rewound for a look back to the last look's frame (where its region is re-centred).

Still grid frames are held back until the next look and passed on with the two looks' poses
interpolated (`Sample.still`): the analysis gets a pose on every grid frame, as from the grid
alone, and no step at the next look to read as a jerk. Other frames the model did not see (off
the grid) are passed on with no pose: the last state stands for them; a gap with neither takes
no motion evidence (analysis/session.py). The annotated video still shows them all.

While following densely, the model starts on the next grid frame before the current one is
passed on (`prefetch`): it runs on one core while the analysis runs on the other, and the looks
are the same as without it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from formcheck import skeleton as sk
from formcheck.geometry import flexion, leg_length_px
from formcheck.pose.quality import QualityConfig, frame_reason
from formcheck.pose.stillness import Stillness, StillnessConfig
from formcheck.sources.frame import Frame, Sample, between, on_grid
from formcheck.types import PoseFrame


class Landmarker(Protocol):
    """The pose model as the sampler drives it (a PoseEstimator in VIDEO mode)."""

    def __call__(self, frame: Frame) -> PoseFrame: ...

    def rewind(self) -> None:
        """The next frame is earlier than the last one: go on tracking from there."""

    def prepare(self, frame: Frame) -> None:
        """Make `frame` ready for a call soon (its pixels converted), off the model's thread."""


# Hip and knee flexion of both legs: what every recognition rule and hold boundary is made of.
_ANGLES = [(sh, hp, kn) for sh, hp, kn, _ in sk.SIDE_CHAIN.values()] + [
    (hp, kn, an) for _, hp, kn, an in sk.SIDE_CHAIN.values()
]
LOOK_BACK_S = 0.3  # while dense, changes are judged between poses this far apart
PRIMERS = 2  # a look back shows the track the last look's frame this often before the held ones


@dataclass(frozen=True, slots=True)
class SamplingConfig:
    # The grid: frames closer than this to the previous one are not even converted to pixels.
    # Speeds are measured over 0.1 s and accelerations over 0.15 s (analysis/config.py): 20
    # samples a second resolve both, and time hold boundaries to 0.05 s.
    dense_step_s: float = 0.05
    # While still, the model re-checks the pose this often whatever the pixels say (the grid frames
    # between are analysed with the two looks interpolated: Sample.still). A hold's depth is the
    # median of its poses, and its start and end are where the depth crosses a band below that
    # median: on a slow entry a 1-deg error there moves the start by half a second, so a hold needs
    # enough real looks (at 1 s, 2 of 24 generated sessions moved a boundary by 0.5-2.6 s).
    max_still_s: float = 0.5
    # Nobody in view: look this often (a person walking in is small in the whole-frame thumbnail).
    empty_step_s: float = 0.3
    # After a change, every grid frame for this long: slow entries and releases continue for
    # seconds, and every threshold crossing in them is timed at full rate.
    dense_s: float = 0.6
    # "Changed" between two poses 0.3 s apart: the second-largest change of the hip and knee
    # angles (world landmarks) over this. Measured over 0.3 s on the shared clips: holds 1-2 deg
    # median, 3-5 at the 99th percentile, 5.5-7.2 at most; entries 4-22 median, 10-44 at the
    # 90th percentile.
    angle_deg: float = 7.0
    # ... or a hand moving relative to the hips by more than this, in leg lengths (hip-knee-ankle
    # in the image). Measured over 0.3 s on the shared clips: hands in a held fold sway by 0.13 at
    # the 90th percentile, 0.18 at most; a reach or an entry moves them by 0.26-0.37 (median).
    hand_moved: float = 0.2
    stillness: StillnessConfig = field(default_factory=StillnessConfig)
    # Start the model on the next grid frame while the analysis takes the current one, when that
    # frame is to be looked at whatever the current pose shows (the same looks, in less time: the
    # model runs on one core, the analysis on the other).
    prefetch: bool = True


def _angles(w: np.ndarray) -> np.ndarray:
    return np.array([flexion(w[a], w[b], w[c]) for a, b, c in _ANGLES])


def _leg(landmarks: np.ndarray) -> float:
    return leg_length_px(landmarks[:, :2])  # normalised image coordinates, not pixels here


_QUALITY = QualityConfig()


def _person(p: PoseFrame) -> bool:
    return frame_reason(p, _QUALITY) is None


def changed(a: PoseFrame, b: PoseFrame, cfg: SamplingConfig, scale: float = 1.0) -> bool:
    """Did the body move between two poses (by more than `scale` times the thresholds)?"""
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


def _grid_ahead(items: Iterator[tuple[Frame, bool]], ahead: deque[tuple[Frame, bool]], k: int) -> Frame | None:
    """The k-th grid frame after the one in hand, reading `items` into `ahead` as far as it takes."""
    grids = [f for f, grid in ahead if grid]
    while len(grids) < k:
        if (nxt := next(items, None)) is None:
            return None
        ahead.append(nxt)
        if nxt[1]:
            grids.append(nxt[0])
    return grids[k - 1]


class AdaptiveSampler:
    """`run(frames)` yields every frame in order, each with its pose or None (not analysed).

    Only frames on the grid (`sources.frame.on_grid`, with pixels) are ever shown to the model.
    `busy` is asked before each grid frame: True while the analysis is deciding something (a hold
    starting or ending), when every grid frame counts whatever the body does.
    """

    def __init__(
        self,
        landmarker: Landmarker,
        config: SamplingConfig | None = None,
        busy: Callable[[], bool] | None = None,
    ) -> None:
        self.landmarker = landmarker
        self.busy = busy or (lambda: False)
        self.config = config or SamplingConfig()
        self.pixels = Stillness(self.config.stillness)
        self.model_frames = 0
        self.frames = 0
        self.ended_by_pixels = 0  # still stretches ended because the pixels moved ...
        self.ended_by_pose = 0  # ... or because a periodic look found the pose changed
        self.looked_back = 0  # model calls spent looking back over held frames (`_back`)
        self._recent: deque[PoseFrame] = deque()  # poses of the last LOOK_BACK_S while dense
        self._last: PoseFrame | None = None
        self._last_frame: Frame | None = None  # the frame of `_last`, where a look back starts
        # The pose a still stretch began with: a slow drift adds up against it, look by look.
        self._anchor: PoseFrame | None = None
        # Frames since the last look while still, held back until the next look: the still grid
        # frames among them get the two looks' poses interpolated.
        self._held: list[tuple[Frame, bool]] = []
        self._memo: tuple[PoseFrame, bool] | None = None

    def sampling_report(self) -> dict[str, float | int]:
        floors = self.pixels.floors
        return {
            "model_frames": self.model_frames,
            "still_ended_by_pixels": self.ended_by_pixels,
            "still_ended_by_pose": self.ended_by_pose,
            "looked_back": self.looked_back,
            "pixel_noise_floor": round(float(np.median(floors)), 3) if floors else 0.0,
            "pixel_noise_floor_p95": round(float(np.percentile(floors, 95)), 3) if floors else 0.0,
        }

    def _person(self, pose: PoseFrame) -> bool:
        """`_person`, remembered for the last pose asked about (asked again on every still frame)."""
        if self._memo is None or self._memo[0] is not pose:
            self._memo = (pose, _person(pose))
        return self._memo[1]

    def _release(self, pose: PoseFrame | None) -> Iterator[Sample]:
        """The held frames, now that the look after them (`pose`; None at the end) is known."""
        assert self._last is not None or not self._held
        for f, still in self._held:
            yield Sample(f, between(self._last, pose, f.t_s), still=True) if still and self._last else Sample(f, None)
        self._held = []

    def _look(self, frame: Frame, coming: Future[PoseFrame] | None = None) -> PoseFrame:
        """The model's pose of `frame` (`coming`: the model started on it ahead of time)."""
        self.model_frames += 1
        pose = coming.result() if coming is not None else self.landmarker(frame)
        assert frame.bgr is not None
        self.pixels.reference(frame.preview_array(), pose.landmarks if self._person(pose) else None)
        self._last_frame = frame
        return pose

    def _back(self, start: Frame) -> Iterator[Sample]:
        """A look found the body changed since the last one (at `start`): the change began among
        the held frames, so every held grid frame goes to the model. Its track has looked past
        them: it is rewound to `start`, shown twice (its region, set where the body now is,
        re-centres on where it was), and goes forward from there; the caller then shows it the new
        look's frame again (a look back's call too), and it goes on as it would have."""
        self.landmarker.rewind()
        for _ in range(PRIMERS):
            self.model_frames += 1
            self.looked_back += 1
            self.landmarker(start)
        held, self._held = self._held, []
        for f, grid in held:
            if not grid:
                yield Sample(f, None)
                continue
            self.looked_back += 1
            self._last = self._look(f)
            yield Sample(f, self._last)

    def _moving(self, pose: PoseFrame) -> bool:
        """While dense: did the body change over the last LOOK_BACK_S?"""
        self._recent.append(pose)
        while len(self._recent) > 2 and pose.t_s - self._recent[1].t_s >= LOOK_BACK_S:
            self._recent.popleft()
        ref = self._recent[0]
        return pose.t_s - ref.t_s < LOOK_BACK_S or changed(ref, pose, self.config)

    def _gridded(self, frames: Iterable[Frame]) -> Iterator[tuple[Frame, bool]]:
        """Each frame, and whether it is on the grid (with pixels)."""
        grid_t: float | None = None
        prev_t: float | None = None
        for frame in frames:
            self.frames += 1
            t = frame.t_s
            gap = t - prev_t if prev_t is not None else 0.0
            grid = frame.bgr is not None and on_grid(t, grid_t, gap, self.config.dense_step_s)
            grid_t, prev_t = t if grid else grid_t, t
            yield frame, grid

    def run(self, frames: Iterable[Frame]) -> Iterator[Sample]:
        if not self.config.prefetch:
            yield from self._run(frames, None)
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="formcheck-model") as pool:
            yield from self._run(frames, pool)

    def _run(self, frames: Iterable[Frame], pool: ThreadPoolExecutor | None) -> Iterator[Sample]:
        cfg = self.config
        dense_until: float | None = None  # None: start dense, from the first frame
        items = self._gridded(frames)
        ahead: deque[tuple[Frame, bool]] = deque()  # read ahead of the frame in hand
        coming: Future[PoseFrame] | None = None  # the model already at work on the next grid frame
        while (item := ahead.popleft() if ahead else next(items, None)) is not None:
            frame, grid = item
            t = frame.t_s
            if not grid:
                if self._held:
                    self._held.append((frame, False))
                else:
                    yield Sample(frame, None)
                continue
            if dense_until is None or t <= dense_until or self.busy():
                self._anchor = None
                pose = self._look(frame, coming)
                coming = None
                yield from self._release(pose)
                self._last = pose
                if dense_until is None or self._moving(pose) or self.busy():
                    dense_until = t + cfg.dense_s
                if pool is not None:
                    # The next grid frame is looked at whatever this pose shows if it falls before
                    # `dense_until`: the model starts on it now, while the analysis takes this one;
                    # the grid frame after it is made ready meanwhile (the model's thread, which
                    # paces a dense stretch, then only runs the model).
                    nxt = _grid_ahead(items, ahead, 1)
                    if nxt is not None and nxt.t_s <= dense_until:
                        coming = pool.submit(self.landmarker, nxt)
                        if (after := _grid_ahead(items, ahead, 2)) is not None:
                            self.landmarker.prepare(after)
                yield Sample(frame, pose)
                continue
            assert frame.bgr is not None and self._last is not None
            if self._anchor is None:
                self._anchor = self._last
            nobody = not self._person(self._last)
            step = cfg.empty_step_s if nobody else cfg.max_still_s
            moved = self.pixels.moved(frame.preview_array())
            if not moved and t - self._last.t_s < step - 1e-3:
                self._held.append((frame, True))
                continue
            last, start = self._last, self._last_frame
            pose = self._look(frame)
            # The pixels moved (or it is time to re-check): a new reference either way, and every
            # grid frame from here on if the pose itself changed, with a look back over the held
            # frames, where the change began: a quick entry is seen at full rate.
            change = changed(last, pose, cfg) or changed(self._anchor, pose, cfg)
            self.pixels.judged(moved, change)
            if change:
                self.ended_by_pixels += moved
                self.ended_by_pose += not moved
                if start is not None and any(grid for _, grid in self._held):
                    yield from self._back(start)
                    self.looked_back += 1
                    pose = self._look(frame)  # once more, the track having come the whole way
                self._recent.clear()
                self._recent.append(pose)
                dense_until = t + cfg.dense_s
            yield from self._release(pose)
            self._last = pose
            yield Sample(frame, pose)
        yield from self._release(None)
