"""The command line as a user meets it: real processes, exit codes, one-line errors, quiet output."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from formcheck.report.json_report import schema
from tests.conftest import SHARED

CLIP = SHARED / "videos" / "forward_bend_standing_short.mp4"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "formcheck", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def assert_one_line_error(p: subprocess.CompletedProcess, code: int = 2) -> str:
    assert p.returncode == code, p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, p.stderr
    assert "Traceback" not in p.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda d: d / "missing.mp4", "no such file"),
        (lambda d: d, "no video files"),
        (lambda d: (d / "notes.mp4").write_text("hello\n" * 100) and d / "notes.mp4", "cannot decode"),
        (lambda d: (d / "empty.mp4").write_bytes(b"") or d / "empty.mp4", "empty"),
    ],
    ids=["missing", "directory", "text-file", "zero-bytes"],
)
def test_bad_input_gives_one_line_and_exit_2(tmp_path: Path, make, fragment: str) -> None:
    line = assert_one_line_error(run("analyze", str(make(tmp_path))))
    assert fragment in line


def test_truncated_video_never_shows_a_traceback(tmp_path: Path, scene_video: Path) -> None:
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(scene_video.read_bytes()[: scene_video.stat().st_size // 2])
    p = run("analyze", str(cut), "--json", "-")
    assert "Traceback" not in p.stderr
    if p.returncode in (0, 1):
        report = json.loads(p.stdout)
        assert report["source"]["frames"] < 180
    else:
        assert_one_line_error(p)


@pytest.mark.parametrize("model", ["missing.task", "garbage.task", "model.txt"])
def test_unreadable_model_gives_one_line(tmp_path: Path, model: str, scene_video: Path) -> None:
    if model != "missing.task":
        (tmp_path / model).write_text("not a model")
    line = assert_one_line_error(run("analyze", str(scene_video), "--model", str(tmp_path / model)))
    assert "model" in line


def test_analyze_json_to_stdout_is_valid_and_quiet(tmp_path: Path, require_shared) -> None:
    p = run("analyze", str(CLIP), "--json", "-", "--save-track", str(tmp_path / "t.npz"))
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)  # stdout holds the report and nothing else
    jsonschema.validate(report, schema())
    assert [h["stretch"] for h in report["holds"]] == ["forward_bend"]
    assert p.stderr.strip() == ""  # no MediaPipe / TensorFlow Lite log lines
    again = run("analyze", str(tmp_path / "t.npz"), "--json", "-")
    assert again.returncode == 0
    assert json.loads(again.stdout)["holds"] == report["holds"]


def test_no_person_json_is_valid_and_quiet(tmp_path: Path, scene_video: Path) -> None:
    """The same contract on a clip the test makes itself: valid JSON, nothing on stderr, no holds."""
    p = run("analyze", str(scene_video), "--json", "-", "--save-track", str(tmp_path / "t.npz"), "--no-history")
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    jsonschema.validate(report, schema())
    assert report["holds"] == [] and report["frames"]["total"] == 180 and report["frames"]["with_person"] == 0
    assert p.stderr.strip() == ""


def test_summary_table_without_json(require_shared) -> None:
    p = run("analyze", str(CLIP))
    assert p.returncode == 0
    assert "forward bend" in p.stdout and "too short" in p.stdout
    assert "not a medical device" in p.stdout.lower()


def test_models_lists_and_verifies_the_bundled_model() -> None:
    p = run("models")
    assert p.returncode == 0
    assert "full" in p.stdout and "checksum ok" in p.stdout


def test_models_download_offline_is_one_line(tmp_path: Path) -> None:
    env_proxy = {"HTTPS_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"}
    import os

    p = subprocess.run(
        [sys.executable, "-m", "formcheck", "models", "download", "lite"],
        capture_output=True,
        text=True,
        env={**os.environ, **env_proxy},
        timeout=120,
    )
    line = assert_one_line_error(p)
    assert "cannot download" in line


def test_help_for_every_command() -> None:
    for cmd in (["--help"], ["analyze", "--help"], ["models", "--help"]):
        p = run(*cmd)
        assert p.returncode == 0 and "Usage" in p.stdout


def _wait_for_cpu(pid: int, cpu_s: float, timeout_s: float) -> None:
    """Until the process has used `cpu_s` of CPU (a wall-clock sleep is too short on a busy machine)."""
    import time

    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        time.sleep(cpu_s * 2)
        return
    tick = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        if (int(fields[11]) + int(fields[12])) / tick >= cpu_s:
            return
        time.sleep(0.1)


def test_ctrl_c_keeps_a_partial_report(tmp_path: Path) -> None:
    import signal

    from tests.helpers.media import scene_clip

    clip = scene_clip(tmp_path / "long.mp4", seconds=60.0)  # 1,800 frames: ~30 s of analysis
    out, track = tmp_path / "r.json", tmp_path / "t.npz"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "formcheck",
            "analyze",
            str(clip),
            "--json",
            str(out),
            "--save-track",
            str(track),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for_cpu(proc.pid, 4.0, 60.0)  # imports and model loading take ~2 s of CPU: analysis is under way
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    report = json.loads(out.read_text())
    assert report["partial"] is True
    assert 0 < report["frames"]["total"] < 1800
    assert track.exists()
    # an interruption is not damage: the frames nobody decoded after Ctrl-C are not "unreadable"
    assert "interrupted at " in stderr and "damaged" not in stderr, stderr
    assert report["frames"]["skipped"] == 0
    assert not [n for n in report["notices"] if n["kind"] == "damaged_file"]


def test_report_re_renders_a_track_a_json_report_and_a_session_folder(tmp_path: Path) -> None:
    """`formcheck report` takes what a session left behind: its track (re-analysed), its JSON report,
    or the folder holding either; the holds are the same whichever it reads."""
    track = Path(__file__).resolve().parents[1] / "samples" / "knee_to_chest_session.npz"
    p = run("report", str(track), "--out", str(tmp_path / "a"))
    assert p.returncode == 0, p.stderr
    assert {"report.html", "report.json", "holds.csv"} <= {f.name for f in (tmp_path / "a").iterdir()}
    first = json.loads((tmp_path / "a" / "report.json").read_text())
    assert first["holds"], "the sample track holds two knee-to-chest holds"
    p = run("report", str(tmp_path / "a" / "report.json"), "--format", "json", "--out", str(tmp_path / "b"))
    assert p.returncode == 0, p.stderr
    p = run("report", str(tmp_path / "b"), "--format", "json", "--out", str(tmp_path / "c"))
    assert p.returncode == 0, p.stderr
    again = json.loads((tmp_path / "c" / "report.json").read_text())
    assert [(h["stretch"], h["side"], h["start_s"]) for h in again["holds"]] == [
        (h["stretch"], h["side"], h["start_s"]) for h in first["holds"]
    ]
    (tmp_path / "notes.txt").write_text("not a session\n")
    assert "give a session folder" in assert_one_line_error(run("report", str(tmp_path / "notes.txt")), 2)
    assert "holds no track.npz" in assert_one_line_error(run("report", str(tmp_path / "a" / "..")), 2)


def test_version_and_flags_read_like_flags() -> None:
    from formcheck import __version__

    v = run("--version")
    assert v.returncode == 0 and v.stdout.strip() == f"formcheck {__version__}", v
    shown = run("analyze", "--help").stdout
    assert "<bool>" not in shown, shown  # a flag takes no value, so it shows no type
    assert "--force" in shown and "local|dask" in shown and "a Dask" in shown, shown


def test_a_missing_report_path_and_a_junk_track_are_plain_one_liners(tmp_path: Path) -> None:
    assert "no such session folder or file: nosuch" in assert_one_line_error(run("report", "nosuch", cwd=tmp_path))
    (tmp_path / "junk.npz").write_text("not an archive\n")
    line = assert_one_line_error(run("analyze", str(tmp_path / "junk.npz"), "--no-history"))
    assert "not a formcheck track" in line and "pickle" not in line, line
    import numpy as np

    np.savez(tmp_path / "other.npz", a=np.arange(3))  # a real archive, but someone else's
    line = assert_one_line_error(run("analyze", str(tmp_path / "other.npz"), "--no-history"))
    assert "other.npz is not a formcheck track" in line, line


def test_batch_counts_add_up_and_name_only_a_folder_that_exists(tmp_path: Path, scene_video: Path) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "a.mp4").write_bytes(scene_video.read_bytes())
    first = run("analyze", str(clips), "--out", str(tmp_path / "reports"), "--no-history")
    assert first.returncode == 0, first.stderr
    assert f"1 clip: 1 analysed; reports in {tmp_path / 'reports'}" in first.stdout, first.stdout
    again = run("analyze", str(clips), "--out", str(tmp_path / "reports"), "--no-history")
    assert "1 clip: 0 analysed, 1 skipped (analysed before; --force to redo)" in again.stdout, again.stdout
    # nothing but notes: every one fails, and no reports folder is named (none was made)
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("a.txt", "b.txt"):
        (notes / name).write_text("hello\n")
    p = run("analyze", str(notes / "*"), "--out", str(tmp_path / "never"), "--no-history")
    assert p.returncode == 1
    assert "2 clips: 0 analysed, 2 failed" in p.stdout and "reports in" not in p.stdout, p.stdout
    assert not (tmp_path / "never").exists()


def test_a_hold_just_short_of_the_target_never_reads_as_the_target() -> None:
    from formcheck.report.flexibility import hold_row_text
    from formcheck.report.summary import hold_phrase
    from formcheck.store.history import HoldRow
    from formcheck.types import Hold

    h = Hold("forward_bend", "standing", None, 1, 2.0, 21.66, 19.66, "too_short", False, 140.0)
    assert hold_phrase(h) == "forward bend (standing) 19.7 s, too short"
    row = HoldRow(1, "2026-11-20", "forward_bend", None, "too_short", 19.66, -14.0, 141.0, "standing")
    assert hold_row_text(row).startswith("forward bend (standing) 19.7 s, too short")
