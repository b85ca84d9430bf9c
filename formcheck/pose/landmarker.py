"""MediaPipe PoseLandmarker, wrapped so it is quiet, closed deterministically and fed valid timestamps."""

from __future__ import annotations

import atexit
import os
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import numpy as np

from formcheck.errors import FormcheckError
from formcheck.geometry import body_size_px
from formcheck.pose.models import resolve_model
from formcheck.pose.quiet import native_stderr_silenced
from formcheck.pose.scene import scene, unchanged
from formcheck.pose.turn import Turn, TurnConfig, presence, turned, upright
from formcheck.pose.zoom import Zoom, ZoomConfig, tiles
from formcheck.sources.frame import mp_image
from formcheck.types import PoseFrame

# A second person counts only if their shoulder-hip-knee-ankle chain is at least this share of
# the user's. The phantoms the detector finds in furniture measure 0.18-0.24 (a vase of dried
# flowers beside the seated fold clip, 12 of 18 checks) and 0.30-0.35 (2 of 13 checks on the
# squats clip); a real person twice as far from the camera as the user is 0.5, a child beside
# them more.
MIN_OTHER_SIZE = 0.4

# Landmarkers still open when the interpreter exits are closed before the thread pools shut down:
# MediaPipe closes a landmarker through its own pool, which an `atexit` hook finds already shut
# (a traceback on exit for anyone who forgot `with`).
_OPEN: weakref.WeakSet[PoseEstimator] = weakref.WeakSet()


def _close_open() -> None:
    for estimator in list(_OPEN):
        estimator.close()


getattr(threading, "_register_atexit", atexit.register)(_close_open)


def _to_arrays(result: object, index: int) -> tuple[np.ndarray, np.ndarray]:
    lms = result.pose_landmarks[index]  # type: ignore[attr-defined]
    wlms = result.pose_world_landmarks[index]  # type: ignore[attr-defined]
    img = np.array([(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in lms], np.float32)
    world = np.array([(p.x, p.y, p.z) for p in wlms], np.float32)
    return img, world


def landmarker_options(model_path: str | os.PathLike[str], running_mode: str = "VIDEO", num_poses: int = 1) -> object:
    """The PoseLandmarker options formcheck runs with (also what the benchmarks' bare model uses)."""
    from mediapipe.tasks.python import BaseOptions, vision

    return vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path)),
        running_mode=getattr(vision.RunningMode, running_mode),
        num_poses=num_poses,
    )


