"""Does adaptive sampling give every frame's answers on sessions no one recorded?

    python bench/equivalence.py [--seeds 0-39] [--keep DIR] [--reuse] [--workers 2] [--sampling K=V ...]
                                [--live] [--track]

Each seed composes a session from the shared clips (tests/helpers/generate.py: entries and
releases at 0.5x-5x, holds played forward and backward, reps joined by stills or by rests, noise,
dim light, the person small, mirrored; H.264 at 30 fps) and analyses it twice with the real model:
`every_frame=True` and the default (adaptive). It prints, per seed, whether the two agree
(`formcheck.evaluation.mode_differences`: the same holds, sides and verdicts, boundaries within
0.2 s, the same numbers - hip flexion within 1 degree, reach and knee-chest distance within 1 cm -
and the same motion-warning kinds within 0.3 s) and what differs, then the agreement count and
the model-call share of the adaptive runs.

`--track` also re-analyses the adaptive run's saved landmark track (`formcheck analyze track.npz`)
and compares it with the run itself; `--live` also plays the video to `formcheck live --realtime`
(paced like a camera: the model sees what the machine keeps up with, frames dropped) and compares
its session with every frame's. Both print their own agreement counts.

`--keep DIR` keeps the videos and every-frame tracks; `--reuse` replays a kept every-frame track
(`analyze_track`: the same poses, no model) instead of running the model on every frame again,
for checking a change to the sampler in a third of the time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def seeds(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


def live_session(video: Path, folder: Path):
    """`formcheck live` on the file paced like a camera, as a user runs it; its session, replayed
    from the track it saved (the same looks, the same analysis)."""
    import subprocess

    import formcheck

    track = folder / f"{video.stem}-live.npz"
    cmd = [sys.executable, "-m", "formcheck", "live", "--source", str(video), "--realtime", "--no-window"]
    cmd += ["--mute", "--no-history", "--save-track", str(track)]
    subprocess.run(cmd, check=True, capture_output=True)
    return formcheck.analyze_track(track)


def one(
    seed: int, folder: Path, reuse: bool, sampling: dict[str, float], modes: tuple[str, ...] = ()
) -> tuple[int, str, list[str], float, float, float, dict[str, list[str]]]:
    import formcheck
    from formcheck.evaluation import mode_differences
    from formcheck.pose.adaptive import SamplingConfig
    from tests.helpers.generate import generated_session, plan

    video, track = folder / f"gen{seed:03d}.mp4", folder / f"gen{seed:03d}-full.npz"
    description = plan(seed)[2]
    if not video.exists():
        generated_session(seed, video)
    if reuse and track.exists():
        full = formcheck.analyze_track(track)
    else:
        full = formcheck.analyze_video(video, every_frame=True, save_track=track)
    t0 = time.perf_counter()
    saved = folder / f"gen{seed:03d}-adaptive.npz"
    adaptive = formcheck.analyze_video(video, sampling=SamplingConfig(**sampling), save_track=saved)
    wall = time.perf_counter() - t0
    share = adaptive.sampling["model_frames"] / max(adaptive.frames.total, 1)
    more: dict[str, list[str]] = {}
    if "track" in modes:
        more["track"] = mode_differences(adaptive, formcheck.analyze_track(saved), names=("adaptive", "its track"))
    if "live" in modes:
        more["live"] = mode_differences(full, live_session(video, folder), names=("every frame", "live"))
    return seed, description, mode_differences(full, adaptive), share, adaptive.source.duration_s, wall, more


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0-39", help="e.g. 0-39 or 3,7,10-12")
    ap.add_argument("--keep", type=Path, help="folder for the videos and every-frame tracks")
    ap.add_argument("--reuse", action="store_true", help="replay kept every-frame tracks")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--sampling",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a SamplingConfig field for the adaptive runs, e.g. max_step_s=0.05 angle_deg=0 hand_moved=0 "
        "(the grid alone: every grid frame to the model)",
    )
    ap.add_argument("--live", action="store_true", help="also formcheck live on each video, paced like a camera")
    ap.add_argument("--track", action="store_true", help="also re-analyse each adaptive run's saved track")
    args = ap.parse_args()
    modes = tuple(m for m in ("live", "track") if getattr(args, m))
    sampling = {k: float(v) for k, _, v in (kv.partition("=") for kv in args.sampling)}
    if sampling:
        print("sampling: " + ", ".join(f"{k}={v:g}" for k, v in sampling.items()))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="formcheck-equivalence-"))
    folder.mkdir(parents=True, exist_ok=True)
    todo = seeds(args.seeds)
    agree, shares, video_s, wall_s = 0, [], 0.0, 0.0
    agree_more = dict.fromkeys(modes, 0)
    measures = 0  # sessions whose only differences are in the numbers
    with ProcessPoolExecutor(args.workers) as pool:
        futures = [pool.submit(one, s, folder, args.reuse, sampling, modes) for s in todo]
        for fut in futures:
            seed, description, diffs, share, duration, wall, more = fut.result()
            agree += not diffs
            measures += sum(_is_measure(d) for d in diffs)
            shares.append(share)
            video_s += duration
            wall_s += wall
            print(f"seed {seed:3d} {'agree' if not diffs else 'DIFFER'}  model {100 * share:3.0f}%  {description}")
            for d in diffs:
                print(f"         {d}")
            for mode, ds in more.items():
                agree_more[mode] += not ds
                for d in ds:
                    print(f"         {mode}: {d}")
    print(
        f"\n{agree} of {len(todo)} generated sessions agree ({video_s / 60:.1f} min of video); adaptive runs: "
        f"model on {100 * sum(shares) / len(shares):.0f}% of frames, {video_s / wall_s:.1f}x real time "
        f"(with {args.workers} at once on this machine); {measures} differences in a hold's numbers"
    )
    for mode, n in agree_more.items():
        print(f"{mode}: {n} of {len(todo)} agree")


def _is_measure(difference: str) -> bool:
    return difference.startswith(("hip flexion", "reach", "knee-chest"))


if __name__ == "__main__":
    main()
