"""The public Python API: the same results as the CLI, for notebooks and scripts.

>>> import formcheck
>>> result = formcheck.analyze_video("clip.mp4")
>>> [(h.stretch, h.side, h.duration_s, h.verdict) for h in result.holds]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from formcheck.analysis.config import AnalysisConfig
from formcheck.analysis.routine import Plan
from formcheck.analysis.session import Analyzer
from formcheck.interrupt import ctrl_c_flag
from formcheck.sources.track import Track, TrackRecorder
from formcheck.types import Event, Hold, PoseFrame, SessionResult, SourceInfo

if TYPE_CHECKING:
    from formcheck.pose.landmarker import PoseEstimator
    from formcheck.sources.still import StillClip
    from formcheck.sources.video import VideoFrame, VideoReader

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
    with ctrl_c_flag() as stop:
        try:
            for frame in frames:
                if recorder is not None:
                    recorder.update(frame)
                for event in analyzer.update(frame):
                    if on_event is not None:
                        on_event(event)
                if stop.set:
                    partial = True
                    break
        except KeyboardInterrupt:
            partial = True
    for event in analyzer.finish():
        if on_event is not None:
            on_event(event)
    return analyzer.result(partial=partial)


FrameSink = Callable[["VideoFrame", Analyzer], None]


def _video_frames(
    reader: VideoReader | StillClip,
    estimator: PoseEstimator,
    analyzer: Analyzer,
    progress: ProgressFn | None,
    sinks: list[FrameSink],
) -> Iterator[PoseFrame]:
    total = reader.frame_count
    for i, vf in enumerate(reader):
        yield estimator.process(vf.rgb, vf.t_s, vf.image)
        # Resumed only after run_session has fed that frame to the analyzer: sinks see its state.
        for sink in sinks:
            sink(vf, analyzer)
        if progress is not None:
            progress(i + 1, total)


class KeyFrames:
    """One small JPEG (with the skeleton) per second of video, to illustrate each hold in reports."""

    def __init__(self, every_s: float = 1.0, height: int = 240) -> None:
        self.every_s, self.height = every_s, height
        self.frames: list[tuple[float, bytes]] = []

    def __call__(self, vf: VideoFrame, analyzer: Analyzer) -> None:
        if self.frames and vf.t_s - self.frames[-1][0] < self.every_s:
            return
        from formcheck.render.overlay import draw_skeleton

        img = vf.bgr.copy()
        st = analyzer.last
        if st is not None and st.is_person and st.frame.landmarks is not None:
            draw_skeleton(img, st.frame.landmarks)
        h, w = img.shape[:2]
        img = cv2.resize(img, (max(1, round(w * self.height / h)), self.height), interpolation=cv2.INTER_AREA)
        self.frames.append((vf.t_s, cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()))

    def for_holds(self, holds: list[Hold]) -> dict[int, bytes]:
        if not self.frames:
            return {}
        times = np.array([t for t, _ in self.frames])
        return {
            i: self.frames[int(np.argmin(np.abs(times - (h.start_s + h.end_s) / 2)))][1] for i, h in enumerate(holds)
        }


class Annotator:
    """Draws the live overlay (unmirrored) on every frame of an analysed video."""

    def __init__(self, path: str | os.PathLike[str], fps: float, width: int, height: int, plan: Plan) -> None:
        from formcheck.render.video_writer import AnnotatedWriter

        self.writer = AnnotatedWriter(Path(path), fps, (width // 2 * 2, height // 2 * 2))
        self.plan = plan

    def __call__(self, vf: VideoFrame, analyzer: Analyzer) -> None:
        from formcheck.render.overlay import draw_overlay, state_from

        self.writer.write(draw_overlay(vf.bgr, state_from(analyzer, self.plan, vf.t_s), mirror=False))


def analyze_video(
    path: str | os.PathLike[str],
    *,
    model: str | os.PathLike[str] | None = None,
    config: AnalysisConfig | None = None,
    save_track: str | os.PathLike[str] | None = None,
    annotate: str | os.PathLike[str] | None = None,
    plan: Plan | None = None,
    on_event: EventFn | None = None,
    on_progress: ProgressFn | None = None,
) -> SessionResult:
    """Analyse a video file (or a photo, played as a 10 s still clip at 5 fps) with the pose model;
    optionally keep its landmark track and an annotated copy of the video. The result carries one
    key frame per hold (`result.keyframes`)."""
    from formcheck.pose.landmarker import PoseEstimator
    from formcheck.sources.still import StillClip, is_image
    from formcheck.sources.video import VideoReader

    plan = plan or Plan()
    opened = StillClip(path, mp_images=True) if is_image(path) else VideoReader(path, mp_images=True)
    with opened as reader, PoseEstimator(model, count_async=True) as estimator:
        recorder = TrackRecorder() if save_track is not None else None
        analyzer = Analyzer(reader.info(), config)
        keyframes = KeyFrames()
        sinks: list[FrameSink] = [keyframes]
        annotator = None
        if annotate is not None:
            h, w = reader.height, reader.width
            scale = min(1.0, 1280 / max(h, w))
            annotator = Annotator(annotate, reader.fps, round(w * scale), round(h * scale), plan)
            sinks.append(annotator)
        frames = _video_frames(reader, estimator, analyzer, on_progress, sinks)
        result = run_session(frames, analyzer, recorder, on_event)
        result.source = reader.info()
        result.frames.skipped = reader.unreadable
        result.keyframes = keyframes.for_holds(result.holds)
        if annotator is not None:
            result.annotated_path = str(annotator.writer.close())
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
