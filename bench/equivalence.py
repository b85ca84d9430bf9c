"""Does adaptive sampling give every frame's answers on sessions no one recorded?

    python bench/equivalence.py [--seeds 0-39] [--keep DIR] [--reuse] [--workers 2] [--sampling K=V ...]

Each seed composes a session from the shared clips (tests/helpers/generate.py: entries and
releases at 0.5x-5x, holds played forward and backward, reps joined by stills or by rests, noise,
dim light, the person small, mirrored; H.264 at 30 fps) and analyses it twice with the real model:
`every_frame=True` and the default (adaptive). It prints, per seed, whether the two agree
(`formcheck.evaluation.mode_differences`: the same holds, sides and verdicts, boundaries within
0.2 s, the same motion-warning kinds within 0.3 s) and what differs, then the agreement count and
the model-call share of the adaptive runs.

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


def one(
    seed: int, folder: Path, reuse: bool, sampling: dict[str, float]
) -> tuple[int, str, list[str], float, float, float]:
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
    adaptive = formcheck.analyze_video(video, sampling=SamplingConfig(**sampling))
    wall = time.perf_counter() - t0
    share = adaptive.sampling["model_frames"] / max(adaptive.frames.total, 1)
    return seed, description, mode_differences(full, adaptive), share, adaptive.source.duration_s, wall


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
    args = ap.parse_args()
    sampling = {k: float(v) for k, _, v in (kv.partition("=") for kv in args.sampling)}
    if sampling:
        print("sampling: " + ", ".join(f"{k}={v:g}" for k, v in sampling.items()))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="formcheck-equivalence-"))
    folder.mkdir(parents=True, exist_ok=True)
    todo = seeds(args.seeds)
    agree, shares, video_s, wall_s = 0, [], 0.0, 0.0
    with ProcessPoolExecutor(args.workers) as pool:
        futures = [pool.submit(one, s, folder, args.reuse, sampling) for s in todo]
        for fut in futures:
            seed, description, diffs, share, duration, wall = fut.result()
            agree += not diffs
            shares.append(share)
            video_s += duration
            wall_s += wall
            print(f"seed {seed:3d} {'agree' if not diffs else 'DIFFER'}  model {100 * share:3.0f}%  {description}")
            for d in diffs:
                print(f"         {d}")
    print(
        f"\n{agree} of {len(todo)} generated sessions agree ({video_s / 60:.1f} min of video); adaptive runs: "
        f"model on {100 * sum(shares) / len(shares):.0f}% of frames, {video_s / wall_s:.1f}x real time "
        f"(with {args.workers} at once on this machine)"
    )


if __name__ == "__main__":
    main()
