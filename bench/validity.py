"""How repeatable are a hold's numbers when another camera films it? Repeatability, measured.

    python bench/validity.py [--out DIR] [--reuse] [--workers 2] [--json OUT] [clip name filters ...]

Every shared clip with a labelled hold is re-rendered as other home cameras would film it: the
person at 1/3 and 2/3 of the size, a camera pitched down 12 degrees (keystone), rolled +-10
degrees, dim evening light with sensor noise, mirrored, 15 and 60 fps, H.264 at a webcam's
1 Mbit/s and a phone's 8 Mbit/s (every other variant at CRF 23). Each rendering is analysed as
a user's `formcheck analyze` does (the default, adaptive sampling), and the labelled hold's
numbers (hip flexion, reach or knee-chest distance) are compared with the original file's.

Printed: per measure and stretch/variant, per camera change, the bias against the original
(the mean difference over clips) and the largest difference; then per measure and stretch/variant
the spread over all renderings of a clip - SD pooled over clips (the standard error of
measurement, SEM), the range - and the smallest real change MDC95 = 1.96 * sqrt(2) * SEM: a
change between two sessions smaller than it can be the camera, not the body. `--json` keeps the
numbers (`formcheck/stats.py` is set from them). `--out DIR --reuse` re-analyses the kept landmark
tracks without the model, to try a change to the measurement in seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
shared = Path(os.environ.get("FORMCHECK_SHARED", ROOT.parent / "shared"))

# name -> (transform, output fps or None for the clip's own, bitrate or None for CRF 23)
VARIANTS: dict[str, tuple[str, float | None, str | None]] = {
    "original": ("none", None, None),
    "webcam 30 fps 1 Mbit/s": ("none", 30.0, "1M"),
    "phone 8 Mbit/s": ("none", None, "8M"),
    "15 fps": ("none", 15.0, None),
    "60 fps": ("none", 60.0, None),
    "1/3 size": ("small3", None, None),
    "2/3 size": ("small23", None, None),
    "from above 12°": ("above", None, None),
    "rolled +10°": ("roll+", None, None),
    "rolled -10°": ("roll-", None, None),
    "dim + noise": ("dim", None, None),
    "mirrored": ("mirror", None, None),
}
MEASURES = ("hip_flexion_deg", "reach_cm", "knee_to_chest_cm")


def transform(frame: np.ndarray, kind: str, rng: np.random.Generator) -> np.ndarray:
    import cv2

    from tests.helpers.compose import from_above, small_in_frame

    h, w = frame.shape[:2]
    if kind == "small3":
        return small_in_frame(frame, 1 / 3)
    if kind == "small23":
        return small_in_frame(frame, 2 / 3)
    if kind == "above":
        return from_above(frame, 12.0)
    if kind in ("roll+", "roll-"):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), 10.0 if kind == "roll+" else -10.0, 1.0)
        return cv2.warpAffine(frame, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
    if kind == "dim":
        dark = frame.astype(np.float32) * 0.35 + rng.normal(0.0, 6.0, frame.shape).astype(np.float32)
        return np.clip(dark, 0, 255).astype(np.uint8)
    if kind == "mirror":
        return frame[:, ::-1].copy()
    return frame


def render(clip: Path, variant: str, out: Path) -> Path:
    """The clip as the variant's camera films it, written by a real H.264 encoder."""
    import cv2
    import imageio_ffmpeg

    kind, fps_out, bitrate = VARIANTS[variant]
    cap = cv2.VideoCapture(str(clip))
    fps_in = cap.get(cv2.CAP_PROP_FPS) or 30.0
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    fps = fps_out or fps_in
    h, w = frames[0].shape[:2]
    w, h = w - w % 2, h - h % 2
    quality = ["-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate] if bitrate else ["-crf", "23"]
    cmd = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{w}x{h}", "-r", f"{fps:g}", "-i", "-",
        "-c:v", "libx264", "-preset", "veryfast", *quality, "-pix_fmt", "yuv420p", str(out),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    rng = np.random.default_rng(0)
    n_out = int(len(frames) / fps_in * fps)
    for i in range(n_out):
        src = frames[min(len(frames) - 1, int(i * fps_in / fps + 1e-6))]
        proc.stdin.write(np.ascontiguousarray(transform(src[:h, :w], kind, rng)).tobytes())
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError(f"ffmpeg could not encode {out}")
    return out


def one(job: tuple[str, str, str, bool]) -> dict[str, Any]:
    import formcheck
    from formcheck.evaluation import score_holds

    name, variant, folder, reuse = job
    label = json.loads((shared / "labels" / f"{name}.json").read_text())
    if VARIANTS[variant][0] == "mirror":  # the mirror image of a left knee hug is a right one
        other = {"left": "right", "right": "left"}
        label["holds"] = [{**h, "side": other.get(h.get("side"), h.get("side"))} for h in label["holds"]]
    slug = variant.replace(" ", "_").replace("/", "").replace("°", "")
    video, track = Path(folder) / f"{name}--{slug}.mp4", Path(folder) / f"{name}--{slug}.npz"
    if reuse and track.exists():
        result = formcheck.analyze_track(track)
    else:
        source = shared / "videos" / f"{name}.mp4"
        if variant != "original" and not video.exists():
            render(source, variant, video)
        result = formcheck.analyze_video(source if variant == "original" else video, save_track=track)
    score = score_holds(result, label)
    holds: list[dict[str, Any]] = []
    for m in score.matched:
        h = m.hold
        group = f"{m.label['stretch']} {m.label.get('variant') or ''}".strip().replace("_", "-")
        holds.append(
            {
                "group": group,
                "found": h is not None,
                "view": h.view if h else None,
                "camera_side": h.camera_side if h else None,
                "start_s": h.start_s if h else None,
                "end_s": h.end_s if h else None,
                "start_error_s": m.start_error_s,
                "end_error_s": m.end_error_s,
                "start_latency_s": m.start_latency_s,
                **{k: (getattr(h, k) if h else None) for k in MEASURES},
            }
        )
    return {"clip": name, "variant": variant, "holds": holds}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bias per camera change, and SEM / range / MDC95 per measure and stretch/variant: over all
    renderings, and over those that keep the same side of the body toward the camera (a mirrored
    clip is the person filmed from their other side)."""
    by: dict[tuple[str, str, str], dict[str, float]] = {}  # (measure, group, clip) -> variant -> value
    for r in rows:
        for i, h in enumerate(r["holds"]):
            for k in MEASURES:
                if h[k] is not None:
                    by.setdefault((k, h["group"], f"{r['clip']}#{i}"), {})[r["variant"]] = float(h[k])
    out: dict[str, Any] = {"bias": {}}
    for (k, group, _clip), vals in sorted(by.items()):
        if "original" not in vals:
            continue
        for variant, v in vals.items():
            if variant != "original":
                out["bias"].setdefault(f"{k}|{group}|{variant}", []).append(v - vals["original"])
    for name, keep in (("spread", lambda v: True), ("same_side", lambda v: VARIANTS[v][0] != "mirror")):
        groups: dict[tuple[str, str], list[list[float]]] = {}
        for (k, group, _clip), vals in by.items():
            groups.setdefault((k, group), []).append([x for v, x in vals.items() if keep(v)])
        out[name] = {}
        for (k, group), per_clip in sorted(groups.items()):
            per_clip = [v for v in per_clip if len(v) >= 2]
            if not per_clip:
                continue
            dof = sum(len(v) - 1 for v in per_clip)
            sem = math.sqrt(sum(float(np.sum((np.array(v) - np.mean(v)) ** 2)) for v in per_clip) / dof)
            out[name][f"{k}|{group}"] = {
                "clips": len(per_clip),
                "renderings": sum(len(v) for v in per_clip),
                "sem": round(sem, 2),
                "range": round(max(max(v) - min(v) for v in per_clip), 1),
                "mdc95": round(1.96 * math.sqrt(2) * sem, 1),
            }
    return out


def main() -> None:
    from formcheck.evaluation import percentiles

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("filters", nargs="*", help="only clips whose name contains one of these")
    ap.add_argument("--out", type=Path, help="folder for the renderings and their tracks (kept)")
    ap.add_argument("--reuse", action="store_true", help="re-analyse kept tracks instead of running the model")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write every number here")
    args = ap.parse_args()
    clips = [
        p.stem
        for p in sorted((shared / "labels").glob("*.json"))
        if json.loads(p.read_text())["holds"] and (not args.filters or any(f in p.stem for f in args.filters))
    ]
    folder = args.out or Path(tempfile.mkdtemp(prefix="formcheck-validity-"))
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(c, v, str(folder), args.reuse) for c in clips for v in VARIANTS]
    rows: list[dict[str, Any]] = []
    with ProcessPoolExecutor(args.workers) as pool:
        for r in pool.map(one, jobs):
            rows.append(r)
            for h in r["holds"]:
                nums = "  ".join(f"{k.split('_')[0]} {h[k]:+.1f}" for k in MEASURES if h[k] is not None)
                where = f"{h['start_s']:.1f}-{h['end_s']:.1f} s {h['view']}" if h["found"] else "NOT FOUND"
                print(f"{r['clip']:36s} {r['variant']:24s} {where:20s} {nums}", flush=True)
    s = summarise(rows)
    print("\nbias against the original file (mean over clips, largest):")
    for key, diffs in s["bias"].items():
        k, group, variant = key.split("|")
        print(f"  {k:18s} {group:22s} {variant:24s} {np.mean(diffs):+6.1f}  max {max(diffs, key=abs):+6.1f}")
    for name, title in (
        ("spread", "all renderings"),
        ("same_side", "the same side of the body toward the camera (all but mirrored)"),
    ):
        print(f"\nspread over {title} (SEM pooled over clips; MDC95 = 1.96·√2·SEM):")
        for key, v in s[name].items():
            k, group = key.split("|")
            print(
                f"  {k:18s} {group:22s} clips {v['clips']}  renderings {v['renderings']:3d}  SEM {v['sem']:5.2f}  "
                f"range {v['range']:5.1f}  MDC95 {v['mdc95']:5.1f}"
            )
    found = sum(h["found"] for r in rows for h in r["holds"])
    print(f"\nholds found: {found} of {sum(len(r['holds']) for r in rows)} renderings")
    same = flipped = others = mirrored = 0
    originals = {r["clip"]: r["holds"] for r in rows if r["variant"] == "original"}
    for r in rows:
        for h, o in zip(r["holds"], originals.get(r["clip"], []), strict=False):
            if r["variant"] == "original" or not (h["found"] and o["found"]):
                continue
            if VARIANTS[r["variant"]][0] == "mirror":
                mirrored += 1
                flipped += h["camera_side"] != o["camera_side"]
            else:
                others += 1
                same += h["camera_side"] == o["camera_side"]
    print(
        f"side toward the camera: the original's on {same} of {others} renderings, "
        f"the other on {flipped} of {mirrored} mirrored"
    )
    timing = (("start_error_s", "start error"), ("end_error_s", "end error"), ("start_latency_s", "start latency"))
    for key, what in timing:
        vals = [abs(h[key]) if key != "start_latency_s" else h[key] for r in rows for h in r["holds"] if h["found"]]
        print(f"{what} against the labels over all renderings (0 inside the rater's range): {percentiles(vals)}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, **s}, indent=1))


if __name__ == "__main__":
    main()
