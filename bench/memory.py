"""Peak memory (RSS) analysing a clip and the same clip looped 10x longer.

    python bench/memory.py [--clip NAME]

Goal: the long run needs at most ~10% more memory; what grows with length are the compact
per-frame arrays we keep on purpose (landmark track, angle series), whose bytes per frame are printed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import resource, sys
sys.path.insert(0, {root!r})
import formcheck
r = formcheck.analyze_video({video!r}, save_track={track!r})
print(r.frames.total, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def looped(src: Path, out: Path, times: int) -> None:
    cap = cv2.VideoCapture(str(src))
    frames = []
    while True:
        ok, fr = cap.read()
        if not ok:
            break
        frames.append(fr)
    fps = cap.get(cv2.CAP_PROP_FPS)
    h, w = frames[0].shape[:2]
    wr = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for i in range(times):
        for fr in frames if i % 2 == 0 else frames[::-1]:
            wr.write(fr)
    wr.release()


def peak(video: Path, track: Path) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), video=str(video), track=str(track))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clip", default="knee_to_chest_generated")
    args = ap.parse_args()
    from formcheck.analysis.series import Series
    from formcheck.sources.track import TrackRecorder

    with tempfile.TemporaryDirectory() as tmp:
        src = ROOT.parent / "shared" / "videos" / f"{args.clip}.mp4"
        once, ten = Path(tmp) / "once.mp4", Path(tmp) / "ten.mp4"
        looped(src, once, 1)
        looped(src, ten, 10)
        n1, kb1 = peak(once, Path(tmp) / "a.npz")
        n10, kb10 = peak(ten, Path(tmp) / "b.npz")
    per_frame = TrackRecorder().nbytes_per_frame + Series().nbytes_per_frame
    print(
        f"{args.clip}: {n1} frames -> peak RSS {kb1 / 1024:.0f} MiB; {n10} frames -> {kb10 / 1024:.0f} MiB "
        f"(+{(kb10 - kb1) / kb1 * 100:.1f}%)"
    )
    print(
        f"kept per frame: {per_frame} bytes (track {TrackRecorder().nbytes_per_frame} + angle series "
        f"{Series().nbytes_per_frame}); {n10 - n1} extra frames -> {(n10 - n1) * per_frame / 2**20:.1f} MiB expected"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
