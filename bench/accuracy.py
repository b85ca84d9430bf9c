"""Accuracy harness: analyse every shared clip and compare with its hand-made label.

    python bench/accuracy.py [--shared ../shared] [--save-tracks DIR] [--reuse]

Prints, per clip: pass/fail, each labelled hold's start/end error in seconds (0 = inside the
rater's range; the signed distance outside it otherwise), the detected times, and throughput;
then pass counts per source (the repository each clip came from) and each source left out, and
the timing errors over all holds (median, 95th percentile, largest).
`--save-tracks DIR --reuse` re-analyses kept tracks without the model (rule changes in seconds).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import formcheck  # noqa: E402
from formcheck.evaluation import label_source, percentiles, score_holds  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--save-tracks", type=Path, default=None)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--every-frame", action="store_true", help="the model on every frame (default: adaptive)")
    args = ap.parse_args()
    per_source: dict[str, list[int]] = {}
    videos = sorted((args.shared / "videos").glob("*.mp4"))
    if not videos:
        print(f"no clips under {args.shared / 'videos'}")
        return 2
    passed, frames, seconds = 0, 0, 0.0
    latencies: list[float] = []
    start_err: list[float] = []
    end_err: list[float] = []
    print(f"{'clip':30s} {'result':6s} {'holds':>5s}  details")
    for video in videos:
        label = json.loads((args.shared / "labels" / f"{video.stem}.json").read_text())
        track = args.save_tracks / f"{video.stem}.npz" if args.save_tracks else None
        if track:
            track.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        if track is not None and args.reuse and track.exists():
            result = formcheck.analyze_track(track)
        else:
            result = formcheck.analyze_video(video, save_track=track, every_frame=args.every_frame)
        dt = time.perf_counter() - t0
        frames += result.frames.total
        seconds += dt
        score = score_holds(result, label)
        passed += score.passed
        tally = per_source.setdefault(label_source(label, "videos"), [0, 0])
        tally[0] += score.passed
        tally[1] += 1
        details = []
        latencies += [m.start_latency_s for m in score.matched if m.start_latency_s is not None]
        start_err += [abs(m.start_error_s) for m in score.matched if m.start_error_s is not None]
        end_err += [abs(m.end_error_s) for m in score.matched if m.end_error_s is not None]
        for m in score.matched:
            if m.hold is None:
                details.append(f"{m.label['stretch']}: NOT FOUND")
                continue
            h = m.hold
            details.append(
                f"{h.stretch}/{h.side or h.variant} {h.start_s:.2f}-{h.end_s:.2f} s "
                f"(start err {m.start_error_s:+.2f}, end err {m.end_error_s:+.2f}, {h.verdict}"
                f"{', open' if h.open_at_end else ''})"
            )
        details += [f"EXTRA {h.stretch} {h.start_s:.2f}-{h.end_s:.2f}" for h in score.extra]
        details += [p for m in score.matched for p in m.problems]
        details.append(
            "warnings: "
            + (", ".join(f"{w.kind}@{w.t_s:.1f}s" for w in result.warnings) or "none")
            + f" (label: {label.get('warn')})"
        )
        if score.warn_problem:
            details.append(score.warn_problem)
        fr = result.frames
        details.append(f"frames {fr.total} person {fr.with_person} rejected {fr.rejected} multi {fr.multi_person}")
        details.append(f"{fr.total / dt:.0f} fps")
        print(f"{video.stem:30s} {'PASS' if score.passed else 'FAIL':6s} {len(result.holds):5d}  " + "; ".join(details))
    print("\nper source (left out: how the other sources do without it)")
    for src, (ok, n) in sorted(per_source.items()):
        rest_ok, rest_n = passed - ok, len(videos) - n
        print(f"  {src:44s} {ok}/{n}   others {rest_ok}/{rest_n}")
    print(f"\nstart latency (label's earliest start -> detected start): {percentiles(latencies)}")
    print(f"start error (outside the rater's range, 0 inside): {percentiles(start_err)}")
    print(f"end error (outside the rater's range, 0 inside): {percentiles(end_err)}")
    how = "re-analysing saved tracks, no model" if args.reuse else "model load included"
    print(f"\n{passed}/{len(videos)} clips pass; overall {frames / seconds:.1f} frames/s ({how})")
    return 0 if passed == len(videos) else 1


if __name__ == "__main__":
    sys.exit(main())
