"""Adaptive temporal sampling for recorded video: run the pose model only as often as motion needs.

Most of a stretching session is a person holding still, where 60 model calls a second measure
nothing new. Every frame is still decoded, but the model sees:
- every frame while the body moves (entries, releases, jerks: what hold boundaries and motion
  warnings are made of);
- one frame every `max_step_s` while it is still (a hold), the step doubling from one frame up;
- and, when the scout's sparse look shows that the body moved since its previous look, every frame
  in between too (MediaPipe's VIDEO mode needs increasing timestamps on each landmarker, so the
  scout looks ahead and the main landmarker, which gives every pose the analysis uses, only ever
  moves forward): a change is timed as precisely as at full rate;
- every frame while the analysis is deciding a hold's start or end.

Frames the model did not see are passed on with no pose (`Sample.pose is None`): the analysis
does not use them, the annotated video and key frames still show them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.geometry import flexion
from formcheck.pose import skeleton as sk
from formcheck.pose.quality import QualityConfig, frame_reason
from formcheck.sources.frame import Frame
from formcheck.types import PoseFrame

PoseFn = Callable[[Frame], PoseFrame]

# Hip and knee flexion of both legs: what every recognition rule and hold boundary is made of.
_ANGLES = [(sh, hp, kn) for sh, hp, kn, _ in sk.SIDE_CHAIN.values()] + [
    (hp, kn, an) for _, hp, kn, an in sk.SIDE_CHAIN.values()
]
LOOK_BACK_S = 0.3  # changes are judged between looks this far apart (as the scout's steps)


@dataclass(frozen=True, slots=True)
class SamplingConfig:
    # The longest step while still. Every stage downstream tolerates gaps of 0.5 s (rates, motion
    # history, the quality gate's glitch window); the step doubles from one frame up to this.
    max_step_s: float = 0.3
    # After a change, every frame for this long: slow entries and releases continue for seconds,
    # and every threshold crossing in them is timed at full rate.
    dense_s: float = 0.6
    # "Changed" between two looks 0.3 s apart (the scout's, or the main landmarker's): the
    # second-largest change of the hip and knee angles (world landmarks) over this, measured on
    # the shared clips: holds 1-2 deg median, 3-4 at the 90th percentile, 4-7 at the 99th;
    # entries 5-18 median. A slow entry missed by one look is caught by the next, and hold
    # boundaries use time-weighted medians (holds.py), so uneven sampling does not move them.
    angle_deg: float = 5.0
    # ... or a hand moving relative to the hips (reaching toward the feet is the forward bend's
    # sign) by more than this, in body sizes: hands hanging in a fold sway by up to ~0.1 in 0.3 s,
    # a reach moves them 0.3-0.5.
    hand_moved: float = 0.15


@dataclass(slots=True)
class Sample:
    frame: Frame
    pose: PoseFrame | None  # None: not shown to the model


def _angles(w: np.ndarray) -> np.ndarray:
    return np.array([flexion(w[a], w[b], w[c]) for a, b, c in _ANGLES])


def _person(p: PoseFrame) -> bool:
    return frame_reason(p, _QUALITY) is None


_QUALITY = QualityConfig()


def changed(a: PoseFrame, b: PoseFrame, cfg: SamplingConfig) -> bool:
    """Did the body move between two poses of the same landmarker (beyond its jitter)?"""
    seen_a, seen_b = _person(a), _person(b)
    if seen_a != seen_b:
        return True  # someone appeared or left
    if not seen_a or a.landmarks is None or a.world is None or b.landmarks is None or b.world is None:
        return False  # nobody, still nobody (spurious poses on furniture included)
    d_angle = np.sort(np.abs(_angles(a.world) - _angles(b.world)))[-2]
    if d_angle > cfg.angle_deg:
        return True
    size = max(float(np.linalg.norm(a.landmarks[sk.LEFT_SHOULDER, :2] - a.landmarks[sk.LEFT_ANKLE, :2])), 0.05)
    hip_a = (a.landmarks[sk.LEFT_HIP, :2] + a.landmarks[sk.RIGHT_HIP, :2]) / 2
    hip_b = (b.landmarks[sk.LEFT_HIP, :2] + b.landmarks[sk.RIGHT_HIP, :2]) / 2
    hands = [sk.LEFT_WRIST, sk.RIGHT_WRIST]
    moved = np.linalg.norm((a.landmarks[hands, :2] - hip_a) - (b.landmarks[hands, :2] - hip_b), axis=1) / size
    return float(moved.max()) > cfg.hand_moved


class AdaptiveSampler:
    """`run(frames)` yields every frame in order, each with its pose or None (not analysed).

    Two landmarkers, both only ever moving forward in time: the *scout* looks at one frame per
    step while the body is still; the *main* one gives every pose the analysis sees. When the
    scout sees a change since its last look, the main landmarker goes through every frame since
    then, so the change is timed as at full rate, and stays on every frame for `dense_s`.
    """

    def __init__(
        self,
        main: PoseFn,
        scout: PoseFn,
        config: SamplingConfig | None = None,
        busy: Callable[[], bool] | None = None,
    ) -> None:
        self.main, self.scout = main, scout
        # Asked before each frame: True while the analysis is deciding something (a hold starting
        # or ending), when every frame counts whatever the body does.
        self.busy = busy or (lambda: False)
        self.config = config or SamplingConfig()
        self.model_frames = 0
        self.frames = 0
        self._recent: deque[PoseFrame] = deque()  # the main landmarker's last poses (dense mode)

    def _main(self, frame: Frame) -> Sample:
        pose = self.main(frame)
        self.model_frames += 1
        self._recent.append(pose)
        while len(self._recent) > 2 and frame.t_s - self._recent[1].t_s >= LOOK_BACK_S:
            self._recent.popleft()
        return Sample(frame, pose)

    def _look(self, frame: Frame) -> PoseFrame:
        self.model_frames += 1
        return self.scout(frame)

    def run(self, frames: Iterable[Frame]) -> Iterator[Sample]:
        cfg = self.config
        dense_until: float | None = None  # None: start dense, from the first frame
        step_s = 0.0
        scout_ref: PoseFrame | None = None  # the scout's last look (sparse mode)
        pending: list[Frame] = []
        for frame in frames:
            self.frames += 1
            t = frame.t_s
            if dense_until is None or self.busy():
                dense_until = t + cfg.dense_s
                if pending:  # deciding since the last sparse look: those frames too
                    yield from self._flush(pending, True)
                    pending = []
            if t <= dense_until:
                sample = self._main(frame)
                yield sample
                ref = self._recent[0]
                if sample.pose is not None and t - ref.t_s >= LOOK_BACK_S and changed(ref, sample.pose, cfg):
                    dense_until = t + cfg.dense_s
                scout_ref = None
                continue
            if scout_ref is None:  # going sparse: the scout's first look is its reference
                scout_ref = self._look(frame)
                yield self._main(frame)
                step_s = 1.5 * (t - self._recent[-2].t_s) if len(self._recent) > 1 else 0.05
                continue
            pending.append(frame)
            if t - scout_ref.t_s < step_s:
                continue
            look = self._look(frame)
            dense = changed(scout_ref, look, cfg)
            yield from self._flush(pending, dense)
            pending = []
            if dense:
                dense_until, scout_ref = t + cfg.dense_s, None
            else:
                scout_ref, step_s = look, min(cfg.max_step_s, 2 * step_s)
        if pending:  # the end of the video: its last frame is measured, and all of it if it moved
            dense = scout_ref is None or changed(scout_ref, self._look(pending[-1]), cfg)
            yield from self._flush(pending, dense)

    def _flush(self, pending: list[Frame], dense: bool) -> Iterator[Sample]:
        """Frames since the scout's previous look: all to the main landmarker if the body changed
        in between, else only the last one (the others keep the state before them)."""
        if dense:
            for f in pending:
                yield self._main(f)
        else:
            yield from (Sample(f, None) for f in pending[:-1])
            yield self._main(pending[-1])
