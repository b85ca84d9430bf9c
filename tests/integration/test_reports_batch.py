"""Reports in a real browser, annotated video, and batch analysis of all shared clips."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

import formcheck
from formcheck.render.overlay import timer_box
from formcheck.report.html_report import write_html
from tests.conftest import CLIPS, SHARED
from tests.helpers.legibility import assert_legible

ARTIFACTS = Path(os.environ.get("FORMCHECK_ARTIFACTS", Path(__file__).resolve().parents[2] / ".artifacts"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_html_report_renders_in_headless_chromium(clip_result, tmp_path: Path) -> None:
    result, _ = clip_result("forward_fold_standing")
    page = write_html(result, tmp_path / "report.html", thumbnails=result.keyframes)
    shot = tmp_path / "shot.png"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--hide-scrollbars",
        "--window-size=1100,1500",
    ]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert 'id="angles-plot"' in dom.stdout and "<svg" in dom.stdout and 'id="holds"' in dom.stdout
    assert "forward bend" in dom.stdout.lower() or "Forward bend" in dom.stdout
    subprocess.run(
        [CHROMIUM, *flags, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120, check=True
    )
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "report.png")
    img = cv2.imread(str(shot))
    assert img is not None and img.shape[0] >= 1000
    blue = (np.abs(img.astype(int) - [180, 119, 31]).sum(axis=2) < 40).sum()  # the hip-flexion line (#1f77b4)
    from formcheck.report.plots import VERDICT_COLORS

    rgb = np.array([int(VERDICT_COLORS[result.holds[0].verdict][i : i + 2], 16) for i in (1, 3, 5)])
    shade = (255 * (1 - 0.18) + rgb * 0.18)[::-1]  # the hold's span, shaded in its verdict's colour on white
    shaded = (np.abs(img.astype(int) - shade).sum(axis=2) < 12).sum()
    assert blue > 200, "the angle plot is not visible"
    assert shaded > 5000, "the shaded hold is not visible"


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_report_for_a_physiotherapist_dated_named_with_large_key_frames(clip_result, tmp_path: Path) -> None:
    """The header says when it was recorded and whose session; a key frame is large on the page and a
    click shows it full size; a session with no stretch says so in a sentence, with what came closest."""
    import dataclasses

    result, _ = clip_result("forward_fold_standing")
    dated = dataclasses.replace(
        result,
        source=dataclasses.replace(result.source, recorded_at="2026-11-20T17:42:05", recorded_from="container"),
        person="Ann Smith",
    )
    page = write_html(dated, tmp_path / "report.html", thumbnails=result.keyframes)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,900"]  # fmt: skip
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert "Stretching session – Ann Smith" in dom.stdout
    assert "Recorded Friday 20 November 2026 at 17:42" in dom.stdout
    assert "fps" not in dom.stdout.split('id="about"')[0].split("</h1>")[1]  # the header is plain words
    # the key frame, enlarged: the lightbox covers the window, dark around the picture
    shot = tmp_path / "big.png"
    subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", page.as_uri() + "#keyframe-0"], timeout=120, check=True)
    img = cv2.imread(str(shot))
    dark = (img.max(axis=2) < 40).mean()
    picture = 1.0 - dark - (img.min(axis=2) > 240).mean()
    assert dark > 0.05 and picture > 0.4, (dark, picture)  # a full-window view, mostly the picture

    none, _ = clip_result("squats")
    empty = write_html(none, tmp_path / "none.html")
    text = subprocess.run([CHROMIUM, *flags, "--dump-dom", empty.as_uri()], capture_output=True, text=True, timeout=120)
    assert "No stretch was recognised" in text.stdout and "formcheck explain squats.mp4" in text.stdout
    assert 'id="holds"' not in text.stdout and "Gentle session" not in text.stdout


def test_annotated_video_has_every_frame(tmp_path: Path, scene_video: Path) -> None:
    clip = scene_video
    result = formcheck.analyze_video(clip, annotate=tmp_path / "annotated.mp4")
    cap = cv2.VideoCapture(result.annotated_path)
    n = 0
    while cap.read()[0]:
        n += 1
    assert n == result.frames.total == 180
    if shutil.which("ffprobe"):
        codec = subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=codec_name,pix_fmt",
                "-of",
                "csv=p=0",
                result.annotated_path,
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert codec == "h264,yuv420p"  # what browsers and phones play


def _lightest(names: list[str], n: int) -> list[str]:
    """The `n` clips with the fewest pixels to decode (frames x width x height): the batch's
    behaviour at a fraction of the cost of all of them (every clip is analysed elsewhere)."""

    def pixels(name: str) -> float:
        cap = cv2.VideoCapture(str(SHARED / "videos" / f"{name}.mp4"))
        size = (
            cap.get(cv2.CAP_PROP_FRAME_COUNT) * cap.get(cv2.CAP_PROP_FRAME_WIDTH) * cap.get(cv2.CAP_PROP_FRAME_HEIGHT)
        )
        cap.release()
        return size

    return sorted(sorted(names, key=pixels)[:n])


def test_batch_over_many_clips_with_one_broken_file(tmp_path: Path, require_shared) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    clips = _lightest(CLIPS, 7)
    for name in clips:
        os.symlink(SHARED / "videos" / f"{name}.mp4", folder / f"{name}.mp4")
    (folder / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(4000))
    out, db = tmp_path / "reports", tmp_path / "h.db"
    cmd = [
        sys.executable,
        "-m",
        "formcheck",
        "analyze",
        str(folder),
        "--out",
        str(out),
        "--workers",
        "2",
        "--db",
        str(db),
    ]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert p.returncode == 1, p.stderr  # one clip failed
    assert "broken.mp4" in p.stderr and "Traceback" not in p.stderr
    for name in clips:
        report = json.loads((out / name / "report.json").read_text())
        assert report["source"]["frames"] > 0
        assert (out / name / "report.html").is_file() and (out / name / "holds.csv").is_file()
    assert not (out / "broken" / "report.json").exists()
    history = subprocess.run(
        [sys.executable, "-m", "formcheck", "history", "--db", str(db)], capture_output=True, text=True, timeout=60
    )
    assert history.returncode == 0, history.stderr
    assert history.stdout.count(".mp4") >= len(clips)  # every clip, once
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)  # re-run: done clips are skipped
    assert sum(line.startswith("skipped ") for line in again.stdout.splitlines()) == len(clips)
    assert f"{len(clips) + 1} clips: 0 analysed, {len(clips)} skipped" in again.stdout  # and the broken one failed


def test_annotated_video_text_is_legible(tmp_path: Path, require_shared: Path) -> None:
    """The overlay burnt into an annotated copy of a real clip, read back from the H.264 file: every
    line of text on its own dark panel, inside it, contrasted (tests/helpers/legibility.py)."""
    src = require_shared / "videos" / "knee_to_chest_generated.mp4"
    result = formcheck.analyze_video(src, annotate=tmp_path / "annotated.mp4")
    (hold,) = result.holds
    ann, raw = cv2.VideoCapture(result.annotated_path), cv2.VideoCapture(str(src))
    wanted = {round(t * result.source.fps) for t in (hold.start_s + 1.0, (hold.start_s + hold.end_s) / 2)}
    pairs = []
    for i in range(max(wanted) + 1):  # read on, not seek: the same frame of both files
        (ok_a, img), (ok_r, ref) = ann.read(), raw.read()
        assert ok_a and ok_r
        if i in wanted:
            pairs.append((img, cv2.resize(ref, img.shape[1::-1], interpolation=cv2.INTER_AREA)))
    for img, ref in pairs:
        cx, cy, r = timer_box(img)
        panels = assert_legible(img, ref, 4, skip=[(cx - r - 5, cy - r - 5, cx + r + 5, cy + r + 5)])
        assert min(p.y0 for p in panels) < img.shape[0] // 4, "no stretch name or plan at the top"
