"""The one frame loop: every source (video file, photo, saved track, camera, stream) runs through it.

    source -> [pose model, every frame or adaptive] -> recorder -> Analyzer.update -> events -> on_event
                                     \\-> per-frame hooks (key frames, annotated video, live window)

It owns what every run needs once: Ctrl-C as a polled flag (a KeyboardInterrupt landing inside
MediaPipe would be swallowed), recording the landmark track, dispatching events, finishing the
analysis, and marking a stopped run partial so what was seen is always kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from formcheck.analysis.session import Analyzer
from formcheck.interrupt import ctrl_c_flag
from formcheck.sources.frame import Frame, Sample
from formcheck.sources.track import TrackRecorder
from formcheck.types import Event, PoseFrame, SessionResult

if TYPE_CHECKING:
    from formcheck.pose.landmarker import PoseEstimator

EventFn = Callable[[Event], None]
# Called after each frame has been analysed; returning False stops the run (a quit key).
FrameHook = Callable[[Frame, Analyzer], "bool | None"]


class Runner:
    """Drive an Analyzer over a source; `run()` returns the session, complete or partial.

    Parameters
    ----------
    analyzer : the analysis core (stateful).
    estimator : the pose model, for sources of pictures; not needed for saved tracks.
    recorder : keeps the raw landmarks of every frame (the session's track), if given.
    on_event : called for every event (hold started/ended/progress, warning, notice).
    hooks : called for every picture after it was analysed (they see `analyzer.last`).
    analyse : asked before each picture; False skips the model (live mode's pause).
    """

    def __init__(
        self,
        analyzer: Analyzer,
        estimator: PoseEstimator | None = None,
        recorder: TrackRecorder | None = None,
        on_event: EventFn | None = None,
        hooks: Iterable[FrameHook] = (),
        analyse: Callable[[], bool] | None = None,
    ) -> None:
        self.analyzer, self.estimator, self.recorder = analyzer, estimator, recorder
        self.on_event, self.hooks, self.analyse = on_event, list(hooks), analyse
        self.frames = 0  # items taken from the source
        self.last_t_s = 0.0  # time of the last one
        self.stopped_by_hook = False

    def _emit(self, events: list[Event]) -> None:
        if self.on_event is not None:
            for e in events:
                self.on_event(e)

    def _pose(self, item: Frame | PoseFrame | Sample) -> PoseFrame | None:
        if isinstance(item, PoseFrame):
            return item
        if isinstance(item, Sample):
            return item.pose
        if self.analyse is not None and not self.analyse():
            return None
        if self.estimator is None:
            raise ValueError("a source of pictures needs a pose estimator")
        return self.estimator.process(item.rgb_array(), item.t_s, item.image)

    def run(self, source: Iterable[Frame | PoseFrame | Sample]) -> SessionResult:
        partial = False
        with ctrl_c_flag() as stop:
            try:
                for item in source:
                    self.frames += 1
                    frame = item.frame if isinstance(item, Sample) else item
                    self.last_t_s = frame.t_s
                    if isinstance(item, Sample) and (item.still or item.pose is None):
                        # not analysed: the last state stands (a still frame: the looks around it)
                        if self.recorder is not None:
                            self.recorder.skip(frame.t_s, item.still)
                        self._emit(self.analyzer.skipped(frame.t_s, item.pose))
                    elif (pose := self._pose(item)) is not None:
                        if self.recorder is not None:
                            self.recorder.update(pose)
                        self._emit(self.analyzer.update(pose))
                    if isinstance(frame, Frame) and any([h(frame, self.analyzer) is False for h in self.hooks]):
                        self.stopped_by_hook = True
                        break
                    if stop.set:
                        partial = True
                        break
            except KeyboardInterrupt:
                partial = True
        self._emit(self.analyzer.finish())
        return self.analyzer.result(partial=partial)


def run_session(
    frames: Iterable[Frame | PoseFrame | Sample],
    analyzer: Analyzer,
    recorder: TrackRecorder | None = None,
    on_event: EventFn | None = None,
    estimator: PoseEstimator | None = None,
    hooks: Iterable[FrameHook] = (),
) -> SessionResult:
    """`Runner(...).run(frames)` in one call."""
    return Runner(analyzer, estimator, recorder, on_event, hooks).run(frames)
