"""Photo harness: every labelled photo of ../shared/photos played as a 10 s still clip at 5 fps.

    python bench/photos.py [--shared ../shared] [--tracks DIR] [--reuse] [--video]

Prints, per photo: pass/fail against its label (`expect` hold/none/any, the stretch and variant,
start/end ranges, no motion warning), what was found, and per class (the file-name prefix) how many
pass. `--tracks DIR` keeps each photo's landmark track; with `--reuse` the tracks are re-analysed
without the model (for trying analysis changes quickly: the landmarks are the same). `--video`
first records each photo as an MP4 (as a user filming a still would; what the tests do).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import formcheck  # noqa: E402
from formcheck.evaluation import score_photo  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--tracks", type=Path, default=None)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--video", action="store_true")
    ap.add_argument("only", nargs="*")
    args = ap.parse_args()
    labels = sorted((args.shared / "photos" / "labels").glob("*.json"))
    if not labels:
        print(f"no photo labels under {args.shared / 'photos' / 'labels'}")
        return 2
    per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    t0 = time.perf_counter()
    for lp in labels:
        label = json.loads(lp.read_text())
        if args.only and not any(o in lp.stem for o in args.only):
            continue
        photo = args.shared / "photos" / label["image"]
        track = args.tracks / f"{lp.stem}.npz" if args.tracks else None
        if track is not None and args.reuse and track.exists():
            result = formcheck.analyze_track(track)
        else:
            if track is not None:
                track.parent.mkdir(parents=True, exist_ok=True)
            if args.video:
                from tests.helpers.stills import still_clip

                photo = still_clip(photo, Path(tempfile.mkdtemp()) / f"{lp.stem}.mp4")
            result = formcheck.analyze_video(photo, save_track=track)
        problems = score_photo(result, label)
        cls = lp.stem.split("_")[0]
        per_class[cls][0] += not problems
        per_class[cls][1] += 1
        found = ", ".join(
            f"{h.stretch}/{h.side or '-'}/{h.variant} {h.start_s:.1f}-{h.end_s:.1f}" for h in result.holds
        )
        warns = ", ".join(f"{w.kind}@{w.t_s:.1f}" for w in result.warnings if w.severity != "info")
        print(
            f"{lp.stem:36s} {'PASS' if not problems else 'FAIL':5s} expect {label['expect']:4s} "
            f"found [{found}] person {result.frames.with_person}/{result.frames.total}"
            + (f" warnings [{warns}]" if warns else "")
            + ("  -- " + "; ".join(problems) if problems else "")
        )
    print()
    for cls, (ok, n) in sorted(per_class.items()):
        print(f"{cls:6s} {ok}/{n} pass")
    total_ok = sum(v[0] for v in per_class.values())
    total = sum(v[1] for v in per_class.values())
    print(f"all    {total_ok}/{total} pass ({time.perf_counter() - t0:.0f} s)")
    return 0 if total_ok == total else 1


if __name__ == "__main__":
    sys.exit(main())
