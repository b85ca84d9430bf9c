"""The browser app's camera path against the OpenCV window's, on the same frames.

    python bench/app.py [--clip NAME] [--seconds 30]

Both sides are fed the same clip, 640x360 at 30 fps, paced like a camera, with the full model on
this machine:
- browser: `formcheck app` in its own process; headless Chromium's fake camera plays the clip
  (y4m); the page sends a JPEG only once the previous frame's state came back. Printed: frames
  analysed per second, and the delay from the page grabbing a frame to the overlay's state being
  back in the page (p50 / p95 / max): JPEG, WebSocket, decode, model, analysis, state.
- window: `formcheck live --source clip.mp4 --realtime` with its OpenCV window (under Xvfb when
  there is no display); its `--stats-every` lines give frames analysed per second and the delay
  from capture to the finished overlay (p50 / p95).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("FORMCHECK_SHARED", ROOT.parent / "shared"))


def make_clip(src: Path, folder: Path) -> tuple[Path, Path]:
    """The same 640x360 30 fps frames as an MP4 (for `live`) and a y4m (Chromium's fake camera)."""
    mp4, y4m = folder / "clip.mp4", folder / "clip.y4m"
    vf = "scale=640:360,fps=30"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(src), "-vf", vf, "-c:v", "libx264", "-crf", "18",
                    "-pix_fmt", "yuv420p", str(mp4)], check=True)  # fmt: skip
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(mp4), "-pix_fmt", "yuv420p", str(y4m)], check=True)
    return mp4, y4m


def browser(y4m: Path, seconds: float, folder: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from tests.app.test_web_app import app_server

    with app_server(folder) as (url, _), sync_playwright() as p:
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        b = p.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream",
                  "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={y4m}",
                  "--disable-background-networking", "--no-first-run"],
        )  # fmt: skip
        page = b.new_page()
        page.goto(url)
        page.evaluate("document.getElementById('voice').checked = false")
        page.click("#start")
        page.wait_for_function("window.formcheckStats.frames > 10", timeout=60_000)
        first = page.evaluate("[window.formcheckStats.frames, performance.now()]")
        time.sleep(seconds)
        last = page.evaluate("[window.formcheckStats.frames, performance.now(), window.formcheckStats.latencies]")
        page.click("#stop")
        page.wait_for_selector("#summary:not([hidden])", timeout=60_000)
        b.close()
    lat = np.array(last[2][first[0] :])
    fps = (last[0] - first[0]) / ((last[1] - first[1]) / 1000)
    return {"fps": fps, "p50": float(np.median(lat)), "p95": float(np.percentile(lat, 95)), "max": float(lat.max())}


def window(mp4: Path, seconds: float, folder: Path) -> dict[str, float]:
    env = dict(os.environ)
    xvfb = None
    if not env.get("DISPLAY"):
        xvfb = subprocess.Popen(["Xvfb", ":93", "-screen", "0", "1280x800x24"], stderr=subprocess.DEVNULL)
        env.update(DISPLAY=":93", QT_QPA_PLATFORM="xcb")
        time.sleep(1.0)
    # the clip looped, so the window runs as long as the browser did
    looped = folder / "looped.mp4"
    loops = max(1, int(seconds // 9) + 2)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", str(loops), "-i", str(mp4), "-c", "copy",
                    str(looped)], check=True)  # fmt: skip
    try:
        run = subprocess.run(
            [sys.executable, "-m", "formcheck", "live", "--mute", "--no-voice", "--source", str(looped), "--realtime",
             "--no-history", "--out", str(folder / "live"), "--stats-every", "5", "--duration", str(seconds + 6)],
            env=env, capture_output=True, text=True, timeout=seconds + 180,
        )  # fmt: skip
    finally:
        if xvfb is not None:
            xvfb.terminate()
    stats = re.findall(r"analysed ([\d.]+) fps\s+latency (\d+)/(\d+) ms", run.stderr + run.stdout)
    assert stats, run.stderr[-2000:]
    steady = [tuple(map(float, s)) for s in stats[1:]] or [tuple(map(float, s)) for s in stats]
    return {
        "fps": float(np.mean([s[0] for s in steady])),
        "p50": float(np.mean([s[1] for s in steady])),
        "p95": float(np.mean([s[2] for s in steady])),
        "max": float("nan"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clip", default="knee_to_chest_generated")
    ap.add_argument("--seconds", type=float, default=30.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mp4, y4m = make_clip(SHARED / "videos" / f"{args.clip}.mp4", folder)
        (folder / "b").mkdir()
        (folder / "w").mkdir()
        b = browser(y4m, args.seconds, folder / "b")
        w = window(mp4, args.seconds, folder / "w")
    print(f"clip {args.clip} at 640x360, 30 fps, paced like a camera; {args.seconds:g} s each; {os.cpu_count()} cores")
    print(f"{'path':<34}{'analysed fps':>13}{'delay p50':>11}{'p95':>8}{'max':>8}  (ms)")
    for name, r in (("browser app (Chromium, WebSocket)", b), ("OpenCV window (formcheck live)", w)):
        print(f"{name:<34}{r['fps']:>13.1f}{r['p50']:>11.0f}{r['p95']:>8.0f}{r['max']:>8.0f}")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
