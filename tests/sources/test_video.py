"""The threaded reader on real files: shared clips and files generated with ffmpeg/OpenCV."""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import FormcheckError
from formcheck.sources.video import VideoReader
from tests.conftest import SHARED

CLIP = SHARED / "videos" / "forward_bend_seated.mp4"
needs_shared = pytest.mark.skipif(not CLIP.exists(), reason="../shared not available")
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")


@needs_shared
def test_reads_every_frame_with_increasing_container_times() -> None:
    with VideoReader(CLIP) as r:
        times = [f.t_s for f in r]
        info = r.info()
    assert len(times) == info.frames == 525
    assert np.all(np.diff(times) > 0)
    assert np.median(np.diff(times)) == pytest.approx(1 / 29.97, rel=0.01)
    assert (info.width, info.height, info.rotation) == (768, 432, 0)


@needs_shared
@needs_ffmpeg
def test_portrait_phone_clip_is_rotated_upright(tmp_path: Path) -> None:
    """A phone stores portrait video sideways plus a rotation tag; frames must come out upright."""
    sideways, out = tmp_path / "sideways.mp4", tmp_path / "portrait.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(CLIP),
            "-t",
            "2",
            "-vf",
            "transpose=2",
            "-c:v",
            "mpeg4",
            "-q:v",
            "3",
            str(sideways),
        ],
        check=True,
    )
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(sideways), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(out)],
        check=True,
    )
    with VideoReader(out) as r:
        first = next(iter(r))
        info = r.info()
    assert info.rotation == 90
    assert first.bgr.shape[:2] == (432, 768)  # upright again: landscape like the original


@needs_shared
@needs_ffmpeg
def test_variable_frame_rate_keeps_real_timestamps(tmp_path: Path) -> None:
    out = tmp_path / "vfr.mkv"  # drop every other frame in the first second: a VFR stream
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(CLIP),
            "-t",
            "3",
            "-vf",
            "select='gte(t,1)+not(mod(n,2))'",
            "-fps_mode",
            "vfr",
            "-c:v",
            "mpeg4",
            str(out),
        ],
        check=True,
    )
    with VideoReader(out) as r:
        times = np.array([f.t_s for f in r])
    gaps = np.diff(times)
    assert gaps[:10].mean() == pytest.approx(2 / 29.97, rel=0.1)
    assert gaps[-10:].mean() == pytest.approx(1 / 29.97, rel=0.1)
    assert times[-1] == pytest.approx(3.0, abs=0.1)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_text("this is not a video\n" * 50), "cannot decode"),
    ],
    ids=["missing", "directory", "empty", "text"],
)
def test_bad_files_raise_one_clear_error(tmp_path: Path, make, message: str) -> None:
    p = tmp_path / "clip.mp4"
    make(p)
    with pytest.raises(FormcheckError, match=message):
        VideoReader(p)


@needs_shared
def test_truncated_file_is_an_error_or_a_shorter_read(tmp_path: Path) -> None:
    p = tmp_path / "cut.mp4"
    p.write_bytes(CLIP.read_bytes()[: CLIP.stat().st_size // 3])
    try:
        with VideoReader(p) as r:
            n = sum(1 for _ in r)
        assert 0 < n < 525
    except FormcheckError as exc:
        assert "cannot decode" in str(exc)


@needs_shared
def test_running_ahead_is_bounded_by_bytes_of_pixels_and_loses_no_frame() -> None:
    """Adaptive sampling lets the decoder run ahead by bytes of pixels, not frames: off-grid frames
    (no pixels) cost nothing, and the pixels held never exceed the budget by more than a frame."""
    import time

    with VideoReader(CLIP, grid_s=0.05) as plain:
        want = [(f.index, f.t_s, f.bgr is not None) for f in plain]
    frame_bytes = 432 * 768 * 3 + 180 * 320  # a grid frame and its grey preview
    budget = 6 * frame_bytes
    with VideoReader(CLIP, grid_s=0.05, ahead_bytes=budget) as r:
        time.sleep(0.5)  # the decoder fills what it may
        held, got = [r._bytes], []
        for f in r:
            got.append((f.index, f.t_s, f.bgr is not None))
            held.append(r._bytes)
            if len(got) % 50 == 0:
                time.sleep(0.1)
    assert got == want
    assert max(held) <= budget + frame_bytes
    assert max(held) >= budget - frame_bytes  # it did run ahead that far
