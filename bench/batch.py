"""Batch throughput: all shared clips with 1 worker, then with one worker per core.

    python bench/batch.py

Prints clips and video seconds analysed per wall-clock second for each setting.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.batch import default_workers, find_clips, run_batch  # noqa: E402


def main() -> int:
    clips = find_clips(str(ROOT.parent / "shared" / "videos"))
    for workers in sorted({1, default_workers()}):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            outcomes = run_batch(clips, Path(tmp), workers, force=True)
            wall = time.perf_counter() - t0
        ok = [o for o in outcomes if o.result is not None]
        video_s = sum(o.result.source.duration_s for o in ok if o.result)
        frames = sum(o.result.frames.total for o in ok if o.result)
        print(
            f"workers={workers}: {len(ok)}/{len(clips)} clips in {wall:.1f} s -> {len(ok) / wall:.2f} clips/s, "
            f"{video_s / wall:.2f} video-s/s, {frames / wall:.1f} frames/s (reports included)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
