"""Real-time factor of `formcheck analyze` on long sessions, adaptive against every frame.

    python bench/realtime.py [--keep DIR] [--only folds60|routine30] [--runs N]

Two sessions of more than 3 minutes are composed from the shared clips as a phone records them
(H.264, full size; tests/helpers/sessions.py): four standing folds at 60 fps, and knee-to-chest
twice per side plus a seated fold at 30 fps. For each, every line says what its clock covers:
1. decode only: OpenCV grabbing every frame of the file (no conversion): the physical limit of
   reading this file on this machine, whatever the pose model does;
2. decode + convert: grab, retrieve (YUV to BGR), scale (longer side <= MAX_SIDE) and BGR to RGB,
   every frame: what every-frame analysis reads;
3. bare model: MediaPipe's PoseLandmarker (formcheck's options, VIDEO mode), creating it and then
   detect_for_video on every frame; the same frames as 2, decoded and converted outside the clock;
4. `formcheck analyze FILE --every-frame`, and 5. `formcheck analyze FILE --adaptive` (the
   default): the command in a fresh process, wall clock from start to exit, `--no-history --json`.
   Real-time factor = video seconds / wall seconds; the model fraction is read from the report
   (`sampling.model_frames` / frames). Then the two reports' answers side by side;
6. the analysis alone: replaying the landmark track of an adaptive run in-process (no model);
7. writing the reports of 6 (`--out`: HTML with plot and key frames, JSON, CSVs).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.analysis.motion import MOTION_KINDS  # noqa: E402
from formcheck.pose.landmarker import landmarker_options  # noqa: E402
from formcheck.pose.models import resolve_model  # noqa: E402
from formcheck.pose.quiet import native_stderr_silenced  # noqa: E402
from formcheck.sources.frame import MAX_SIDE, fit  # noqa: E402
from formcheck.sources.video import open_capture  # noqa: E402

SESSIONS = ("folds60", "routine30")


def decode_s(video: Path, convert: bool) -> tuple[float, int]:
    """Seconds to read every frame (grab only, or grab + retrieve + scale + BGR->RGB)."""
    cap = open_capture(video)
    t0, n = time.perf_counter(), 0
    while cap.grab():
        n += 1
        if convert:
            _, bgr = cap.retrieve()
            cv2.cvtColor(fit(bgr, MAX_SIDE), cv2.COLOR_BGR2RGB)
    dt = time.perf_counter() - t0
    cap.release()
    return dt, n


def bare_model_s(video: Path) -> float:
    """Landmarker creation + detect_for_video on every frame; decoding and conversion not timed."""
    import mediapipe as mp
    from mediapipe.tasks.python import vision

    cap = open_capture(video)
    fps = float(cap.get(cv2.CAP_PROP_FPS))
    t0 = time.perf_counter()
    with native_stderr_silenced():
        lm = vision.PoseLandmarker.create_from_options(landmarker_options(resolve_model(None)))
    clock, i = time.perf_counter() - t0, 0
    while True:
        ok, bgr = cap.read()
        if not ok:
            break
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(fit(bgr, MAX_SIDE), cv2.COLOR_BGR2RGB))
        t0 = time.perf_counter()
        with native_stderr_silenced() if i == 0 else _Nothing():
            lm.detect_for_video(image, round(i * 1000 / fps))
        clock += time.perf_counter() - t0
        i += 1
    with native_stderr_silenced():
        lm.close()
    cap.release()
    return clock


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *a: object) -> None:
        return None


CHECKOUT: Path | None = None  # --checkout: another formcheck's source tree (a "before" run)


def cli_s(video: Path, mode: str, out: Path) -> tuple[float, dict]:
    """Wall clock of `formcheck analyze` in a fresh process, and its JSON report (and the landmark
    track beside it, for where the model looked)."""
    cmd = ["formcheck"]
    if CHECKOUT is not None:  # that tree's package, not the installed (editable) one: its finder goes first
        unhook = "import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]"
        cmd = [sys.executable, "-c", f"{unhook}; sys.path.insert(0, {str(CHECKOUT)!r}); sys.argv[0] = 'formcheck'; "
               "from formcheck.cli import main; main()"]  # fmt: skip
    cmd += ["analyze", str(video), mode, "--no-history", "--json", str(out)]
    cmd += ["--save-track", str(out.with_suffix(".npz"))]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    dt = time.perf_counter() - t0
    if proc.returncode not in (0, 2):  # 2: holds outside the plan's range, still a full report
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
    return dt, json.loads(out.read_text())


def looks_per_minute(track: Path, holds: list[dict]) -> tuple[float, float]:
    """Model calls (in the saved track: every frame not marked skipped or still; a look back's
    second look at a frame is not counted) per minute of video inside the holds and outside them."""
    from formcheck.sources.track import SKIPPED, STILL

    z = np.load(track)
    t, analysed = z["t_s"], (z["n_people"] != SKIPPED) & (z["n_people"] != STILL)
    dt = np.diff(t, append=t[-1] + (t[-1] - t[-2] if len(t) > 1 else 0.0))
    in_hold = np.zeros(len(t), bool)
    for h in holds:
        in_hold |= (t >= h["start_s"]) & (t <= h["end_s"])
    rates = []
    for mask in (in_hold, ~in_hold):
        minutes = float(dt[mask].sum()) / 60
        rates.append(float(analysed[mask].sum()) / minutes if minutes > 0 else 0.0)
    return rates[0], rates[1]


def build(name: str, folder: Path) -> Path:
    from tests.helpers import sessions

    path = folder / f"{name}.mp4"
    if not path.exists():
        print(f"composing {path.name} from the shared clips ...", flush=True)
        getattr(sessions, {"folds60": "folds_60fps", "routine30": "routine_30fps"}[name])(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="folder to keep (and reuse) the composed sessions in")
    ap.add_argument("--only", choices=SESSIONS)
    ap.add_argument("--runs", type=int, default=1, help="median of N runs of each command")
    ap.add_argument("--checkout", type=Path, help="time the formcheck in this source tree (a git worktree)")
    ap.add_argument("--cli-only", action="store_true", help="only decoding (1) and `formcheck analyze` (4, 5)")
    ap.add_argument("--modes", default="--every-frame,--adaptive", help="which of 4 and 5 to run")
    args = ap.parse_args()
    global CHECKOUT
    CHECKOUT = args.checkout
    folder = args.keep or Path(tempfile.mkdtemp(prefix="formcheck-realtime-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name in [args.only] if args.only else SESSIONS:
        video = build(name, folder)
        cap = open_capture(video)
        fps, w, h = (
            cap.get(cv2.CAP_PROP_FPS),
            int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        )
        cap.release()
        grab, n = decode_s(video, convert=False)
        duration = n / fps
        print(f"\n{name}: {n} frames, {duration:.1f} s at {fps:g} fps, {w}x{h} H.264")
        rate = "{:6.2f} s = {:7.1f} frames/s = {:5.1f}x real time"
        print("1. decode only (grab):            " + rate.format(grab, n / grab, duration / grab))
        bare = float("nan")
        if not args.cli_only:
            conv, _ = decode_s(video, convert=True)
            print("2. decode + convert + scale:      " + rate.format(conv, n / conv, duration / conv))
            bare = bare_model_s(video)
            print("3. bare model, every frame:       " + rate.format(bare, n / bare, duration / bare))
        reports = {}
        for k, mode in enumerate(("--every-frame", "--adaptive"), start=4):
            if mode not in args.modes.split(","):
                continue
            runs = [cli_s(video, mode, folder / f"{name}{mode}.json") for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            report = reports[mode] = runs[-1][1]
            model = report["sampling"]["model_frames"] / max(report["frames"]["total"], 1)
            holds = len(report["holds"])
            extra = f"  ratio to the bare model {bare / wall:.2f}" if mode == "--every-frame" and bare == bare else ""
            if len(runs) > 1:
                times = sorted(r[0] for r in runs)
                extra += f"  (median of {len(runs)} runs: {', '.join(f'{x:.2f}' for x in times)} s)"
            print(
                f"{k}. formcheck analyze {mode:13s} {wall:6.2f} s = {duration / wall:5.1f}x real time, "
                f"model on {100 * model:.0f}% of frames, {holds} holds{extra}"
            )
            hold_rate, move_rate = looks_per_minute(folder / f"{name}{mode}.npz", report["holds"])
            sampling = report["sampling"]
            pixels = ""
            if "pixel_noise_floor" in sampling:
                pixels = (
                    f"; {sampling['still_ended_by_pixels']} still stretches ended by the pixels, "
                    f"{sampling.get('still_ended_by_pose', 0)} by a periodic look, "
                    f"{sampling.get('looked_back', 0)} model calls looking back; the pixels' noise floor "
                    f"{sampling['pixel_noise_floor']:.2f} grey levels "
                    f"(95th percentile {sampling['pixel_noise_floor_p95']:.2f})"
                )
            print(f"   model calls per minute: {hold_rate:6.0f} in holds, {move_rate:6.0f} elsewhere{pixels}")
        if len(reports) == 2:
            compare(reports["--every-frame"], reports["--adaptive"])
        if not args.cli_only:
            analysis_and_report_s(video, folder / name)


def compare(full: dict, adaptive: dict) -> None:
    """The answers of the two reports above, side by side."""
    pairs = list(zip(full["holds"], adaptive["holds"], strict=False))
    same = len(full["holds"]) == len(adaptive["holds"]) and all(
        (f["stretch"], f["side"], f["verdict"]) == (a["stretch"], a["side"], a["verdict"]) for f, a in pairs
    )
    worst = max((max(abs(f["start_s"] - a["start_s"]), abs(f["end_s"] - a["end_s"])) for f, a in pairs), default=0)
    hip = max((abs(f["hip_flexion_deg"] - a["hip_flexion_deg"]) for f, a in pairs), default=0)
    print(
        f"   holds: {len(full['holds'])} every frame, {len(adaptive['holds'])} adaptive, stretch/side/verdict "
        f"{'all the same' if same else 'DIFFER'}; largest start/end difference {worst:.2f} s; "
        f"hip flexion within {hip:.1f} deg"
    )
    for label, r in (("every frame", full), ("adaptive", adaptive)):
        ws = [f"{w['kind']} {w['t_s']:.1f}s" for w in r["warnings"] if w["kind"] in MOTION_KINDS]
        print(f"   motion warnings, {label}: {', '.join(ws) or 'none'}")


def analysis_and_report_s(video: Path, stem: Path) -> None:
    """In-process: the analysis alone (replaying the landmark track of an adaptive run, no model)
    and writing the reports (`--out`: HTML with plot and key frames, JSON, CSVs)."""
    import formcheck
    from formcheck.report.outputs import write_outputs

    track = stem.with_suffix(".npz")
    formcheck.analyze_video(video, save_track=track)
    t0 = time.perf_counter()
    result = formcheck.analyze_track(track)
    analysis = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_outputs(result, stem.with_name(stem.name + "-report"))
    writing = time.perf_counter() - t0
    n = len(np.load(track)["t_s"])
    print(f"6. analysis alone (replaying the adaptive run's track, {n} frames): {analysis:5.2f} s")
    print(f"7. report writing (HTML with plot, JSON, CSVs):                {writing:5.2f} s")


if __name__ == "__main__":
    main()