class PoseEstimator:
    """One tracked person per frame (VIDEO mode), plus a periodic check for anyone else in view.

    VIDEO mode with num_poses=1 re-uses the previous frame's region of interest, so it follows
    the same person from frame to frame instead of jumping between people. Asking it for two
    poses would run the person detector on every frame (it re-detects while fewer than
    num_poses are tracked), costing ~40% throughput, and BlazePose's detector often finds nobody
    at all when two people share a frame. So once per `count_every_s` of video time we grey out
    the tracked person and ask an IMAGE-mode landmarker whether a plausible second person remains.
    """

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        count_every_s: float = 1.0,
        count_async: bool = False,
        count_wait: bool = False,
        zoom: ZoomConfig | None = None,
        zoom_in: bool = True,
        turn: TurnConfig | None = None,
        turn_around: bool | None = None,
    ) -> None:
        self.model_path: Path = resolve_model(model_path)
        self.count_every_s = count_every_s
        self._last_ms = -1
        self._last_count_t: float | None = None
        self._people = -1
        # Checks for other people run on a worker thread (up to three detector runs each). Live mode
        # skips a check while the last is still running, so the frame loop never stalls; a recorded
        # video (`count_wait`) takes each result at the next check, waiting if it must, so what it
        # reports does not depend on how busy the machine was (a starved worker once cost the
        # two-people clip a third of its counts).
        self._count_wait = count_wait
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="formcheck-count") if count_async else None
        self._pending: Future[int] | None = None
        self._others_before = False
        self._seen = -1  # what the last count found
        self._scene: tuple[np.ndarray, np.ndarray | None] | None = None  # the picture at the last count
        self._counter = None
        self._warm = False
        self._zoom_config = (zoom or ZoomConfig()) if zoom_in else None
        self._zoom: Zoom | None = None
        # Turned looks (pose/turn.py) are off unless asked for (FORMCHECK_TURN=1): on the shared fold
        # photos they found a body on 12% of the frames where nobody was found, but turned no
        # photo into a recognised fold and read one wide seated fold as standing (docs/holds-over-time.md).
        enabled = os.environ.get("FORMCHECK_TURN") == "1" if turn_around is None else turn_around
        self._turn = Turn(turn, enabled=enabled)
        self._video = self._create(running_mode="VIDEO", num_poses=1)
        self._rewound = False
        self._offset_ms = 0  # the model's clock minus video time: it only moves forward
        _OPEN.add(self)

    def _create(self, running_mode: str, num_poses: int):  # noqa: ANN202 - mediapipe type
        with native_stderr_silenced():
            from mediapipe.tasks.python import vision

            try:
                return vision.PoseLandmarker.create_from_options(
                    landmarker_options(self.model_path, running_mode, num_poses)
                )
            except (RuntimeError, ValueError) as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise FormcheckError(f"cannot load pose model {self.model_path}: {first}") from None

    def process(self, rgb: np.ndarray, t_s: float, image: object = None) -> PoseFrame:
        """Run the model on one RGB frame taken at video time `t_s` (`image`: the same frame as a
        mediapipe Image, if the caller already built one off the critical path)."""
        t_ms = self._clock(t_s)
        h, w = rgb.shape[:2]
        if self._zoom is None and self._zoom_config is not None:
            self._zoom = Zoom(w, h, self._zoom_config)
        k = self._turn.k
        roi = self._zoom.roi if self._zoom is not None and not k else None
        if k:
            image = mp_image(turned(rgb, k))
        elif roi is not None:
            image = mp_image(roi.crop(rgb))
        elif image is None:
            image = mp_image(rgb)
        if not self._warm:
            with native_stderr_silenced():  # the first call logs delegate/alignment notes
                result = self._video.detect_for_video(image, t_ms)
            self._warm = True
        else:
            result = self._video.detect_for_video(image, t_ms)
        img, world = _to_arrays(result, 0) if result.pose_landmarks else (None, None)
        if img is not None and world is not None and k:
            img, world = upright(img, world, k)
        elif img is not None and roi is not None:
            img = roi.to_frame(img, w, h)
        if self._zoom is not None:
            self._zoom.update(t_s, img)
            if img is None and self._zoom.should_search(t_s):
                self._search(rgb)
        self._turn.update(t_s, img is not None)
        if img is None and (self._zoom is None or self._zoom.roi is None) and self._turn.should_search(t_s):
            img, world = self._search_turned(rgb, t_s)
        self._maybe_count(rgb, img, t_s)
        people = self._people
        if img is None:
            return PoseFrame(t_s, None, None, people)
        return PoseFrame(t_s, img, world, max(people, 1))

    def _clock(self, t_s: float) -> int:
        """The model's timestamp for a frame at video time `t_s`. VIDEO mode needs strictly increasing
        milliseconds, and its landmark filter reads the spacing: a frame earlier than the last one
        (a look back, `rewind`) moves the clock a second on, and later frames keep their spacing."""
        t_ms = round(t_s * 1000.0) + self._offset_ms
        if self._rewound or t_ms < self._last_ms - 1:
            self._rewound = False
            self._offset_ms += self._last_ms + 1000 - t_ms
            t_ms = self._last_ms + 1000
        t_ms = max(t_ms, self._last_ms + 1)
        self._last_ms = t_ms
        return t_ms

    def rewind(self) -> None:
        """The next frame is an earlier one (the sampler's look back): the same track goes on from
        there, its region re-centring on the body within a frame or two; the model's clock moves on
        a second (`_clock`), so its landmark filter takes the jump as a fresh start."""
        self._rewound = True

    def _maybe_count(self, rgb: np.ndarray, img: np.ndarray | None, t_s: float) -> None:
        last = self._last_count_t
        if self.count_every_s <= 0 or (last is not None and t_s - last < self.count_every_s):
            return
        self._last_count_t = t_s
        view = scene(rgb)
        if self._scene is not None and unchanged(self._scene[0], view, self._scene[1], img):
            # Nobody could have come or gone: the last count stands (as a check in a row).
            self._collect(self._count_wait)
            self._record_count(self._seen)
            return
        self._scene = (view, img)
        if self._pool is None:
            self._seen = self._count_people(rgb, img)
            self._record_count(self._seen)
        elif self._pending is None or self._pending.done() or self._count_wait:
            if self._collect(wait=True):
                self._record_count(self._seen)
            self._pending = self._pool.submit(self._count_people, rgb.copy(), None if img is None else img.copy())

    def _collect(self, wait: bool) -> bool:
        """Take the worker's count into `_seen` if it has one ready (or, `wait`, once it has)."""
        if self._pending is None or not (wait or self._pending.done()):
            return False
        self._seen = self._pending.result()
        self._pending = None
        return True

    def _detect_image(self, rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """One IMAGE-mode detection: the landmarks of a plausible person, or None."""
        from formcheck.pose.quality import QualityConfig, frame_reason

        if self._counter is None:
            self._counter = self._create(running_mode="IMAGE", num_poses=1)
        assert self._counter is not None
        with native_stderr_silenced():
            found = self._counter.detect(mp_image(rgb))
        if not found.pose_landmarks:
            return None
        arrays = _to_arrays(found, 0)
        return arrays if frame_reason(PoseFrame(0.0, *arrays), QualityConfig()) is None else None

    def _search(self, rgb: np.ndarray) -> None:
        """Nobody found in the whole frame: look for a small person tile by tile."""
        assert self._zoom is not None
        h, w = rgb.shape[:2]
        for tile in tiles(w, h):
            found = self._detect_image(tile.crop(rgb))
            if found is not None:
                self._zoom.found(tile.to_frame(found[0], w, h))
                return

    def _search_turned(self, rgb: np.ndarray, t_s: float) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Nobody found upright: try the frame a quarter turn each way and keep the surer skeleton
        (pose/turn.py); the tracker is fed that turn from the next frame on."""
        best: tuple[float, int, np.ndarray, np.ndarray] | None = None
        for k in (1, 3):
            found = self._detect_image(turned(rgb, k))
            if found is None:
                continue
            score = presence(found[0])
            if score >= self._turn.config.min_presence and (best is None or score > best[0]):
                best = (score, k, *upright(found[0], found[1], k))
        if best is None:
            return None, None
        self._turn.take(t_s, best[1])
        return best[2], best[3]

    def _record_count(self, seen: int) -> None:
        # A second person must be seen on two checks in a row: phantom poses on furniture flicker.
        self._people = seen if seen <= 1 or self._others_before else max(self._people, 1)
        self._others_before = seen > 1

    def _count_people(self, rgb: np.ndarray, tracked: np.ndarray | None) -> int:
        """1 + whether someone plausible is left once the tracked person is greyed out (0 if nobody)."""
        views = [rgb]
        tracked_size = 0.0
        if tracked is not None:
            h, w = rgb.shape[:2]
            x0, y0 = tracked[:, 0].min(), tracked[:, 1].min()
            x1, y1 = tracked[:, 0].max(), tracked[:, 1].max()
            px, py = 0.15 * (x1 - x0) + 0.02, 0.15 * (y1 - y0) + 0.02
            r0, r1 = int(max(0.0, y0 - py) * h), int(min(1.0, y1 + py) * h)
            c0, c1 = int(max(0.0, x0 - px) * w), int(min(1.0, x1 + px) * w)
            masked = rgb.copy()
            masked[r0:r1, c0:c1] = 127
            # The detector sees a 224x224 letterbox: give it the strips beside the tracked person
            # too, where someone else would appear larger than in the whole frame.
            views = [masked] + [strip for strip in (masked[:, :c0], masked[:, c1:]) if strip.shape[1] > 0.2 * w]
            tracked_size = body_size_px(tracked[:, :2] * [w, h])
        for view in views:
            found = self._detect_image(view)
            if found is None:
                continue
            vh, vw = view.shape[:2]
            if body_size_px(found[0][:, :2] * [vw, vh]) >= MIN_OTHER_SIZE * tracked_size:
                return int(tracked is not None) + 1
        return int(tracked is not None)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        with native_stderr_silenced():
            for lm in (self._video, self._counter):
                if lm is not None:
                    lm.close()
        self._video = None
        self._counter = None
        _OPEN.discard(self)

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
