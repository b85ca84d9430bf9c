"""Session records that hold: dated from the recording, and kept when the output pipe closes
(real clips written by ffmpeg with a creation time, a real pipe, a real SQLite history)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import imageio_ffmpeg

from formcheck.store.history import History
from tests.helpers.media import scene_clip


def _formcheck(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "formcheck", *args], capture_output=True, text=True, timeout=300)


def _dated(src: Path, out: Path, utc: str) -> Path:
    """A copy of `src` whose container says it was recorded at `utc` (as a phone writes it)."""
    ff = imageio_ffmpeg.get_ffmpeg_exe()
    cmd = [ff, "-v", "error", "-y", "-i", str(src), "-c", "copy", "-metadata", f"creation_time={utc}", str(out)]
    subprocess.run(cmd, check=True)
    return out


def _local(utc: str) -> str:
    when = datetime.fromisoformat(utc.replace("Z", "+00:00")).astimezone(timezone.utc)
    return when.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")


def test_a_session_is_dated_when_it_was_recorded(tmp_path: Path) -> None:
    clip = scene_clip(tmp_path / "raw.mp4", seconds=2.0)
    dated = _dated(clip, tmp_path / "filmed.mp4", "2026-11-20T17:42:05Z")
    os.utime(dated, (1_700_000_000, 1_700_000_000))  # a copy's modification time says otherwise
    db = tmp_path / "h.db"
    p = _formcheck("analyze", str(dated), "--db", str(db), "--json", str(tmp_path / "r.json"))
    assert p.returncode == 0, p.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["source"]["recorded_at"] == _local("2026-11-20T17:42:05Z")
    assert report["source"]["recorded_from"] == "container"
    # no creation time in the container: the file's modification time
    plain = scene_clip(tmp_path / "plain.mp4", seconds=2.0)
    os.utime(plain, (1_763_900_000, 1_763_900_000))
    assert _formcheck("analyze", str(plain), "--db", str(db)).returncode == 0
    mtime = datetime.fromtimestamp(1_763_900_000).isoformat(timespec="seconds")
    with History(db) as h:
        assert sorted(s.started_at for s in h.sessions()) == sorted([_local("2026-11-20T17:42:05Z"), mtime])
    # --date overrides both (and the clip analysed again replaces its own record)
    p = _formcheck("analyze", str(dated), "--db", str(db), "--date", "2026-11-01T09:30")
    assert p.returncode == 0, p.stderr
    with History(db) as h:
        assert sorted(s.started_at for s in h.sessions()) == sorted(["2026-11-01T09:30:00", mtime])
    bad = _formcheck("analyze", str(dated), "--db", str(db), "--date", "yesterday")
    assert bad.returncode == 2 and "--date 'yesterday'" in bad.stderr


def test_a_closed_pipe_keeps_the_record_and_is_not_an_error(tmp_path: Path) -> None:
    """`formcheck analyze clip --out r | head -1`: the reader stops after one line."""
    clip = scene_clip(tmp_path / "clip.mp4", seconds=2.0)
    db = tmp_path / "h.db"
    cmd = [sys.executable, "-m", "formcheck", "analyze", str(clip), "--out", str(tmp_path / "r"), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the pipe's reader is gone: every further write fails
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, stderr
    assert first and stderr == ""
    with History(db) as h:
        (session,) = h.sessions()
    assert session.files and Path(session.files).parent.name == "r"  # its own folder under --out
    assert (Path(session.files) / "report.html").is_file()


def test_the_same_clip_twice_is_one_session_and_sessions_can_be_shown_and_deleted(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[1] / "samples" / "knee_to_chest_session.npz"
    db = tmp_path / "h.db"
    assert _formcheck("analyze", str(sample), "--db", str(db)).returncode == 0
    again = _formcheck("analyze", str(sample), "--db", str(db))
    assert again.returncode == 0 and "replaced, not counted twice" in again.stderr
    copy = tmp_path / "renamed.npz"  # the same content under another name is the same session
    copy.write_bytes(sample.read_bytes())
    assert _formcheck("analyze", str(copy), "--db", str(db)).returncode == 0
    plain = scene_clip(tmp_path / "other.mp4", seconds=2.0)
    assert _formcheck("analyze", str(plain), "--db", str(db)).returncode == 0
    with History(db) as h:
        rows = h.sessions()
        holds = h.holds()
    assert len(rows) == 2 and sum(1 for x in holds if x.stretch == "knee_to_chest") == 2  # not 6
    hug = next(r for r in rows if r.holds)
    shown = _formcheck("history", "--db", str(db), "--show", str(hug.id))
    assert shown.returncode == 0, shown.stderr
    assert "knee to chest (right)" in shown.stdout.lower() and "recorded " in shown.stdout
    assert _formcheck("history", "--db", str(db), "--show", "99").returncode == 2
    bad = _formcheck("history", "--db", str(db), "delete", str(hug.id), "99")
    assert bad.returncode == 2 and "no session 99" in bad.stderr
    gone = _formcheck("history", "--db", str(db), "delete", str(hug.id))
    assert gone.returncode == 0 and f"deleted session {hug.id}" in gone.stdout
    with History(db) as h:
        assert [r.id for r in h.sessions()] == [r.id for r in rows if r.id != hug.id]
        assert not [x for x in h.holds() if x.session_id == hug.id]


def test_out_gives_each_session_its_own_folder(tmp_path: Path) -> None:
    """Two clips to one --out folder: two folders (dated, named after the clip), neither report
    replaced; the history links each session to its own; the same clip again reuses its folder."""
    a = _dated(scene_clip(tmp_path / "a.mp4", seconds=2.0), tmp_path / "fold.mp4", "2026-11-20T17:42:05Z")
    b = _dated(scene_clip(tmp_path / "b.mp4", seconds=3.0), tmp_path / "hug.mp4", "2026-11-21T08:10:00Z")
    db, out = tmp_path / "h.db", tmp_path / "reports"
    for clip in (a, b, a):
        p = _formcheck("analyze", str(clip), "--out", str(out), "--db", str(db))
        assert p.returncode == 0, p.stderr
    folders = sorted(f.name for f in out.iterdir())
    when = {"fold": "2026-11-20T17:42:05Z", "hug": "2026-11-21T08:10:00Z"}
    stamp = {n: _local(t)[:16].replace("T", "_").replace(":", "") for n, t in when.items()}
    assert folders == sorted(f"{stamp[n]}_{n}" for n in ("fold", "hug"))
    with History(db) as h:
        files = sorted(Path(r.files).name for r in h.sessions() if r.files)
    assert files == folders
    for f in folders:
        report = json.loads((out / f / "report.json").read_text())
        assert Path(report["source"]["path"]).stem == f.split("_", 2)[-1]
        assert (out / f / "report.html").is_file()


def test_six_weeks_of_phone_clips_analysed_in_one_go_keep_their_days(tmp_path: Path, require_shared: Path) -> None:
    """A month and a half of recordings analysed on one afternoon: the calendar shows the days they
    were filmed (from the containers' creation times), not the day of the analysis."""
    import re
    from datetime import date, timedelta

    small = tmp_path / "hug.mp4"  # the knee-hug clip as a phone's low-resolution copy: quicker to decode
    ff = imageio_ffmpeg.get_ffmpeg_exe()
    subprocess.run([ff, "-v", "error", "-y", "-i", str(require_shared / "videos" / "knee_to_chest_generated.mp4"),
                    "-vf", "scale=624:-2", "-c:v", "libx264", "-crf", "23", str(small)], check=True)  # fmt: skip
    clip = small
    folder = tmp_path / "phone"
    folder.mkdir()
    start = date(2026, 10, 19)  # a Monday
    days = [start + timedelta(days=d) for d in (0, 9, 24, 41)]  # the first week, a gap, the last week
    for i, day in enumerate(days):
        _dated(clip, folder / f"VID_{i:02d}.mp4", f"{day}T07:30:00Z")
    db = tmp_path / "h.db"
    p = _formcheck("analyze", str(folder), "--out", str(tmp_path / "r"), "--db", str(db), "--workers", "1")
    assert p.returncode == 0, p.stderr
    with History(db) as h:
        recorded = sorted({s.started_at[:10] for s in h.sessions()})
    assert recorded == sorted({_local(f"{d}T07:30:00Z")[:10] for d in days})
    page = tmp_path / "progress.html"
    p = _formcheck("history", "--db", str(db), "--html", str(page), "--since", str(start), "--until",
                   str(start + timedelta(days=41)))  # fmt: skip
    assert p.returncode == 0, p.stderr
    html = page.read_text()
    cells = re.findall(r'<td class="day (\w+)"></td>', html.split('id="calendar"')[1].split("</table>")[0])
    stretched = {start + timedelta(days=i) for i, c in enumerate(cells) if c == "stretched"}
    assert stretched == {date.fromisoformat(d) for d in recorded}
    assert f"Stretched on {len(days)} of 42 planned days" in html
