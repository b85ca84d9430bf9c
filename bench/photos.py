"""Photo harness: every labelled photo of ../shared/photos and ../shared/photos-yoga, recorded as a
webcam would film it (sensor noise, exposure flicker, H.264) at 5, 15 and 30 fps, through the model.

    python bench/photos.py [--set photos|yoga|all] [--fps 5,15,30] [--seconds 10] [--identical] [--adaptive]
                           [--tracks DIR] [--reuse] [--json OUT] [--baseline OLD.json]
                           [--made-for SOURCE ...] [--workers 2] [name filters ...]

Prints one line per photo and frame rate, then pass counts per class (what the photo shows:
knee-to-chest, standing / seated / wide-legged forward bend, look-alikes), per source (the
repository each photo came from) and the number of stills that got a motion warning.
`--identical` plays identical frames instead (the old harness). `--tracks DIR --reuse`
re-analyses the kept landmark tracks without the model, for trying rule changes in seconds.
`--json` keeps every result; `--baseline` compares with such a file: per source before -> after,
and, leaving out the sources a change was made for (`--made-for`), how it does on the others.
Every photo runs through the model on every frame (`--every-frame`, as live mode does): a still
seen at full rate is the hardest case for landmark jitter. `--adaptive` runs the default a user
gets for a video file instead (adaptive sampling: the model woken by the pixels), and prints the
share of frames the model saw.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from formcheck.evaluation import (  # noqa: E402
    label_source,
    percentiles,
    photo_class,
    relabel_for_duration,
    score_photo,
    start_latency_s,
)

SETS = {"photos": "photos", "yoga": "photos-yoga"}


def run_one(job: dict[str, Any]) -> dict[str, Any]:
    import formcheck
    from formcheck.analysis.motion import MOTION_KINDS
    from tests.helpers.stills import recorded_still, still_clip

    label = json.loads(Path(job["label"]).read_text())
    photo = Path(job["photo"])
    fps, seconds = job["fps"], job["seconds"]
    track = Path(job["track"]) if job["track"] else None
    if track is not None and job["reuse"] and track.exists():
        result = formcheck.analyze_track(track)
    else:
        if track is not None:
            track.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            clip = Path(tmp) / "still.mp4"
            if job["identical"]:
                still_clip(photo, clip, seconds=seconds, fps=fps)
            else:
                recorded_still(photo, clip, fps=fps, seconds=seconds)
            result = formcheck.analyze_video(clip, save_track=track, every_frame=not job["adaptive"])
    relabelled = relabel_for_duration(label, seconds)
    problems = score_photo(result, relabelled)
    latency = None
    if label["expect"] == "hold":
        wanted = relabelled["holds"][0]
        same = [h for h in result.holds if h.stretch == wanted["stretch"]]
        latency = start_latency_s(same[0], wanted) if same else None
    return {
        "latency_s": latency,
        "name": job["name"],
        "set": job["set"],
        "fps": fps,
        "class": photo_class(job["name"], label),
        "source": label_source(label, job["set"]),
        "expect": label["expect"],
        "passed": not problems,
        "problems": problems,
        "holds": [f"{h.stretch}/{h.side or '-'}/{h.variant} {h.start_s:.1f}-{h.end_s:.1f}" for h in result.holds],
        "motion_warned": any(w.kind in MOTION_KINDS for w in result.warnings),
        "warnings": [f"{w.kind}@{w.t_s:.1f}" for w in result.warnings if w.severity != "info"],
        "person": f"{result.frames.with_person}/{result.frames.total}",
        "model_share": result.sampling.get("model_frames", 0) / max(result.frames.total, 1),
    }


def _table(title: str, rows: list[dict[str, Any]], key: str, fps_list: list[float]) -> None:
    print(f"\n{title}")
    groups = sorted({r[key] for r in rows})
    print(f"  {'':44s}" + "".join(f"{f'{f:g} fps':>12s}" for f in fps_list))
    for g in groups:
        cells = []
        for f in fps_list:
            sel = [r for r in rows if r[key] == g and r["fps"] == f]
            cells.append(f"{sum(r['passed'] for r in sel)}/{len(sel)}" if sel else "-")
        print(f"  {g:44s}" + "".join(f"{c:>12s}" for c in cells))


def _compare(rows: list[dict[str, Any]], baseline: list[dict[str, Any]], made_for: list[str]) -> None:
    """Before -> after per source, and on the sources a change was not made for."""
    old = {(r["set"], r["name"], r["fps"]): r["passed"] for r in baseline}
    common = [r for r in rows if (r["set"], r["name"], r["fps"]) in old]
    print("\nagainst the baseline (same photos, same frame rates): before -> after")
    for src in sorted({r["source"] for r in common}):
        sel = [r for r in common if r["source"] == src]
        before = sum(old[(r["set"], r["name"], r["fps"])] for r in sel)
        after = sum(r["passed"] for r in sel)
        flag = "" if not made_for else ("  (made for)" if any(m in src for m in made_for) else "  (held out)")
        print(f"  {src:44s} {before:4d} -> {after:4d} of {len(sel)}{flag}")
    if made_for:
        held = [r for r in common if not any(m in r["source"] for m in made_for)]
        before = sum(old[(r["set"], r["name"], r["fps"])] for r in held)
        after = sum(r["passed"] for r in held)
        print(f"  held-out sources together: {before} -> {after} of {len(held)}")
    changed = [r for r in common if r["passed"] != old[(r["set"], r["name"], r["fps"])]]
    for r in changed:
        print(f"  {'now passes' if r['passed'] else 'NOW FAILS '} {r['name']} @ {r['fps']:g} fps {r['problems'] or ''}")


def _leave_one_source_out(rows: list[dict[str, Any]]) -> None:
    """Each source against all the others: a rule set that only works where it was checked shows
    here as one source far below the rest."""
    print("\nleave one source out: the source alone vs all the other sources")
    for src in sorted({r["source"] for r in rows}):
        inside = [r for r in rows if r["source"] == src]
        rest = [r for r in rows if r["source"] != src]
        a = sum(r["passed"] for r in inside) / len(inside)
        b = sum(r["passed"] for r in rest) / max(len(rest), 1)
        print(f"  {src:44s} {100 * a:5.1f}% of {len(inside):3d}   others {100 * b:5.1f}% of {len(rest)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--set", choices=["photos", "yoga", "all"], default="all")
    ap.add_argument("--fps", default="5,15,30")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--identical", action="store_true", help="identical frames instead of a recording")
    ap.add_argument("--adaptive", action="store_true", help="adaptive sampling (the default for files)")
    ap.add_argument("--tracks", type=Path, default=None)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--baseline", type=Path, default=None)
    ap.add_argument("--made-for", nargs="*", default=[])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--quiet", action="store_true", help="only failing photos, then the tables")
    ap.add_argument("only", nargs="*")
    args = ap.parse_args()
    fps_list = [float(f) for f in args.fps.split(",")]
    jobs = []
    for key, folder in SETS.items():
        if args.set not in (key, "all"):
            continue
        for lp in sorted((args.shared / folder / "labels").glob("*.json")):
            if args.only and not any(o in lp.stem for o in args.only):
                continue
            label = json.loads(lp.read_text())
            for fps in fps_list:
                mode = ("-identical" if args.identical else "") + ("-adaptive" if args.adaptive else "")
                track = args.tracks / f"{fps:g}fps{mode}" / key / f"{lp.stem}.npz" if args.tracks else None
                jobs.append({
                    "name": lp.stem, "set": key, "label": str(lp), "photo": str(args.shared / folder / label["image"]),
                    "fps": fps, "seconds": args.seconds, "identical": args.identical, "reuse": args.reuse,
                    "adaptive": args.adaptive,
                    "track": str(track) if track else None,
                })  # fmt: skip
    if not jobs:
        print(f"no photo labels under {args.shared}")
        return 2
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        rows = list(pool.map(run_one, jobs))
    for r in rows:
        if args.quiet and r["passed"]:
            continue
        warns = f" warnings [{', '.join(r['warnings'])}]" if r["warnings"] else ""
        print(
            f"{r['name']:40s} {r['fps']:4g} {'PASS' if r['passed'] else 'FAIL':5s} expect {r['expect']:4s} "
            f"found [{', '.join(r['holds'])}] person {r['person']}{warns}"
            + ("  -- " + "; ".join(r["problems"]) if r["problems"] else "")
        )
    how = "identical frames" if args.identical else "recorded (sensor noise, flicker, H.264)"
    if args.adaptive:
        share = sum(r["model_share"] for r in rows) / len(rows)
        print(f"\n{len(rows)} runs, {how}, {args.seconds:g} s each, adaptive: model on {100 * share:.0f}% of frames")
    else:
        print(f"\n{len(rows)} runs, {how}, {args.seconds:g} s each, every frame through the model")
    _table("per class", rows, "class", fps_list)
    _table("per source", rows, "source", fps_list)
    warned = [r for r in rows if r["motion_warned"]]
    print(f"\nstills with a motion warning: {len(warned)} of {len(rows)} runs")
    for r in warned:
        print(f"  {r['name']} @ {r['fps']:g} fps: {', '.join(r['warnings'])}")
    print("\nstart latency of the photos that show a stretch (the still is settled from its first frame):")
    for f in fps_list:
        found = [r["latency_s"] for r in rows if r["fps"] == f and r.get("latency_s") is not None]
        shown = [r for r in rows if r["fps"] == f and r["expect"] == "hold"]
        print(f"  {f:g} fps: {percentiles(found)}; not found {len(shown) - len(found)} of {len(shown)}")
    _leave_one_source_out(rows)
    if args.baseline:
        _compare(rows, json.loads(args.baseline.read_text()), args.made_for)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    ok = sum(r["passed"] for r in rows)
    print(f"\nall {ok}/{len(rows)} pass ({time.perf_counter() - t0:.0f} s)")
    return 0 if ok == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
