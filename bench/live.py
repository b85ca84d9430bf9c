"""Live throughput and latency: a 640x480 source paced at 30 fps like a webcam, full model, 2 cores.

    python bench/live.py [--clip NAME] [--seconds 20]

Prints frames analysed per second, frames dropped by the newest-frame capture, and the latency
from frame capture to the finished overlay (mean, p50, p95, max): paced with the voice off and
with it on (espeak-ng synthesising every phrase, to files, on the voice's own thread, as long as
saying it takes; a 5-8 s plan so that there is plenty to say), then unpaced.
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

from formcheck.analysis.routine import Plan  # noqa: E402
from formcheck.analysis.session import Analyzer  # noqa: E402
from formcheck.live import LiveSession  # noqa: E402
from formcheck.pose.landmarker import PoseEstimator  # noqa: E402
from formcheck.render.audio import AudioCues  # noqa: E402
from formcheck.render.voice import Voice, WavSpeaker, espeak_exe  # noqa: E402
from formcheck.sources.capture import LiveCapture  # noqa: E402
from formcheck.types import SourceInfo  # noqa: E402


def make_source(clip: Path, out: Path, seconds: float) -> None:
    """The clip letterboxed to 640x480 at 30 fps, looped to `seconds`."""
    cap = cv2.VideoCapture(str(clip))
    frames = []
    while True:
        ok, fr = cap.read()
        if not ok:
            break
        h, w = fr.shape[:2]
        s = min(640 / w, 480 / h)
        small = cv2.resize(fr, (int(w * s), int(h * s)))
        canvas = np.zeros((480, 640, 3), np.uint8)
        y, x = (480 - small.shape[0]) // 2, (640 - small.shape[1]) // 2
        canvas[y : y + small.shape[0], x : x + small.shape[1]] = small
        frames.append(canvas)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (640, 480))
    for i in range(int(seconds * 30)):
        k = i % (2 * len(frames) - 2)  # ping-pong, so there is no jump at the loop point
        writer.write(frames[k if k < len(frames) else 2 * len(frames) - 2 - k])
    writer.release()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clip", default="knee_to_chest_generated")
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "cam.avi"
        make_source(ROOT.parent / "shared" / "videos" / f"{args.clip}.mp4", src, args.seconds)
        exe = espeak_exe()
        runs = [(True, False), (True, True), (False, False)] if exe else [(True, False), (False, False)]
        for realtime, speak in runs:
            capture = LiveCapture(source=str(src), realtime=realtime)
            voice = Voice(WavSpeaker(exe, Path(tmp) / "voice")) if speak and exe else None
            with PoseEstimator(count_async=True) as est:
                info = SourceInfo(str(src), 0.0, 30.0, 0, capture.width, capture.height, 0, "camera")
                session = LiveSession(
                    capture,
                    est,
                    Analyzer(info),
                    Plan(hold_s=(5.0, 8.0), rest_s=3.0),
                    window=False,
                    audio=AudioCues(False),
                    recorder=None,
                    say=lambda _line: None,
                    draw=True,
                    voice=voice,
                )
                t0 = time.perf_counter()
                session.run()
                wall = time.perf_counter() - t0
            capture.close()
            n = session.stats.frames
            if realtime:
                lat = np.array(list(session.stats.latencies_ms)[30:])  # after warm-up
                said = f", voice on: {len(voice.said)} phrases said" if voice is not None else ", voice off"
                print(f"source 640x480 @ 30 fps for {args.seconds:g} s ({args.clip}), paced like a webcam{said}")
                print(
                    f"  analysed {n} frames in {wall:.1f} s: {n / wall:.1f} fps "
                    f"(last 2 s window at the end: {session.stats.fps:.1f}); "
                    f"dropped {capture.dropped} of {capture.grabbed}"
                )
                print(
                    f"  capture->overlay latency ms: mean {lat.mean():.1f}  p50 {np.percentile(lat, 50):.1f}  "
                    f"p95 {np.percentile(lat, 95):.1f}  max {lat.max():.1f}"
                )
            else:
                print(f"unpaced (headroom): {n / wall:.1f} fps including pose, analysis and overlay drawing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
