"""Adaptive temporal sampling for recorded video: run the pose model only as often as motion needs.

Most of a stretching session is a person holding still, where 60 model calls a second measure
nothing new. Frames on a grid of `dense_step_s` (20 a second; every frame of a 30 fps clip) are
candidates; the analysis measures speeds over 0.1 s and accelerations over 0.15 s, so the grid
gives the same answers as every frame. Of the grid frames, the model sees:
- every one while the body moves (entries, releases, jerks: what hold boundaries and motion
  warnings are made of), while the analysis is deciding a hold's start or end, and for `dense_s`
  after the last change it saw;
- while the body is still, only those whose pixels moved: a grey thumbnail of the person's box
  (`pose.stillness`, well under a millisecond) is compared with the last frame the model saw on
  every grid frame, so the first frame of any movement goes to the model and the rest of the
  movement is followed densely from there, timed as at full rate;
- and one every `max_still_s` whatever the pixels say, to re-check the pose.
The model only ever moves forward in time (MediaPipe's VIDEO mode follows the previous frame's
region, still valid because nothing moved), so one landmarker does it.

Still grid frames are held back until the next look and passed on with the two looks' poses
interpolated (`Sample.still`): the analysis gets a pose on every grid frame, as from the grid
alone, and no step at the next look to read as a jerk. Other frames the model did not see (off
the grid) are passed on with no pose: the last state stands for them; a gap with neither takes
no motion evidence (analysis/session.py). The annotated video still shows them all.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from formcheck.geometry import flexion, leg_length_px
from formcheck.pose import skeleton as sk
from formcheck.pose.quality import QualityConfig, frame_reason
from formcheck.pose.stillness import Stillness, StillnessConfig
from formcheck.sources.frame import Frame, Sample, between, on_grid
from formcheck.types import PoseFrame


class Landmarker(Protocol):
    """The pose model as the sampler drives it (a PoseEstimator in VIDEO mode)."""

    def __call__(self, frame: Frame) -> PoseFrame: ...


# Hip and knee flexion of both legs: what every recognition rule and hold boundary is made of.
_ANGLES = [(sh, hp, kn) for sh, hp, kn, _ in sk.SIDE_CHAIN.values()] + [
    (hp, kn, an) for _, hp, kn, an in sk.SIDE_CHAIN.values()
]
LOOK_BACK_S = 0.3  # while dense, changes are judged between poses this far apart


@dataclass(frozen=True, slots=True)
class SamplingConfig:
    # The grid: frames closer than this to the previous one are not even converted to pixels.
    # Speeds are measured over 0.1 s and accelerations over 0.15 s (analysis/config.py): 20
    # samples a second resolve both, and time hold boundaries to 0.05 s.
    dense_step_s: float = 0.05
    # While still, the model re-checks the pose this often whatever the pixels say (the grid frames
    # between are analysed with the two looks interpolated: Sample.still).
    max_still_s: float = 1.0
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
    # When the pixels moved, a change of this share of the two thresholds is enough: the first
    # frames of a slow entry have changed little yet, and the pixels say it is no jitter.
    pixel_scale: float = 0.5
    stillness: StillnessConfig = field(default_factory=StillnessConfig)


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
        self._recent: deque[PoseFrame] = deque()  # poses of the last LOOK_BACK_S while dense
        self._last: PoseFrame | None = None
        # Frames since the last look while still, held back until the next look: the still grid
        # frames among them get the two looks' poses interpolated.
        self._held: list[tuple[Frame, bool]] = []

    def sampling_report(self) -> dict[str, float | int]:
        floors = self.pixels.floors
        return {
            "model_frames": self.model_frames,
            "still_ended_by_pixels": self.ended_by_pixels,
            "still_ended_by_pose": self.ended_by_pose,
            "pixel_noise_floor": round(float(np.median(floors)), 3) if floors else 0.0,
            "pixel_noise_floor_p95": round(float(np.percentile(floors, 95)), 3) if floors else 0.0,
        }

    def _release(self, pose: PoseFrame | None) -> Iterator[Sample]:
        """The held frames, now that the look after them (`pose`; None at the end) is known."""
        assert self._last is not None or not self._held
        for f, still in self._held:
            yield Sample(f, between(self._last, pose, f.t_s), still=True) if still and self._last else Sample(f, None)
        self._held = []

    def _look(self, frame: Frame) -> PoseFrame:
        self.model_frames += 1
        pose = self.landmarker(frame)
        assert frame.bgr is not None
        self.pixels.reference(frame.bgr, pose.landmarks if _person(pose) else None)
        return pose

    def _moving(self, pose: PoseFrame) -> bool:
        """While dense: did the body change over the last LOOK_BACK_S?"""
        self._recent.append(pose)
        while len(self._recent) > 2 and pose.t_s - self._recent[1].t_s >= LOOK_BACK_S:
            self._recent.popleft()
        ref = self._recent[0]
        return pose.t_s - ref.t_s < LOOK_BACK_S or changed(ref, pose, self.config)

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
            if not grid:
                if self._held:
                    self._held.append((frame, False))
                else:
                    yield Sample(frame, None)
                continue
            if dense_until is None or t <= dense_until or self.busy():
                pose = self._look(frame)
                yield from self._release(pose)
                self._last = pose
                if dense_until is None or self._moving(pose) or self.busy():
                    dense_until = t + cfg.dense_s
                yield Sample(frame, pose)
                continue
            assert frame.bgr is not None and self._last is not None
            nobody = not _person(self._last)
            step = cfg.empty_step_s if nobody else cfg.max_still_s
            moved = self.pixels.moved(frame.bgr)
            if not moved and t - self._last.t_s < step - 1e-3:
                self._held.append((frame, True))
                continue
            last = self._last
            pose = self._look(frame)
            yield from self._release(pose)
            self._last = pose
            # The pixels moved (or it is time to re-check): a new reference either way, and every
            # grid frame from here on if the pose itself changed.
            change = changed(last, pose, cfg, cfg.pixel_scale if moved else 1.0)
            self.pixels.judged(moved, change)
            if change:
                self.ended_by_pixels += moved
                self.ended_by_pose += not moved
                self._recent.clear()
                self._recent.append(pose)
                dense_until = t + cfg.dense_s
            yield Sample(frame, pose)
        yield from self._release(None)
