"""Bad input, generated in the test: a clear one-line error and a non-zero exit where the run cannot go
on, never a traceback, never lost or half-written data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import SHARED

CLIP = SHARED / "videos" / "forward_bend_standing_short.mp4"
K2C = SHARED / "videos" / "knee_to_chest_generated.mp4"
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")


def run(*args: str, env: dict | None = None, preexec=None, prefix: list[str] | None = None):
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "formcheck", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
        preexec_fn=preexec,
    )


def one_line(p: subprocess.CompletedProcess, code: int = 2) -> str:
    assert p.returncode == code, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, p.stderr
    return lines[0]


def test_folder_without_videos(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    assert "no video files" in one_line(run("analyze", str(tmp_path)))


def test_audio_only_file(tmp_path: Path) -> None:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed")
    audio = tmp_path / "voice.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", str(audio)],
        check=True,
    )
    assert "cannot decode" in one_line(run("analyze", str(audio)))


@needs_ffmpeg
def test_corrupt_middle_is_skipped_and_counted(tmp_path: Path, scene_video: Path) -> None:
    src = tmp_path / "src.avi"  # MJPEG: every frame stands alone, so damage stays local
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(scene_video), "-c:v", "mjpeg", "-q:v", "3", str(src)], check=True
    )
    data = bytearray(src.read_bytes())
    mid = len(data) // 2
    data[mid : mid + len(data) // 10] = os.urandom(len(data) // 10)
    bad = tmp_path / "corrupt.avi"
    bad.write_bytes(bytes(data))
    p = run("analyze", str(bad), "--json", "-", "--no-history")
    assert p.returncode == 1, p.stderr  # done, with a failure: part of the file is lost
    report = json.loads(p.stdout)
    frames = 180  # scene_video: 6 s at 30 fps
    assert report["frames"]["total"] + report["frames"]["skipped"] >= 0.9 * frames
    assert 0 < report["frames"]["skipped"] < frames
    (notice,) = [n for n in report["notices"] if n["kind"] == "damaged_file"]
    assert f"{report['frames']['skipped']} of" in notice["message"]
    assert "damaged" in one_line(p, code=1)


@needs_ffmpeg
def test_4k_frames(tmp_path: Path, require_shared) -> None:
    big = tmp_path / "uhd.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(CLIP),
            "-t",
            "5",
            "-vf",
            "scale=3840:2160",
            "-c:v",
            "mpeg4",
            "-q:v",
            "5",
            str(big),
        ],
        check=True,
    )
    p = run("analyze", str(big), "--json", "-")
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert (report["source"]["width"], report["source"]["height"]) == (3840, 2160)
    assert report["frames"]["with_person"] > 0.8 * report["frames"]["total"]


def _with_gap(tmp_path: Path, gap_s: float) -> Path:
    """The knee-to-chest clip with the person gone (an empty room) for gap_s in the middle of the hold."""
    cap = cv2.VideoCapture(str(K2C))
    fps = cap.get(cv2.CAP_PROP_FPS)
    frames = []
    while True:
        ok, fr = cap.read()
        if not ok:
            break
        frames.append(fr)
    empty = np.full_like(frames[0], 200)
    out = tmp_path / f"gap{gap_s}.mp4"
    w = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, frames[0].shape[1::-1])
    hold = frames[int(4.8 * fps) :]
    for fr in frames + hold[::-1] + hold:  # enter, then hold ~10 s by ping-pong ...
        w.write(fr)
    for _ in range(int(gap_s * fps)):  # ... leave the frame ...
        w.write(empty)
    for fr in hold[::-1] + hold:  # ... and come back, still holding
        w.write(fr)
    w.release()
    return out


@pytest.mark.parametrize(("gap_s", "holds"), [(0.6, 1), (3.0, 2)])
def test_person_leaving_mid_hold_and_coming_back(tmp_path: Path, gap_s: float, holds: int, require_shared) -> None:
    p = run("analyze", str(_with_gap(tmp_path, gap_s)), "--json", "-")
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert [(h["stretch"], h["side"]) for h in report["holds"]] == [("knee_to_chest", "right")] * holds
    if holds == 1:
        assert report["holds"][0]["paused_s"] == pytest.approx(gap_s, abs=0.35)


def test_output_folder_that_cannot_be_written(tmp_path: Path, scene_video: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    line = one_line(run("analyze", str(scene_video), "--out", str(blocker / "reports")))
    assert "cannot write" in line


def test_disk_full_leaves_no_half_written_file(tmp_path: Path, scene_video: Path) -> None:
    """The OS refuses writes past 16 KB (RLIMIT_FSIZE: what a full disk looks like to a writer)."""
    import resource
    import signal

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG from write() instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, 16_000))

    out = tmp_path / "reports"
    p = run("analyze", str(scene_video), "--out", str(out), "--no-history", preexec=limit)
    line = one_line(p)
    assert "cannot write" in line
    leftovers = [f for f in out.rglob("*") if f.is_file()] if out.exists() else []  # (a folder per session)
    assert not any(f.name.endswith(".tmp") for f in leftovers), leftovers
    for f in leftovers:  # whatever was written is whole
        if f.name.endswith(".json"):
            json.loads(f.read_text())


SITE = textwrap.dedent("""
    import sys
    def hook(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
            with open({marker!r}, "a") as f:
                f.write(event + " " + repr(args)[:200] + "\\n")
    sys.addaudithook(hook)
""")


def test_analysis_makes_no_network_connection(tmp_path: Path, require_shared) -> None:
    marker = tmp_path / "connections.log"
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITE.format(marker=str(marker)))
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    prefix = ["unshare", "-n"] if shutil.which("unshare") and os.geteuid() == 0 else []
    if prefix and subprocess.run([*prefix, "true"]).returncode != 0:
        prefix = []  # no network namespaces here; the audit hook still proves no attempt
    p = run("analyze", str(CLIP), "--json", "-", "--no-history", env=env, prefix=prefix)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["holds"]
    assert not marker.exists(), marker.read_text()


def test_json_to_dev_null_and_a_fifo_leaves_them_what_they_were(tmp_path: Path, scene_video: Path) -> None:
    """As root the atomic rename used to replace /dev/null by a regular file, and a FIFO's reader got nothing."""
    import stat
    import threading

    p = run("analyze", str(scene_video), "--json", "/dev/null", "--save-track", "/dev/null", "--no-history")
    assert p.returncode == 0, p.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    p = run("analyze", str(scene_video), "--json", str(fifo), "--no-history")
    reader.join(30)
    assert p.returncode == 0, p.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode) and json.loads(got[0])["source"]["frames"] == 180


