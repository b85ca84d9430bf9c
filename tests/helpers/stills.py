"""A photo as a video, the way a user would try formcheck on one picture.

A camera filming a still scene never delivers identical frames: the sensor adds noise to every
pixel of every frame (a webcam in room light: ~2-4 grey levels standard deviation, more in dim
light), auto-exposure flickers the brightness by a fraction of a percent, and the encoder
(H.264 at a phone's or webcam's quality) quantises each frame differently. The model answers
that noise with landmark jitter the motion rules must stay above, so stills are tested as
*recorded*: `recorded_still` adds those three, `still_clip` keeps the identical-frames case.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import imageio_ffmpeg
import numpy as np

# Sensor noise (grey levels, per pixel and frame) and exposure flicker (fraction): a mid-range
# webcam in ordinary room light. Dim evening light roughly doubles the noise.
SENSOR_NOISE = 3.0
FLICKER = 0.006


def _photo(photo: Path, max_side: int = 960) -> np.ndarray:
    img = cv2.imread(str(photo), cv2.IMREAD_COLOR)
    if img is None:
        raise ValueError(f"cannot read {photo}")
    h, w = img.shape[:2]
    s = min(1.0, max_side / max(h, w))
    return cv2.resize(img, (round(w * s) // 2 * 2, round(h * s) // 2 * 2), interpolation=cv2.INTER_AREA)


def still_clip(photo: Path, out: Path, seconds: float = 10.0, fps: float = 5.0) -> Path:
    """Encode `photo` as an MP4 of identical frames (mp4v; compression alone makes them differ)."""
    img = _photo(photo)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, img.shape[1::-1])
    for _ in range(round(seconds * fps)):
        writer.write(img)
    writer.release()
    return out


def recorded_still(
    photo: Path,
    out: Path,
    fps: float = 5.0,
    seconds: float = 10.0,
    noise: float = SENSOR_NOISE,
    flicker: float = FLICKER,
    seed: int = 0,
) -> Path:
    """`photo` filmed by a webcam that does not move: per-frame sensor noise and exposure flicker,
    encoded as H.264 (yuv420p, CRF 23: a phone's or webcam's everyday quality) by a real ffmpeg."""
    img = _photo(photo).astype(np.float32)
    h, w = img.shape[:2]
    rng = np.random.default_rng(seed)
    # Fresh noise for every frame: a bank of noise fields, each frame one of them shifted by a
    # random offset (as independent frame to frame as new draws, at a fraction of their cost).
    bank = rng.normal(0.0, noise, (4, h, w, 3)).astype(np.float32)
    cmd = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{w}x{h}", "-r", f"{fps:g}", "-i", "-",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", str(out),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for _ in range(round(seconds * fps)):
        gain = 1.0 + flicker * float(rng.standard_normal())
        field = np.roll(bank[rng.integers(len(bank))], (int(rng.integers(h)), int(rng.integers(w))), axis=(0, 1))
        frame = img * gain + field
        proc.stdin.write(np.clip(frame, 0, 255).astype(np.uint8).tobytes())
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError(f"ffmpeg could not encode {out}")
    return out
