"""An hour of live coaching, as a user runs it: does anything drift?

    python bench/soak.py [--minutes 60] [--every 300] [--clip PATH] [--keep DIR]

Loops a shared clip (stream copy, no re-encoding) into one long file, runs
`formcheck live --source LONG --realtime --no-window --mute --stats-every EVERY` on it (paced
like a camera), and prints the live process's own stats lines: analysed frame rate, latency
from capture to analysis (median / 95th percentile) and resident memory, per interval. Then
checks what a user keeps: the track loads and holds every analysed frame, the history has the
session with its length.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import SHARED

STATS = re.compile(r"stats  t=(\d+) s  analysed ([\d.]+) fps  latency (\d+|nan)/(\d+|nan) ms  memory (\d+) MB")


def looped(clip: Path, minutes: float, out: Path) -> Path:
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(clip)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    loops = int(minutes * 60 / float(probe.stdout) + 1)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", str(loops), "-i", str(clip), "-c", "copy",
                    "-t", str(minutes * 60 + 5), str(out)], check=True)  # fmt: skip
    return out


def soak(clip: Path, minutes: float, every: float, work: Path) -> list[tuple[float, ...]]:
    work.mkdir(parents=True, exist_ok=True)
    long = looped(clip, minutes, work / "long.mp4")
    db, out = work / "history.db", work / "session"
    cmd = [sys.executable, "-m", "formcheck", "live", "--source", str(long), "--realtime", "--no-window",
           "--mute", "--out", str(out), "--db", str(db), "--stats-every", str(every),
           "--duration", str(minutes * 60)]  # fmt: skip
    print("$ formcheck " + " ".join(cmd[3:]), flush=True)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    rows = []
    assert proc.stdout is not None
    for line in proc.stdout:
        m = STATS.search(line)
        if m:
            row = tuple(float(x) for x in m.groups())
            rows.append(row)
            print(f"  t={row[0]:5.0f} s  {row[1]:5.1f} fps  latency {row[2]:4.0f}/{row[3]:4.0f} ms  {row[4]:5.0f} MB",
                  flush=True)  # fmt: skip
    code = proc.wait()
    print(f"exit {code} after {time.monotonic() - t0:.0f} s")
    from formcheck.sources.track import Track

    (track,) = out.glob("*/track.npz")
    frames = len(Track(track))
    sessions = sqlite3.connect(db).execute("SELECT duration_s, partial FROM sessions").fetchall()
    print(f"track: {frames} frames ({track}); history: {sessions}")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--every", type=float, default=300.0, help="seconds between stats lines")
    ap.add_argument("--clip", type=Path, default=SHARED / "videos" / "forward_fold_standing.mp4")
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    rows = soak(args.clip, args.minutes, args.every, args.keep or Path(tempfile.mkdtemp(prefix="formcheck-soak-")))
    if len(rows) >= 2:
        mem = [r[4] for r in rows]
        fps = [r[1] for r in rows]
        p95 = [r[3] for r in rows]
        print(
            f"memory {mem[0]:.0f} -> {mem[-1]:.0f} MB ({mem[-1] - mem[0]:+.0f} MB from the first stats line to the "
            f"last, {mem[-1] - mem[1]:+.0f} MB from the second); fps {min(fps):.1f}-{max(fps):.1f}; "
            f"p95 latency {min(p95):.0f}-{max(p95):.0f} ms"
        )


if __name__ == "__main__":
    main()
