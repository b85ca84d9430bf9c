"""Offline speed: `formcheck analyze` as a user runs it, against the bare model on the same frames.

    python bench/throughput.py [--clip NAME] [--runs N]

Every line says exactly what it times:
1. bare model: MediaPipe's PoseLandmarker (formcheck's options, VIDEO mode) on frames decoded and
   scaled to the size formcheck feeds the model (longer side <= MAX_SIDE), before the clock starts;
   the clock includes creating the landmarker (model loading), as the CLI's does.
2. decoding: reading and converting the same file, nothing else.
3. formcheck analyze --every-frame: the command, in a fresh process, wall clock from start to exit
   (Python start-up, imports, model loading, decoding, pose, analysis, report), `--no-history --json
   FILE`; every frame, so the model sees the same frames as in 1 (adaptive sampling, the default
   for files, is measured on long sessions by bench/realtime.py).
4. fixed cost: the same command on a 1-frame clip (start-up, imports, model loading, writing).
5. naive peer: the tutorial loop (read, convert, detect in IMAGE mode, an angle), in this process,
   model loading included.
6. analysis after the landmarks: the Analyzer replaying the clip's recorded track, per frame.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
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
from formcheck.pose.landmarker import landmarker_options  # noqa: E402
from formcheck.pose.models import resolve_model  # noqa: E402
from formcheck.pose.quiet import native_stderr_silenced  # noqa: E402
from formcheck.sources.frame import MAX_SIDE  # noqa: E402
from formcheck.sources.track import Track  # noqa: E402
from formcheck.sources.video import decode_all  # noqa: E402


def bare_model_s(frames: list[np.ndarray], fps: float) -> float:
    """Seconds for: create the landmarker, then detect_for_video on every (pre-converted) frame."""
    import mediapipe as mp
    from mediapipe.tasks.python import vision

    images = [mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(f, cv2.COLOR_BGR2RGB)) for f in frames]
    t0 = time.perf_counter()
    with native_stderr_silenced():  # creating it and its first call log alignment notes
        lm = vision.PoseLandmarker.create_from_options(landmarker_options(resolve_model(None)))
        lm.detect_for_video(images[0], 0)
    for i, img in enumerate(images[1:], start=1):
        lm.detect_for_video(img, round(i * 1000 / fps))
    dt = time.perf_counter() - t0
    with native_stderr_silenced():
        lm.close()
    return dt


def decode_s(video: Path) -> tuple[int, float]:
    cap = cv2.VideoCapture(str(video))
    n, t0 = 0, time.perf_counter()
    while True:
        ok, fr = cap.read()
        if not ok:
            break
        cv2.cvtColor(fr, cv2.COLOR_BGR2RGB)
        n += 1
    return n, time.perf_counter() - t0


def cli_s(video: Path, out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", str(video), "--every-frame", "--no-history", "--json", str(out)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - t0


def naive_s(video: Path) -> tuple[int, float]:
    import mediapipe as mp
    from mediapipe.tasks.python import vision

    t0 = time.perf_counter()
    with native_stderr_silenced():
        lm = vision.PoseLandmarker.create_from_options(landmarker_options(resolve_model(None), "IMAGE"))
    cap = cv2.VideoCapture(str(video))
    n = 0
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
    return n, dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clip", default="forward_fold_standing")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    video = args.shared / "videos" / f"{args.clip}.mp4"
    frames, fps = decode_all(video, MAX_SIDE)
    n = len(frames)
    h, w = frames[0].shape[:2]
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.mp4"
        writer = cv2.VideoWriter(str(one), cv2.VideoWriter.fourcc(*"mp4v"), fps, (w, h))
        writer.write(frames[0])
        writer.release()
        cli_s(video, Path(tmp) / "warm.json")  # page cache, compiled imports
        bare = [bare_model_s(frames, fps) for _ in range(args.runs)]
        cli = [cli_s(video, Path(tmp) / "r.json") for _ in range(args.runs)]
        fixed = [cli_s(one, Path(tmp) / "one.json") for _ in range(args.runs)]
        track = Path(tmp) / "t.npz"
        result = formcheck.analyze_video(video, save_track=track, every_frame=True)  # a pose per frame
        poses = list(Track(track))
    dn, dsec = decode_s(video)
    nn, nsec = naive_s(video)
    an = Analyzer(result.source)
    t0 = time.perf_counter()
    for f in poses:
        an.update(f)
    an.finish()
    per_frame_us = (time.perf_counter() - t0) / len(poses) * 1e6
    b, c, f = statistics.median(bare), statistics.median(cli), statistics.median(fixed)
    print(f"clip {args.clip}: {n} frames at {fps:g} fps, fed to the model at {w}x{h} (MAX_SIDE {MAX_SIDE})")
    print(f"medians of {args.runs} runs")
    print(f"1. bare model, model loading + {n} frames:       {b:6.2f} s  = {n / b:5.1f} frames/s")
    print(f"2. decoding + colour conversion alone:         {dsec:6.2f} s  = {dn / dsec:5.1f} frames/s")
    print(f"3. `formcheck analyze --every-frame` wall clock (all of it): {c:6.2f} s  = {n / c:5.1f} frames/s")
    print(f"   ratio to the bare model on the same frames: {b / c:.2f}")
    print(f"4. fixed cost (start-up, imports, model, 1-frame clip): {f:5.2f} s")
    print(f"   without it: {(c - f):6.2f} s = {n / (c - f):5.1f} frames/s, ratio to the bare model {b / (c - f):.2f}")
    print(
        f"5. naive peer (IMAGE-mode loop, full-size frames, model loading): {nsec:6.2f} s = {nn / nsec:5.1f} frames/s"
    )
    print(f"6. analysis after the landmarks: {per_frame_us:5.0f} us per frame")
    return 0


if __name__ == "__main__":
    sys.exit(main())
