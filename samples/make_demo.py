"""Render the demo clip, `samples/demo_knee_to_chest.mp4`, from a saved landmark track.

    python samples/make_demo.py

A plain figure (tapered limbs, a face in profile, clothes) is drawn on the landmarks of
`knee_to_chest_session.npz` in a simple room, with a webcam's sensor noise, and encoded as H.264
by the bundled ffmpeg. No photo or clip of a real person goes into it: it is the project's own
picture, so `formcheck live --source`, `--annotate` and the report's key frames can be tried
without a clip of one's own. `tests/test_samples.py` checks that formcheck finds the track's own
holds in it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from formcheck.render.video_writer import AnnotatedWriter  # noqa: E402
from formcheck.sources.track import Track  # noqa: E402

W, H = 960, 540
SKIN, SHIRT, TROUSERS, SHOE, HAIR = (150, 178, 222), (160, 98, 48), (72, 72, 78), (235, 235, 240), (38, 42, 58)
SIDES = {
    "left": {"shoulder": 11, "elbow": 13, "wrist": 15, "hip": 23, "knee": 25, "ankle": 27, "heel": 29, "toe": 31},
    "right": {"shoulder": 12, "elbow": 14, "wrist": 16, "hip": 24, "knee": 26, "ankle": 28, "heel": 30, "toe": 32},
}


def _room() -> np.ndarray:
    img = np.zeros((H, W, 3), np.float32)
    floor = int(0.74 * H)
    for y in range(H):
        img[y] = (196 - 0.06 * y, 208 - 0.06 * y, 216 - 0.05 * y) if y < floor else (104, 128, 150)
    rng = np.random.default_rng(7)
    img[floor:] += rng.normal(0, 5, (H - floor, W, 1)).repeat(3, axis=2)  # a wooden floor's grain
    cv2.rectangle(img, (40, floor - 4), (W - 40, floor + 26), (92, 96, 104), -1)  # the mat
    return img


def _shade(color: tuple[int, int, int], k: float) -> tuple[int, int, int]:
    return tuple(int(min(255, c * k)) for c in color)  # type: ignore[return-value]


def _segment(img: np.ndarray, a: np.ndarray, b: np.ndarray, wa: float, wb: float, color: tuple) -> None:
    """A limb: a tapered quadrilateral with round ends, a darker edge for shape."""
    d = b - a
    n = np.array([-d[1], d[0]]) / max(float(np.linalg.norm(d)), 1e-6)
    quad = np.array([a + n * wa, b + n * wb, b - n * wb, a - n * wa]).astype(np.int32)
    cv2.fillConvexPoly(img, quad, _shade(color, 0.8), cv2.LINE_AA)
    cv2.circle(img, tuple(a.astype(int)), int(wa), _shade(color, 0.8), -1, cv2.LINE_AA)
    cv2.circle(img, tuple(b.astype(int)), int(wb), _shade(color, 0.8), -1, cv2.LINE_AA)
    inner = np.array([a + n * wa * 0.75, b + n * wb * 0.75, b - n * wb * 0.75, a - n * wa * 0.75]).astype(np.int32)
    cv2.fillConvexPoly(img, inner, color, cv2.LINE_AA)


def _figure(img: np.ndarray, lm: np.ndarray) -> None:
    p = lm[:, :2] * [W, H]
    torso = float(np.linalg.norm((p[11] + p[12]) / 2 - (p[23] + p[24]) / 2))
    u = max(torso, 20.0)
    near = "right" if lm[26, 2] < lm[25, 2] else "left"
    far = "left" if near == "right" else "right"

    def limbs(side: str, k: float) -> None:
        s = {name: p[i] for name, i in SIDES[side].items()}
        _segment(img, s["hip"], s["knee"], 0.17 * u, 0.11 * u, _shade(TROUSERS, k))
        _segment(img, s["knee"], s["ankle"], 0.11 * u, 0.07 * u, _shade(TROUSERS, k))
        _segment(img, s["heel"], s["toe"], 0.07 * u, 0.06 * u, _shade(SHOE, k))
        _segment(img, s["ankle"], s["heel"], 0.07 * u, 0.07 * u, _shade(SHOE, k))

    def arm(side: str, k: float) -> None:
        s = {name: p[i] for name, i in SIDES[side].items()}
        _segment(img, s["shoulder"], s["elbow"], 0.09 * u, 0.075 * u, _shade(SHIRT, k))
        _segment(img, s["elbow"], s["wrist"], 0.065 * u, 0.05 * u, _shade(SKIN, k))
        hand = s["wrist"] + (s["wrist"] - s["elbow"]) * 0.25
        cv2.circle(img, tuple(hand.astype(int)), int(0.075 * u), _shade(SKIN, k), -1, cv2.LINE_AA)

    arm(far, 0.7)
    limbs(far, 0.7)
    shoulder, hip = (p[11] + p[12]) / 2, (p[23] + p[24]) / 2
    _segment(img, hip, shoulder, 0.26 * u, 0.24 * u, SHIRT)
    ear = p[7] if near == "left" else p[8]
    head = (p[7] + p[8]) / 2 * 0.5 + ear * 0.5
    nose = p[0]
    face = nose - head
    face_dir = face / max(float(np.linalg.norm(face)), 1e-6)
    r = 0.3 * u
    _segment(img, shoulder, head, 0.1 * u, 0.09 * u, SKIN)  # the neck
    cv2.circle(img, tuple(head.astype(int)), int(r), SKIN, -1, cv2.LINE_AA)
    back = head - face_dir * r * 0.35
    cv2.ellipse(img, tuple(back.astype(int)), (int(r * 0.85), int(r * 0.85)), 0, 0, 360, HAIR, -1, cv2.LINE_AA)
    cv2.circle(img, tuple((head + face_dir * r * 0.55).astype(int)), int(r * 0.55), SKIN, -1, cv2.LINE_AA)
    cv2.circle(img, tuple((head + face_dir * r * 1.0).astype(int)), int(r * 0.16), _shade(SKIN, 0.9), -1, cv2.LINE_AA)
    eye = p[2] if near == "left" else p[5]
    cv2.circle(img, tuple(eye.astype(int)), max(2, int(r * 0.1)), (40, 30, 30), -1, cv2.LINE_AA)
    cv2.circle(img, tuple(ear.astype(int)), max(3, int(r * 0.18)), _shade(SKIN, 0.8), -1, cv2.LINE_AA)
    limbs(near, 1.0)
    arm(near, 1.0)


def render(track: Path, out: Path, seconds: float | None = None) -> Path:
    t = Track(track)
    room = _room()
    rng = np.random.default_rng(0)
    n = len(t.t_s) if seconds is None else int(seconds * t.info().fps)
    last = None
    writer = AnnotatedWriter(out, t.info().fps, (W, H))
    try:
        for i in range(n):
            lm = t.landmarks[i]
            if np.isfinite(lm[:, :2]).all() and lm[:, :2].any():
                last = lm
            img = room.copy()
            if last is not None:
                _figure(img, last)
            img = cv2.GaussianBlur(img, (3, 3), 0) + rng.normal(0, 3.0, img.shape)  # a webcam's noise
            writer.write(np.clip(img, 0, 255).astype(np.uint8))
    except BaseException:
        writer.abort()
        raise
    return writer.close()


if __name__ == "__main__":
    print(render(HERE / "knee_to_chest_session.npz", HERE / "demo_knee_to_chest.mp4"))
