"""The public Python API: the same results as the CLI, for notebooks and scripts.

>>> import formcheck
>>> result = formcheck.analyze_video("clip.mp4")
>>> [(h.stretch, h.side, h.duration_s, h.verdict) for h in result.holds]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from formcheck.analysis.config import AnalysisConfig
from formcheck.analysis.session import Analyzer
from formcheck.sources.track import Track, TrackRecorder
from formcheck.types import Event, PoseFrame, SessionResult, SourceInfo

ProgressFn = Callable[[int, int], None]
EventFn = Callable[[Event], None]


def run_session(
    frames: Iterable[PoseFrame],
    analyzer: Analyzer,
    recorder: TrackRecorder | None = None,
    on_event: EventFn | None = None,
) -> SessionResult:
    """Drive the analysis over a stream of pose frames; Ctrl-C keeps what was seen (partial)."""
    partial = False
    try:
        for frame in frames:
            if recorder is not None:
                recorder.update(frame)
            for event in analyzer.update(frame):
                if on_event is not None:
                    on_event(event)
    except KeyboardInterrupt:
        partial = True
    for event in analyzer.finish():
        if on_event is not None:
            on_event(event)
    return analyzer.result(partial=partial)


def _video_frames(reader: object, estimator: object, progress: ProgressFn | None) -> Iterator[PoseFrame]:
    from formcheck.pose.landmarker import PoseEstimator
    from formcheck.sources.video import VideoReader

    assert isinstance(reader, VideoReader) and isinstance(estimator, PoseEstimator)
    total = reader.frame_count
    for i, vf in enumerate(reader):
        yield estimator.process(vf.rgb, vf.t_s)
        if progress is not None:
            progress(i + 1, total)


def analyze_video(
    path: str | os.PathLike[str],
    *,
    model: str | os.PathLike[str] | None = None,
    config: AnalysisConfig | None = None,
    save_track: str | os.PathLike[str] | None = None,
    on_event: EventFn | None = None,
    on_progress: ProgressFn | None = None,
) -> SessionResult:
    """Analyse a video file with the pose model; optionally keep its landmark track."""
    from formcheck.pose.landmarker import PoseEstimator
    from formcheck.sources.video import VideoReader

    with VideoReader(path) as reader, PoseEstimator(model) as estimator:
        recorder = TrackRecorder() if save_track is not None else None
        analyzer = Analyzer(reader.info(), config)
        result = run_session(_video_frames(reader, estimator, on_progress), analyzer, recorder, on_event)
        result.source = reader.info()
        result.frames.skipped = reader.skipped
    if recorder is not None and save_track is not None:
        recorder.save(save_track, result.source, {"model_path": str(estimator.model_path)})
    return result


def analyze_track(
    path: str | os.PathLike[str],
    *,
    config: AnalysisConfig | None = None,
    on_event: EventFn | None = None,
) -> SessionResult:
    """Re-analyse a recorded landmark track (no model, no video needed)."""
    track = Track(path)
    info: SourceInfo = track.info()
    result = run_session(track, Analyzer(info, config), None, on_event)
    result.source.path = str(Path(path))
    return result
