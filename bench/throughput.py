"""Offline speed against the physical limit (the pose model itself) and against a naive peer.

    python bench/throughput.py [--clip NAME]

1. bare model: PoseLandmarker.detect_for_video on pre-decoded RGB frames (decoding not counted);
2. formcheck: analyze_video on the same file (decoding, pose, smoothing, features, holds, report);
3. naive peer: the tutorial loop (read, convert, detect in IMAGE mode, compute angles), single thread;
4. per-frame analysis cost: everything after the landmarks, replaying the clip's track, in microseconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import formcheck  # noqa: E402
from formcheck.analysis.session import Analyzer  # noqa: E402
from formcheck.pose.models import resolve_model  # noqa: E402
from formcheck.pose.quiet import native_stderr_silenced  # noqa: E402
from formcheck.sources.track import Track  # noqa: E402


def bare_model_fps(video: Path, max_side: int | None = None) -> float:
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    cap = cv2.VideoCapture(str(video))
    frames = []
    while True:
        ok, fr = cap.read()
        if not ok:
            break
        frames.append(mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(fr, cv2.COLOR_BGR2RGB)))
    opts = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(resolve_model(None))),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=1,
    )
    with native_stderr_silenced():
        lm = vision.PoseLandmarker.create_from_options(opts)
        lm.detect_for_video(frames[0], 0)
    t0 = time.perf_counter()
    for i, f in enumerate(frames[1:], start=1):
        lm.detect_for_video(f, i * 33)
    dt = time.perf_counter() - t0
    with native_stderr_silenced():
        lm.close()
    return (len(frames) - 1) / dt


def decode_fps(video: Path) -> float:
    """Decoding and colour conversion alone: the CPU the bare-model figure does not pay for."""
    cap = cv2.VideoCapture(str(video))
    n, t0 = 0, time.perf_counter()
    while True:
        ok, fr = cap.read()
        if not ok:
            break
        cv2.cvtColor(fr, cv2.COLOR_BGR2RGB)
        n += 1
    return n / (time.perf_counter() - t0)


def naive_fps(video: Path) -> float:
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    opts = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(resolve_model(None))), running_mode=vision.RunningMode.IMAGE
    )
    with native_stderr_silenced():
        lm = vision.PoseLandmarker.create_from_options(opts)
    cap = cv2.VideoCapture(str(video))
    n, t0 = 0, time.perf_counter()
    while True:
        ok, fr = cap.read()
        if not ok:
            break
        res = lm.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(fr, cv2.COLOR_BGR2RGB)))
        if res.pose_landmarks:
            p = res.pose_landmarks[0]
            a, b, c = (np.array([p[i].x, p[i].y]) for i in (11, 23, 25))
            u, v = a - b, c - b
            np.degrees(np.arccos(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))))
        n += 1
    dt = time.perf_counter() - t0
    with native_stderr_silenced():
        lm.close()
    return n / dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clip", default="forward_fold_standing")
    args = ap.parse_args()
    video = ROOT.parent / "shared" / "videos" / f"{args.clip}.mp4"
    bare = bare_model_fps(video)
    from formcheck.sources.video import MAX_SIDE

    bare_scaled = bare_model_fps(video, MAX_SIDE)
    with tempfile.TemporaryDirectory() as tmp:
        track = Path(tmp) / "t.npz"
        formcheck.analyze_video(video)  # warm the page cache and imports
        t0 = time.perf_counter()
        result = formcheck.analyze_video(video, save_track=track)
        ours = result.frames.total / (time.perf_counter() - t0)
        frames = list(Track(track))
    naive = naive_fps(video)
    decode = decode_fps(video)
    limit = 1.0 / (1.0 / bare + 1.0 / decode)  # model + unavoidable decoding, if they could not overlap
    an = Analyzer(result.source)
    t0 = time.perf_counter()
    for f in frames:
        an.update(f)
    an.finish()
    per_frame_us = (time.perf_counter() - t0) / len(frames) * 1e6
    print(f"clip {args.clip}: {result.frames.total} frames {result.source.width}x{result.source.height}")
    print(f"bare model (pre-decoded frames): {bare:6.1f} fps")
    print(f"bare model, frames scaled to {MAX_SIDE} px: {bare_scaled:6.1f} fps (same input size as formcheck)")
    print(f"decoding + colour conversion:    {decode:6.1f} fps ({1000 / decode:.1f} ms a frame)")
    print(
        f"formcheck analyze (everything):  {ours:6.1f} fps   ratio to bare model {ours / bare:.2f}, "
        f"to model + decoding {ours / limit:.2f}"
    )
    print(f"naive peer (IMAGE mode loop):    {naive:6.1f} fps   formcheck speed-up {ours / naive:.2f}x")
    print(f"analysis after landmarks:        {per_frame_us:6.0f} us per frame")
    return 0


if __name__ == "__main__":
    sys.exit(main())