@pytest.mark.parametrize("kind", ["folder", "corrupt", "json-folder", "out-is-file"])
def test_unusable_outputs_fail_before_the_analysis(tmp_path: Path, scene_video: Path, kind: str) -> None:
    """Found at the start, with the video untouched: no --out folder made, no report written; a
    corrupt history is left byte for byte as it was, and the message says how to recover."""
    out = tmp_path / "reports"
    db = tmp_path / "history.db"
    args = ["analyze", str(scene_video), "--out", str(out), "--db", str(db)]
    junk = b"SQLite format 3\x00" + bytes(range(256)) * 16
    if kind == "folder":
        db.mkdir()
    elif kind == "corrupt":
        db.write_bytes(junk)
    elif kind == "json-folder":
        args += ["--json", str(tmp_path)]
    else:
        out.write_text("a file")
    line = one_line(run(*args))
    expected = {
        "folder": "is a folder",
        "corrupt": "mv ",
        "json-folder": "it is a folder",
        "out-is-file": "is a file",
    }
    assert expected[kind] in line
    if kind != "out-is-file":
        assert not out.exists()
    if kind == "corrupt":
        assert db.read_bytes() == junk and "untouched" in line


def test_a_truncated_track_is_one_line(tmp_path: Path, scene_video: Path) -> None:
    track = tmp_path / "t.npz"
    assert run("analyze", str(scene_video), "--save-track", str(track), "--no-history").returncode == 0
    data = track.read_bytes()
    for cut in (20, len(data) // 2, len(data) - 5):
        (tmp_path / "cut.npz").write_bytes(data[:cut])
        assert "cut short or damaged" in one_line(run("analyze", str(tmp_path / "cut.npz"), "--no-history"))


def test_a_failed_annotated_video_leaves_the_previous_one_and_no_part_file(tmp_path: Path, scene_video: Path) -> None:
    """The video is encoded under a temporary name and renamed when whole; a full disk (RLIMIT_FSIZE,
    inherited by the encoder) removes the unfinished file."""
    import resource
    import signal

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))

    old = tmp_path / "annotated.mp4"
    old.write_bytes(b"yesterday's video")
    p = run("analyze", str(scene_video), "--annotate", str(old), "--no-history", preexec=limit)
    assert "cannot write video" in one_line(p)
    assert old.read_bytes() == b"yesterday's video"
    assert sorted(f.name for f in tmp_path.iterdir()) == ["annotated.mp4"]


@pytest.mark.parametrize("size", [(4000, 10), (16, 16), (40, 400)])
def test_pictures_no_person_fits_in_are_one_line(tmp_path: Path, size: tuple[int, int]) -> None:
    """A 4000x10 strip used to overflow the JPEG key frames (internal error, exit 3)."""
    w, h = size
    clip = tmp_path / "odd.avi"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"MJPG"), 30, (w, h))
    for i in range(30):
        writer.write(np.full((h, w, 3), 4 * i, np.uint8))
    writer.release()
    line = one_line(run("analyze", str(clip), "--no-history"))
    assert f"{w}x{h} pixels" in line
    photo = tmp_path / "odd.png"
    cv2.imwrite(str(photo), np.zeros((h, w, 3), np.uint8))
    assert f"{w}x{h} pixels" in one_line(run("analyze", str(photo), "--no-history"))
