"""Compose longer test videos from the shared clips, with exactly known ground truth.

Each output frame remembers which source clip and source time it shows, so the label of the
source clip (hold start/end ranges in source time) maps exactly onto the composed timeline:
forward, backward (a release is an entry played backward), ping-pong (a longer hold with natural
micro-motion), mirrored (the other side), sped up (a sudden move), or oscillated (bouncing).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from formcheck.render.video_writer import AnnotatedWriter
from tests.conftest import SHARED

MAX_SIDE = 640


@dataclass(frozen=True)
class Clip:
    frames: tuple[np.ndarray, ...]
    times: np.ndarray  # source time of each frame, seconds
    fps: float


@functools.lru_cache(maxsize=4)
def load_clip(name: str, max_side: int | None = MAX_SIDE, until_s: float | None = None) -> Clip:
    """Decode a shared clip once (downscaled to max_side, None: as recorded; even sizes for the
    encoders; up to `until_s` if given) and keep it."""
    from formcheck.sources.frame import fit
    from formcheck.sources.video import open_capture

    cap = open_capture(SHARED / "videos" / f"{name}.mp4")
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 30.0)
    frames = []
    while until_s is None or len(frames) <= until_s * fps + 1:
        ok, f = cap.read()
        if not ok:
            break
        f = f if max_side is None else fit(f, max_side)
        frames.append(f[: f.shape[0] // 2 * 2, : f.shape[1] // 2 * 2])
    cap.release()
    return Clip(tuple(frames), np.arange(len(frames)) / fps, fps)


def label(name: str) -> dict:
    return json.loads((SHARED / "labels" / f"{name}.json").read_text())


@dataclass
class Piece:
    """Play `clip` from source time `a` to `b` (b < a plays backward) at `speed`."""

    clip: str
    a: float
    b: float
    speed: float = 1.0
    flip: bool = False


def pingpong(clip: str, a: float, b: float, total_s: float, flip: bool = False) -> list[Piece]:
    """Back and forth over [a, b] for about total_s seconds (ends on whichever end it reaches)."""
    out, t, fwd = [], 0.0, True
    while t < total_s - 1e-6:
        seg = min(b - a, total_s - t)
        out.append(Piece(clip, a, a + seg, flip=flip) if fwd else Piece(clip, b, b - seg, flip=flip))
        t += seg
        fwd = not fwd
    return out


def hold_then_release(
    clip: str, entry_from: float, hold_from: float, hold_to: float, hold_s: float, flip: bool = False
) -> list[Piece]:
    """Enter, hold by ping-pong for hold_s, then play the way back out (the release)."""
    pieces = [Piece(clip, entry_from, hold_from, flip=flip), *pingpong(clip, hold_from, hold_to, hold_s, flip=flip)]
    return [*pieces, Piece(clip, pieces[-1].b, entry_from, flip=flip)]


@dataclass
class Composed:
    path: Path
    fps: float
    src: list[tuple[str, float, bool]] = field(default_factory=list)  # per output frame: clip, source time, flipped

    @property
    def duration_s(self) -> float:
        return len(self.src) / self.fps

    def truth(self) -> list[dict]:
        """Expected holds, mapped from the source labels frame by frame.

        A frame is surely in a hold when its source time lies between the label's latest start and
        earliest end, maybe when between the earliest start and the latest end. Each run of "maybe"
        frames holding a "sure" one is a hold: its start range runs from the first maybe to the first
        sure frame, its end range from the last sure to the last maybe frame, so the rater's
        uncertainty carries over unchanged whether the source plays forward or backward.
        """
        holds = []
        dt = 1 / self.fps
        for i0, (clip, _, flipped) in enumerate(self.src):
            if any(c == clip and f == flipped for c, _, f in self.src[:i0]):
                continue  # each (clip, flip) once
            for h in label(clip)["holds"]:
                (s_lo, s_hi), (e_lo, e_hi) = h["start_s"], h["end_s"]
                mine = [c == clip and f == flipped for c, _, f in self.src]
                maybe = [m and s_lo <= t <= e_hi for m, (_, t, _) in zip(mine, self.src, strict=True)]
                sure = [m and s_hi <= t <= e_lo for m, (_, t, _) in zip(mine, self.src, strict=True)]
                i = 0
                while i < len(maybe):
                    if not maybe[i]:
                        i += 1
                        continue
                    j = i
                    while j < len(maybe) and maybe[j]:
                        j += 1
                    sure_idx = [k for k in range(i, j) if sure[k]]
                    if sure_idx:
                        side = h["side"]
                        if flipped and side:
                            side = "left" if side == "right" else "right"
                        holds.append(
                            {
                                "stretch": h["stretch"],
                                "side": side,
                                "variant": h["variant"],
                                "start_s": [i * dt, sure_idx[0] * dt + dt],
                                "end_s": [sure_idx[-1] * dt, j * dt],
                                "open_at_end": j == len(maybe),
                            }
                        )
                    i = j
        return sorted(holds, key=lambda d: d["start_s"][0])


def small_in_frame(frame: np.ndarray, fraction: float = 1 / 3) -> np.ndarray:
    """The same scene with the person at `fraction` of the frame height: shrunk and centred on a
    background of the frame's own edge colours (a phone far away on the floor)."""
    h, w = frame.shape[:2]
    small = cv2.resize(frame, (round(w * fraction), round(h * fraction)), interpolation=cv2.INTER_AREA)
    out = np.empty_like(frame)
    out[:] = np.median(np.concatenate([frame[0], frame[-1]]), axis=0).astype(frame.dtype)
    y0, x0 = (h - small.shape[0]) * 2 // 3, (w - small.shape[1]) // 2  # on the floor, below the centre
    out[y0 : y0 + small.shape[0], x0 : x0 + small.shape[1]] = small
    return out


