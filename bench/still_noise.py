"""How much a still body seems to move: the model's own noise on photos recorded as video, per posture.

    python bench/still_noise.py TRACKS_DIR [TRACKS_DIR ...]

Reads landmark tracks kept by `bench/photos.py --tracks DIR` (a photo filmed as a webcam films it:
sensor noise, exposure flicker, H.264; every frame through the model), re-analyses each and
measures the mean hip angle (what the bounce detector watches) as the analysis sees it after
smoothing: its zig-zag swings (moves back from the last extreme, the amplitude a bounce is
counted by) and its largest change within 0.5 s. Printed per posture (the posture the photo reads
as most of the time) and frame rate: these are the floors `MotionConfig.still_swing_deg` comes from.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import formcheck  # noqa: E402


def swings(x: np.ndarray, hysteresis: float = 2.0) -> list[float]:
    """Zig-zag swings of `x`: the size of every move back from an extreme by more than `hysteresis`."""
    out, ext, direction = [], x[0], 0
    start = x[0]
    for v in x[1:]:
        if (direction >= 0 and v > ext) or (direction < 0 and v < ext):
            ext = v
        elif abs(v - ext) >= hysteresis:
            out.append(abs(ext - start))
            start, ext, direction = ext, v, (-1 if direction >= 0 else 1)
    return out


def main() -> int:
    dirs = [Path(a) for a in sys.argv[1:]]
    if not dirs:
        print(__doc__)
        return 2
    per: dict[tuple[str, str], list[float]] = defaultdict(list)
    step: dict[tuple[str, str], list[float]] = defaultdict(list)
    photos: dict[tuple[str, str], int] = Counter()
    for d in dirs:
        for track in sorted(d.rglob("*.npz")):
            fps = track.parts[-3] if len(track.parts) >= 3 else "?"
            rows: list[tuple[float, float, str]] = []

            def hook(st, rows=rows) -> None:
                if st.raw is not None:
                    rows.append((st.raw.t_s, st.raw.mean(st.raw.hip_flexion), st.raw.posture))

            formcheck.analyze_track(track, on_frame=hook)
            if len(rows) < 10:
                continue
            t = np.array([r[0] for r in rows])
            hip = np.array([r[1] for r in rows])
            posture = Counter(r[2] for r in rows).most_common(1)[0][0]
            key = (posture, fps)
            photos[key] += 1
            per[key].append(max(swings(hip), default=0.0))
            j = np.searchsorted(t, t + 0.5)
            step[key].append(float(max(abs(hip[min(k, len(hip) - 1)] - hip[i]) for i, k in enumerate(j))))
    head = "largest swing per photo: p50  p95  max   | change in 0.5 s: p95 max"
    print(f"{'posture':10s} {'rate':>6s} {'photos':>6s}  {head}")
    for key in sorted(per):
        s, c = np.array(per[key]), np.array(step[key])
        spread = f"{np.median(s):27.1f} {np.percentile(s, 95):4.1f} {s.max():5.1f}"
        print(f"{key[0]:10s} {key[1]:>6s} {photos[key]:6d}  {spread}   | {np.percentile(c, 95):17.1f} {c.max():4.1f}")
    print("\nevery rate together (what MotionConfig.still_swing_deg takes: the 95th percentile)")
    for posture in sorted({k[0] for k in per}):
        s = np.concatenate([per[k] for k in per if k[0] == posture])
        print(f"{posture:10s} {'all':>6s} {len(s):6d}  {np.median(s):27.1f} {np.percentile(s, 95):4.1f} {s.max():5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
