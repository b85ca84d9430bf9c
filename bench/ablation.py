"""Leave one rule out: what each recognition or motion rule does, per source, on the sources it was
not made for.

    python bench/ablation.py --tracks DIR [--shared ../shared]

Reads the landmark tracks `bench/photos.py --tracks DIR` kept (every photo of ../shared/photos and
../shared/photos-yoga, recorded at each frame rate) and re-analyses them without the model, once
with every rule and once with each rule switched off. For each rule it prints how many photo runs
pass with and without it, per source, and on the sources it was *not* made for (held out): a rule
that only helps where it was tuned shows no gain there, or a loss.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import formcheck  # noqa: E402
from formcheck.analysis import features  # noqa: E402
from formcheck.analysis.config import AnalysisConfig  # noqa: E402
from formcheck.evaluation import label_source, relabel_for_duration, score_photo  # noqa: E402

BASE = AnalysisConfig()


@dataclass(frozen=True)
class Rule:
    name: str
    off: Callable[[], AnalysisConfig]  # the configuration without this rule
    made_for: tuple[str, ...]  # sources whose photos the rule was written for ('' = none visible)
    patch: Callable[[], contextlib.AbstractContextManager[None]] = contextlib.nullcontext


@contextlib.contextmanager
def _no_chest_up() -> Iterator[None]:
    old = features.CHEST_UP_LYING
    features.CHEST_UP_LYING = -2.0
    try:
        yield
    finally:
        features.CHEST_UP_LYING = old


def _fb(**kw: float) -> AnalysisConfig:
    return replace(BASE, forward_bend=replace(BASE.forward_bend, **kw))


def _k2c(**kw: float) -> AnalysisConfig:
    return replace(BASE, knee_to_chest=replace(BASE.knee_to_chest, **kw))


RULES = [
    Rule("lying means the chest faces up", lambda: BASE, (), _no_chest_up),
    Rule("hugged shin not pointing up (body frame)", lambda: _k2c(max_shin_to_front=180.0), ()),
    Rule("other leg 20 deg below (was 30)", lambda: _k2c(enter_side_difference=30.0, exit_side_difference=15.0), ()),
    Rule("standing reach to the knees (was 0.6)", lambda: _fb(enter_standing_reach=0.6, exit_standing_reach=0.5), ()),
    Rule("seated fold by its lean", lambda: _fb(enter_seated_fold_lean=999.0, exit_seated_fold_lean=999.0),
         ("Curry-Spring-Roll-Sauerkraut-Squad/aai-project",)),
    Rule("seated trunk not upside down (plow)", lambda: _fb(max_seated_lean=999.0),
         ("Curry-Spring-Roll-Sauerkraut-Squad/aai-project",)),
    Rule("bending forward, not sideways", lambda: _fb(enter_max_side_bend=90.0, exit_max_side_bend=90.0), ()),
    Rule("bounce swings move through (no jumps)",
         lambda: replace(BASE, motion=replace(BASE.motion, bounce_max_step=1e9)),
         ("iezuri22/fitness-app", "Curry-Spring-Roll-Sauerkraut-Squad/aai-project")),
    Rule("a left/right label swap keeps the hug", lambda: replace(BASE, hold=replace(BASE.hold, swap_s=0.0)),
         ("iezuri22/fitness-app",)),
]  # fmt: skip


def _runs(tracks: Path, shared: Path) -> list[tuple[Path, dict, str, float]]:
    runs = []
    for rate_dir in sorted(p for p in tracks.iterdir() if p.is_dir() and "identical" not in p.name):
        fps = float(rate_dir.name.removesuffix("fps"))
        for set_dir in sorted(rate_dir.iterdir()):
            folder = {"photos": "photos", "yoga": "photos-yoga"}[set_dir.name]
            for track in sorted(set_dir.glob("*.npz")):
                label = json.loads((shared / folder / "labels" / f"{track.stem}.json").read_text())
                runs.append((track, label, label_source(label, folder), fps))
    return runs


def _passes(runs: list[tuple[Path, dict, str, float]], config: AnalysisConfig) -> list[bool]:
    out = []
    for track, label, _, _ in runs:
        result = formcheck.analyze_track(track, config=config)
        out.append(not score_photo(result, relabel_for_duration(label, result.source.duration_s)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--tracks", type=Path, required=True)
    args = ap.parse_args()
    runs = _runs(args.tracks, args.shared)
    if not runs:
        print(f"no tracks under {args.tracks}: run bench/photos.py --tracks {args.tracks} first")
        return 2
    rates = sorted({r[3] for r in runs})
    print(f"{len(runs)} photo runs ({', '.join(f'{r:g} fps' for r in rates)}), tracks re-analysed without the model")
    full = _passes(runs, BASE)
    print(f"every rule: {sum(full)}/{len(runs)} pass\n")
    sources = sorted({r[2] for r in runs})
    for rule in RULES:
        with rule.patch():
            without = _passes(runs, rule.off())
        held = [i for i, r in enumerate(runs) if r[2] not in rule.made_for]
        gain = sum(full) - sum(without)
        held_gain = sum(full[i] for i in held) - sum(without[i] for i in held)
        made = ", ".join(s.split("/")[0] for s in rule.made_for) or "no visible source (anatomy)"
        print(f"{rule.name}: {gain:+d} runs with it ({sum(without)} -> {sum(full)}); "
              f"held out (all but {made}): {held_gain:+d} of {len(held)}")  # fmt: skip
        for src in sources:
            idx = [i for i, r in enumerate(runs) if r[2] == src]
            a, b = sum(without[i] for i in idx), sum(full[i] for i in idx)
            if a != b:
                print(f"    {src:46s} {a:4d} -> {b:4d} of {len(idx)}{'  (made for)' if src in rule.made_for else ''}")
        changed = [runs[i][0].stem + f"@{runs[i][3]:g}" for i in range(len(runs)) if full[i] != without[i]]
        if changed:
            print(f"    changed: {', '.join(changed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
