"""Fuzz formcheck's inputs by the thousand and count what happens.

    python bench/fuzz.py [--cases 2000] [--workers 2] [--kinds mp4,avi,webm,gif,npz,json,toml,db] [--keep DIR]

Each case mutates a real seed file (tests/helpers/fuzz.py: bit flips, cuts, splices, zeroed or
repeated blocks) and runs the command a user would on it, in a sandbox. Prints, per kind, how
many cases ran and how they ended (exit codes), and every case that broke an invariant (exit
other than 0/1/2/130, a traceback, a native crash, a file written outside the named outputs,
a changed input). The cases are spread evenly over the kinds; seeds 0..n-1 of each.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import SHARED
from tests.helpers.fuzz import KINDS, make_seeds, run_case
from tests.helpers.media import scene_clip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--keep", type=Path, help="folder for the seeds and the failing cases")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    work = args.keep or Path(tempfile.mkdtemp(prefix="formcheck-fuzz-"))
    person = SHARED / "videos" / "forward_fold_standing.mp4"
    clip = person if person.is_file() else scene_clip(work / "scene.mp4", seconds=2.0)
    seeds = make_seeds(work / "seeds", clip)
    per_kind = {k: args.cases // len(kinds) + (i < args.cases % len(kinds)) for i, k in enumerate(kinds)}
    jobs = [(k, s) for k, n in per_kind.items() for s in range(n)]
    print(f"{len(jobs)} cases over {', '.join(f'{k} {n}' for k, n in per_kind.items())}; seeds from {clip.name}")
    t0 = time.perf_counter()
    codes: dict[str, Counter[int]] = {k: Counter() for k in kinds}
    bad = []
    with ThreadPoolExecutor(args.workers) as pool:
        for i, case in enumerate(pool.map(lambda j: run_case(j[0], j[1], seeds, work / "cases"), jobs), 1):
            codes[case.kind][case.code] += 1
            if case.problem:
                bad.append(case)
                print(f"  FAIL {case.describe()}", flush=True)
            if i % 100 == 0:
                print(f"  {i} cases, {len(bad)} failing, {time.perf_counter() - t0:.0f} s", flush=True)
    print(f"\n{'kind':6} {'cases':>6}  exit codes")
    for k in kinds:
        print(f"{k:6} {sum(codes[k].values()):6}  " + ", ".join(f"{c}: {n}" for c, n in sorted(codes[k].items())))
    print(f"\n{len(jobs)} cases in {time.perf_counter() - t0:.0f} s; {len(bad)} broke an invariant")
    if bad:
        print(f"failing cases kept in {work / 'cases'}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
