"""Live sessions that run long or end badly, on a real clip paced like a camera: a short soak
(bench/soak.py runs an hour) and a process killed with SIGKILL, whose session the next start
recovers from its journal into the history."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from formcheck.sources.track import Track
from tests.conftest import SHARED

pytestmark = pytest.mark.usefixtures("require_shared")
STATS = re.compile(r"stats  t=(\d+) s  analysed ([\d.]+) fps  latency (\d+|nan)/(\d+|nan) ms  memory (\d+) MB")
CLIP = SHARED / "videos" / "forward_fold_standing.mp4"


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}  # this test's journals only


def _live(tmp_path: Path, source: Path, *args: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "formcheck", "live", "--source", str(source), "--realtime", "--no-window", "--mute",
           "--out", str(tmp_path / "sessions"), "--db", str(tmp_path / "h.db"), *args]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(tmp_path))


def test_a_minute_of_live_coaching_stays_flat_and_is_kept_whole(tmp_path: Path) -> None:
    long = tmp_path / "long.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-stream_loop", "3", "-i", str(CLIP), "-c", "copy", "-t", "62", str(long)],
                   check=True)  # fmt: skip
    proc = _live(tmp_path, long, "--stats-every", "10", "--duration", "60")
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err
    rows = [tuple(float(x) for x in m.groups()) for m in STATS.finditer(out)]
    assert len(rows) >= 5, out
    memory = [r[4] for r in rows]
    assert memory[-1] - memory[1] < 25, f"memory grew: {memory}"  # after the first interval's warm-up
    fps = [r[1] for r in rows]
    assert min(fps) > 0.5 * max(fps), f"the frame rate sagged: {fps}"
    (track,) = (tmp_path / "sessions").glob("*/track.npz")
    (duration, partial), *more = (
        sqlite3.connect(tmp_path / "h.db").execute("SELECT duration_s, partial FROM sessions").fetchall()
    )
    assert not more and partial == 0 and 55 <= duration <= 62
    report = json.loads((track.parent / "report.json").read_text())
    assert len(Track(track)) == report["source"]["frames"] >= 0.5 * 30 * duration  # intact, every frame kept


def test_a_killed_live_session_is_recovered_by_the_next_start(tmp_path: Path) -> None:
    proc = _live(tmp_path, CLIP, "--stats-every", "1")
    seen = 0.0
    assert proc.stdout is not None
    for line in proc.stdout:  # until 12 s of the session were analysed
        m = STATS.search(line)
        if m:
            seen = float(m.group(1))
            if seen >= 12:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not list((tmp_path / "sessions").glob("*/report.json"))  # nothing was saved the normal way
    time.sleep(0.2)
    after = subprocess.run([sys.executable, "-m", "formcheck", "history", "--db", str(tmp_path / "h.db")],
                           capture_output=True, text=True, timeout=120, env=_env(tmp_path))  # fmt: skip
    assert after.returncode == 0, after.stderr
    assert "recovered the live session" in after.stderr and "added to the history" in after.stderr
    ((duration, partial, kind),) = (
        sqlite3.connect(tmp_path / "h.db").execute("SELECT duration_s, partial, kind FROM sessions").fetchall()
    )
    assert partial == 1 and kind == "file"
    assert duration >= seen - 1.5, (duration, seen)  # at most the last second and a half is lost
    (report,) = (tmp_path / "sessions").glob("*/report.json")
    (track,) = (tmp_path / "sessions").glob("*/track.npz")
    assert len(Track(track)) > 0 and '"partial": true' in report.read_text()
    again = subprocess.run([sys.executable, "-m", "formcheck", "history", "--db", str(tmp_path / "h.db")],
                           capture_output=True, text=True, timeout=120, env=_env(tmp_path))  # fmt: skip
    assert "recovered" not in again.stderr  # once only
    assert not list((tmp_path / "data").rglob("*.journal"))
