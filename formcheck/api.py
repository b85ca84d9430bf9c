"""The public Python API: the same results as the CLI, for notebooks and scripts.

>>> import formcheck
>>> result = formcheck.analyze_video("clip.mp4")
>>> [(h.stretch, h.side, h.duration_s, h.verdict) for h in result.holds]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from formcheck.analysis.config import AnalysisConfig
from formcheck.analysis.routine import Plan
from formcheck.analysis.session import Analyzer, FrameState
from formcheck.errors import FormcheckError
from formcheck.pose.adaptive import AdaptiveSampler, SamplingConfig
from formcheck.runner import EventFn, FrameHook, Runner
from formcheck.settings import Settings, resolve
from formcheck.sources.frame import Frame, Sample
from formcheck.sources.track import Track, TrackRecorder
from formcheck.types import Hold, PoseFrame, SessionResult, SourceInfo, Warning

if TYPE_CHECKING:
    from formcheck.pose.landmarker import PoseEstimator

ProgressFn = Callable[[int, int], None]
# Adaptive sampling: pixels the decoder may hold ready ahead of the sampler (sources/video.py).
AHEAD_BYTES = 128 << 20
FrameFn = Callable[[FrameState], None]  # every analysed frame's state, as the analysis saw it


class KeyFrames:
    """A JPEG (with the skeleton) per second while a stretch matches, to illustrate each hold in the
    reports: large enough to see the pose at full size (720 px high), and only where holds can be,
    so an hour of video does not hold an hour of pictures."""

    def __init__(self, every_s: float = 1.0, height: int = 720) -> None:
        self.every_s, self.height = every_s, height
        self.frames: list[tuple[float, bytes]] = []
        self._kept_until = 0  # frames before this index were checked against the holds reported so far

    def _forget_outside_holds(self, analyzer: Analyzer) -> None:
        spans = [(h.start_s, h.end_s) for h in analyzer.holds.holds]
        self.frames = self.frames[: self._kept_until] + [
            f for f in self.frames[self._kept_until :] if any(a - 1.0 <= f[0] <= b + 1.0 for a, b in spans)
        ]
        self._kept_until = len(self.frames)

    def __call__(self, vf: Frame, analyzer: Analyzer) -> None:
        if analyzer.holds.active is None:
            if len(self.frames) > self._kept_until:
                self._forget_outside_holds(analyzer)
            return
        if vf.bgr is None or (self.frames and vf.t_s - self.frames[-1][0] < self.every_s):
            return
        from formcheck.render.overlay import draw_skeleton

        img = vf.bgr.copy()
        st = analyzer.last
        if st is not None and st.is_person and st.frame.landmarks is not None:
            draw_skeleton(img, st.frame.landmarks)
        h, w = img.shape[:2]
        if h > self.height:
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

    def __call__(self, vf: Frame, analyzer: Analyzer) -> None:
        from formcheck.render.overlay import draw_overlay, state_from

        assert vf.bgr is not None, "an annotated copy converts every frame"
        self.writer.write(draw_overlay(vf.bgr, state_from(analyzer, self.plan, vf.t_s), mirror=False))


def analyze_video(
    path: str | os.PathLike[str],
    *,
    model: str | os.PathLike[str] | None = None,
    config: Settings | AnalysisConfig | str | os.PathLike[str] | None = None,
    save_track: str | os.PathLike[str] | None = None,
    annotate: str | os.PathLike[str] | None = None,
    plan: Plan | None = None,
    on_event: EventFn | None = None,
    on_progress: ProgressFn | None = None,
    every_frame: bool = False,
    sampling: SamplingConfig | None = None,
    on_frame: FrameFn | None = None,
) -> SessionResult:
    """Analyse a video file (or a photo, played as a 10 s still clip at 5 fps) with the pose model;
    optionally keep its landmark track and an annotated copy of the video. The result carries one
    key frame per hold (`result.keyframes`). `config`: Settings, an AnalysisConfig, or the path of
    a settings TOML file (see formcheck.settings); `plan` overrides its plan. A video file is
    sampled adaptively: the pose model runs only as often as motion needs (pose/adaptive.py; the
    same holds, several times quicker); `every_frame=True` runs it on every frame, as does a
    photo."""
    from formcheck.pose.landmarker import PoseEstimator
    from formcheck.sources.recorded import recorded_at
    from formcheck.sources.still import StillClip, is_image
    from formcheck.sources.video import VideoReader

    settings = resolve(config, plan)
    plan = settings.plan
    # Every-frame mode builds mediapipe images on the decode thread; adaptive converts only what it analyses.
    sampling = sampling or SamplingConfig()
    every_frame = every_frame or is_image(path)
    # Adaptive sampling converts only grid frames to pixels (all of them for an annotated copy).
    grid_s = 0.0 if every_frame or annotate is not None else sampling.dense_step_s
    opened = (
        StillClip(path, mp_images=True)
        if is_image(path)
        else VideoReader(path, mp_images=every_frame, grid_s=grid_s, ahead_bytes=AHEAD_BYTES if grid_s else 0)
    )
    when, how = recorded_at(Path(path))
    with opened as reader, PoseEstimator(model, count_async=True, count_wait=True) as estimator, ExitStack() as stack:
        recorder = TrackRecorder() if save_track is not None else None
        analyzer = Analyzer(replace(reader.info(), recorded_at=when, recorded_from=how), settings.analysis, on_frame)
        keyframes = KeyFrames()
        hooks: list[FrameHook] = [keyframes]
        annotator = None
        if annotate is not None:
            h, w = reader.height, reader.width
            scale = min(1.0, 1280 / max(h, w))
            annotator = Annotator(annotate, reader.fps, round(w * scale), round(h * scale), plan)
            stack.callback(annotator.writer.abort)  # an error or Ctrl-C leaves no half-written video
            hooks.append(annotator)
        if on_progress is not None:
            total, progress = reader.frame_count, on_progress
            hooks.append(lambda vf, _: progress(vf.index + 1, total))
        source: Iterable[Frame | Sample] = reader
        sampler = None
        if not every_frame:
            sampler = AdaptiveSampler(_Model(estimator), sampling, lambda: analyzer.holds.deciding)
            source = sampler.run(reader)
        result = Runner(analyzer, estimator, recorder, on_event, hooks).run(source)
        result.sampling = (
            {"mode": "every_frame", "model_frames": result.frames.total}
            if sampler is None
            else {"mode": "adaptive", **sampler.sampling_report()}
        )
        result.source = replace(reader.info(), recorded_at=when, recorded_from=how)
        # frames the container promised but nobody decoded because the run was interrupted are not damage
        unreadable = getattr(reader, "skipped", 0) if result.partial else reader.unreadable
        result.frames.skipped = unreadable
        if unreadable:
            result.notices.append(damaged_notice(unreadable, unreadable + result.frames.total))
        result.keyframes = keyframes.for_holds(result.holds)
        result.fingerprint = fingerprint(path, settings.analysis)
        if annotator is not None:
            result.annotated_path = str(annotator.writer.close())
    if recorder is not None and save_track is not None:
        recorder.save(save_track, result.source, {"model_path": str(estimator.model_path)})
    return result


def fingerprint(path: str | os.PathLike[str], analysis: AnalysisConfig) -> str | None:
    """A session's identity: the media's content and the settings that change its answers (the
    thresholds and the target; not the sampling mode, which gives the same answers)."""
    import hashlib
    import json
    from dataclasses import asdict

    from formcheck.files import content_digest

    media = content_digest(Path(path))
    if media is None:
        return None
    settings = hashlib.sha256(json.dumps(asdict(analysis), sort_keys=True, default=str).encode()).hexdigest()
    return f"{media}-{settings[:8]}"


class _Model:
    """A PoseEstimator as adaptive sampling drives it."""

    def __init__(self, estimator: PoseEstimator) -> None:
        self.estimator = estimator

    def __call__(self, frame: Frame) -> PoseFrame:
        return self.estimator.process(frame.rgb_array(), frame.t_s, frame.image)

    def rewind(self) -> None:
        self.estimator.rewind()

    def prepare(self, frame: Frame) -> None:
        frame.model_image()


def damaged_notice(unreadable: int, promised: int) -> Warning:
    """What a damaged file costs, said once in every report (and by the CLI's exit code 1)."""
    share = 100.0 * unreadable / max(promised, 1)
    return Warning(
        "damaged_file",
        0.0,
        f"{unreadable} of {promised} frames ({share:.0f}%) could not be read: the file is damaged; "
        "this report covers the rest",
        "info",
        float(unreadable),
    )


def analyze_track(
    path: str | os.PathLike[str],
    *,
    config: Settings | AnalysisConfig | str | os.PathLike[str] | None = None,
    on_event: EventFn | None = None,
    on_frame: FrameFn | None = None,
) -> SessionResult:
    """Re-analyse a recorded landmark track (no model, no video needed)."""
    track = Track(path)
    info: SourceInfo = track.info()
    analysis = resolve(config).analysis
    result = Runner(Analyzer(info, analysis, on_frame), on_event=on_event).run(track)
    result.sampling = {"mode": "track", "model_frames": 0}
    result.fingerprint = fingerprint(path, analysis)
    result.source.path = str(Path(path))
    if result.source.recorded_at is None:  # a track saved before formcheck kept the date: when it was saved
        from formcheck.sources.recorded import recorded_at

        result.source.recorded_at, result.source.recorded_from = recorded_at(Path(path))
    return result


def load_session(path: Path, config: str | os.PathLike[str] | None = None) -> SessionResult:
    """A stored session: a session folder, its landmark track (re-analysed, with the settings file
    `config` if given) or its JSON report."""
    import json

    path = Path(path)
    if not path.exists():
        raise FormcheckError(f"no such session folder or file: {path}")
    if path.is_dir():
        for name in ("track.npz", "report.json"):
            if (path / name).is_file():
                return load_session(path / name, config)
        raise FormcheckError(f"{path} holds no track.npz or report.json")
    if path.suffix == ".npz":
        return analyze_track(path, config=config)
    if path.suffix == ".json":
        try:
            return SessionResult.from_dict(json.loads(path.read_text("utf-8")))
        except FileNotFoundError:
            raise FormcheckError(f"no such file: {path}") from None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise FormcheckError(f"{path} is not a formcheck report: {exc}") from None
    raise FormcheckError(f"{path}: give a session folder, a track (.npz) or a report (.json)")