def from_above(frame: np.ndarray, degrees: float = 12.0) -> np.ndarray:
    """The same scene seen by a camera pitched down by `degrees` (a phone on a chair): the homography
    K R K^-1 of a rotation about the camera's horizontal axis (focal length ~ the frame width), then
    scaled back so the whole scene stays in view, keystoned as a tilted camera sees it."""
    h, w = frame.shape[:2]
    k = np.array([[w, 0, w / 2], [0, w, h / 2], [0, 0, 1]], np.float64)
    a = np.radians(degrees)
    r = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    hom = k @ r @ np.linalg.inv(k)
    corners = cv2.perspectiveTransform(np.array([[[0, 0], [w, 0], [w, h], [0, h]]], np.float64), hom)[0]
    (x0, y0), (x1, y1) = corners.min(axis=0), corners.max(axis=0)
    s = min(w / (x1 - x0), h / (y1 - y0))
    fit = np.array([[s, 0, (w - s * (x1 + x0)) / 2], [0, s, (h - s * (y1 + y0)) / 2], [0, 0, 1]])
    return cv2.warpPerspective(frame, fit @ hom, (w, h), borderMode=cv2.BORDER_REPLICATE)


def compose(
    pieces: list[Piece],
    out: Path,
    fps: float = 30.0,
    size: tuple[int, int] | None = None,
    view: Callable[[np.ndarray], np.ndarray] | None = None,
    max_side: int | None = MAX_SIDE,
    phone: bool = False,
) -> Composed:
    """Render pieces into one constant-rate MP4 and return it with its frame-to-source map; `view`
    changes how the camera sees every frame (`small_in_frame`, `from_above`). `phone`: H.264 as a
    phone records (the bundled ffmpeg), else MPEG-4 part 2 through OpenCV (quicker to write)."""
    until: dict[str, float] = {}  # decode each clip as far as needed (whole seconds: cache hits)
    for p in pieces:
        until[p.clip] = max(until.get(p.clip, 0.0), float(np.ceil(max(p.a, p.b))) + 1.0)
    first = load_clip(pieces[0].clip, max_side, until[pieces[0].clip])
    h, w = first.frames[0].shape[:2] if size is None else size[::-1]
    writer: cv2.VideoWriter | AnnotatedWriter
    if phone:
        writer = AnnotatedWriter(out, fps, (w, h))
    else:
        writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    comp = Composed(out, fps)
    for p in pieces:
        clip = load_clip(p.clip, max_side, until[p.clip])
        n = max(1, round(abs(p.b - p.a) / p.speed * fps))
        direction = 1 if p.b >= p.a else -1
        for k in range(n):
            t_src = p.a + direction * k * p.speed / fps
            idx = int(np.clip(np.searchsorted(clip.times, t_src - 0.5 / clip.fps), 0, len(clip.frames) - 1))
            fr = clip.frames[idx]
            if fr.shape[:2] != (h, w):
                fr = cv2.resize(fr, (w, h))
            if p.flip:
                fr = cv2.flip(fr, 1)
            writer.write(fr if view is None else view(fr))
            comp.src.append((p.clip, float(clip.times[idx]), p.flip))
    if isinstance(writer, AnnotatedWriter):
        writer.close()
    else:
        writer.release()
    return comp
