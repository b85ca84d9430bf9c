"""One decoded picture with its time: what every video source (file, photo, camera, stream) yields."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.errors import FormcheckError
from formcheck.types import PoseFrame

MAX_SIDE = 960  # the model sees 256x256 crops; larger frames only cost copies and conversion
PREVIEW_SIDE = 320  # the grey preview the stillness check reads (a body's box in it: tens of pixels)


@dataclass(slots=True)
class Frame:
    index: int
    t_s: float  # media time (file) or capture clock (camera, stream), seconds from the start
    bgr: np.ndarray | None  # None: decoded but not converted to pixels (off adaptive sampling's grid)
    rgb: np.ndarray | None = None  # filled on the decode thread where there is one, else on demand
    image: object = None  # the same frame as a mediapipe Image, when built off the critical path
    captured_at: float | None = None  # time.monotonic() when grabbed (live sources), for latency
    # `bgr` as decoded, to be scaled to this only if the model needs it (adaptive sampling: most
    # frames are never analysed, so they are never scaled or converted)
    fit_to: int | None = None
    # A small grey copy for adaptive sampling's stillness check (pose/stillness.py), made on the
    # decode thread: every grid frame is checked, and a thumbnail of the full frame costs ~1 ms.
    small: np.ndarray | None = None

    def preview_array(self) -> np.ndarray:
        if self.small is None:
            assert self.bgr is not None, "a frame off the grid has no pixels"
            self.small = preview(self.bgr)
        return self.small

    def model_image(self) -> object:
        """The frame as the pose model takes it, made once, on whichever thread asks first."""
        if self.image is None:
            self.image = mp_image(self.rgb_array())
        return self.image

    def rgb_array(self) -> np.ndarray:
        if self.rgb is None:
            assert self.bgr is not None, "a frame off the grid has no pixels"
            bgr = self.bgr if self.fit_to is None else fit(self.bgr, self.fit_to)
            self.rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        return self.rgb


@dataclass(slots=True)
class Sample:
    """A frame with its pose, or None where the model did not look (adaptive sampling)."""

    frame: Frame
    pose: PoseFrame | None
    # Not looked at because its pixels had not moved since the last frame the model saw (a grid
    # frame; off-grid frames never are): `pose` is then the two looks around it, interpolated.
    still: bool = False


def mp_image(rgb: np.ndarray) -> object:
    """RGB pixels as the mediapipe Image the pose model takes (it copies them)."""
    import mediapipe as mp

    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))


def between(a: PoseFrame, b: PoseFrame | None, t_s: float) -> PoseFrame:
    """The pose at `t_s` between two looks of the model, `a` before and `b` after it: landmarks
    interpolated in time (a still stretch drifts as evenly as the pixels allowed, instead of
    standing and then jumping at the next look, which would read as a jerk); `a` itself where
    either look shows nobody. Marked `between`: a straight path is no evidence that the body moved
    through the angles on it (analysis/motion.py)."""
    if b is None or a.landmarks is None or b.landmarks is None or a.world is None or b.world is None:
        return PoseFrame(t_s, a.landmarks, a.world, a.n_people, between=True)
    u = 0.0 if b.t_s <= a.t_s else min(max((t_s - a.t_s) / (b.t_s - a.t_s), 0.0), 1.0)
    lm = (1 - u) * a.landmarks + u * b.landmarks
    world = (1 - u) * a.world + u * b.world
    return PoseFrame(t_s, lm.astype(np.float32), world.astype(np.float32), a.n_people, between=True)


MIN_SIDE = 32  # below this no person can be seen (the model's detector works at 224x224)
MAX_ASPECT = 8.0  # cameras and phones film at 16:9 at most, 9:16 upright; a banner strip is no video


def check_frame_size(width: int, height: int, what: str) -> None:
    """Refuse pictures no stretch can be seen in, before the model or an encoder meets them (a
    4000x10 strip made the JPEG key frames overflow)."""
    if min(width, height) < MIN_SIDE:
        raise FormcheckError(f"{what}: its pictures are {width}x{height} pixels, too small to see a person")
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise FormcheckError(f"{what}: its pictures are {width}x{height} pixels, not a camera's shape")


def preview(bgr: np.ndarray, side: int = PREVIEW_SIDE) -> np.ndarray:
    """Grey, longer side at most `side`. Bilinear (0.25 ms on a 1110x1058 frame; area averaging
    takes 2 ms, on the decode thread that paces a 60 fps file): the thumbnail made from it
    averages tens of its pixels into each of its own, and that averages the sensor noise out."""
    h, w = bgr.shape[:2]
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if bgr.ndim == 3 else bgr
    scale = side / max(h, w)
    if scale >= 1.0:
        return grey
    return cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_LINEAR)


def fit(bgr: np.ndarray, max_side: int = MAX_SIDE) -> np.ndarray:
    """Scale a frame down so its longer side is at most `max_side` (never up)."""
    h, w = bgr.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1.0:
        return bgr
    # Bilinear is 6x quicker than area averaging and as good down to half size; beyond, average.
    interpolation = cv2.INTER_LINEAR if scale >= 0.5 else cv2.INTER_AREA
    return cv2.resize(bgr, (round(w * scale), round(h * scale)), interpolation=interpolation)


def media_time(pos_msec: float, index: int, fps: float, last_t: float | None = None) -> float:
    """A frame's time from its container (variable frame rate keeps real time), index / fps where
    the container gives none, and always after the previous frame (repeated stamps step by 1/fps)."""
    t = pos_msec / 1000.0 if pos_msec and pos_msec > 0 else index / fps
    if last_t is not None and t <= last_t:
        t = last_t + 1.0 / fps
    return t


def on_grid(t_s: float, last_grid_t: float | None, frame_gap_s: float, step_s: float) -> bool:
    """Is this frame the next of a grid `step_s` apart? Within half a frame (and a millisecond of
    timestamp rounding): a 0.05 s grid takes every third frame at 60 fps, every frame at 30 fps."""
    return last_grid_t is None or t_s - last_grid_t + 0.5 * frame_gap_s >= step_s - 1e-3
