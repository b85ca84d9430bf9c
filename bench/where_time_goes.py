"""Where each second of `formcheck analyze` goes, adaptive sampling, in-process.

    python bench/where_time_goes.py VIDEO [VIDEO ...]

Wraps the stages of one run with clocks (each counts its own thread's wall time inside it):
decoding (grab + retrieve, on the decode thread), the grey previews (decode thread), the model's
calls (detect_for_video, on the main or the prefetch thread), scaling and converting the frames
the model sees, the check for other people (its own thread), the stillness check, the analysis
(main thread), the main thread's waits for a decoded frame, and its time getting each pose (a
model call of its own, or waiting for the one the prefetch thread started). The run's wall clock
includes creating the landmarker; what the clocks add up to beyond it ran in parallel on the
second core. (The queue clock also counts the people check's and MediaPipe's own queues, if any.)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLOCKS: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def clocked(owner: object, name: str, label: str) -> None:
    """Replace owner.name by a wrapper adding its wall time to CLOCKS[label] (generators: the time
    spent inside each step)."""
    import inspect

    fn: Callable = getattr(owner, name)
    if inspect.isgeneratorfunction(fn):

        def gen_wrapper(*a: object, **k: object) -> Iterator[object]:
            it = fn(*a, **k)
            while True:
                t0 = time.perf_counter()
                try:
                    item = next(it)
                except StopIteration:
                    CLOCKS[label] += time.perf_counter() - t0
                    return
                CLOCKS[label] += time.perf_counter() - t0
                CALLS[label] += 1
                yield item

        setattr(owner, name, gen_wrapper)
        return

    def wrapper(*a: object, **k: object) -> object:
        t0 = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            CLOCKS[label] += time.perf_counter() - t0
            CALLS[label] += 1

    setattr(owner, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("videos", nargs="+", type=Path)
    args = ap.parse_args()

    import queue

    from mediapipe.tasks.python.vision import pose_landmarker

    import formcheck
    from formcheck.analysis.session import Analyzer
    from formcheck.pose import landmarker, stillness
    from formcheck.pose.adaptive import AdaptiveSampler
    from formcheck.sources import frame, video

    clocked(video.VideoReader, "_next", "decode: grab + retrieve (decode thread)")
    clocked(video, "preview", "decode: grey previews (decode thread)")
    clocked(pose_landmarker.PoseLandmarker, "detect_for_video", "model: detect_for_video")
    clocked(frame.Frame, "rgb_array", "model: scale + convert its frames")
    clocked(landmarker.PoseEstimator, "_count_people", "people check (its own thread)")
    clocked(stillness.Stillness, "moved", "stillness check (main)")
    clocked(Analyzer, "update", "analysis (main)")
    clocked(Analyzer, "skipped", "analysis (main)")
    clocked(queue.Queue, "get", "main waits for a decoded frame")
    clocked(AdaptiveSampler, "_look", "sampler gets a pose (main: model call or prefetch wait)")

    for path in args.videos:
        CLOCKS.clear()
        CALLS.clear()
        t0 = time.perf_counter()
        result = formcheck.analyze_video(path)
        wall = time.perf_counter() - t0
        dur = result.source.duration_s
        print(f"\n{path.name}: {dur:.1f} s of video in {wall:.1f} s = {dur / wall:.2f}x real time; "
              f"model on {result.sampling['model_frames']} of {result.frames.total} frames")  # fmt: skip
        for label, s in sorted(CLOCKS.items(), key=lambda kv: -kv[1]):
            print(f"  {label:48s} {s:6.1f} s  ({CALLS[label]} calls, {1000 * s / max(CALLS[label], 1):.2f} ms each)")


if __name__ == "__main__":
    main()
