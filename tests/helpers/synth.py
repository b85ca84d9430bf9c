"""Synthetic but realistic landmark sequences for unit tests of the analysis.

A side-view skeleton (adult proportions, facing +x) is posed from a few sagittal angles, then
projected to the image and to world coordinates, with the noise, jitter, visibility pattern
(far side poorly visible) and dropouts that the real model shows. Angle conventions match
formcheck.analysis.features: hip flexion = trunk_from_up + thigh_from_down when facing +x.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from formcheck import skeleton as sk
from formcheck.types import PoseFrame

TORSO, THIGH, SHANK, UPPER_ARM, FOREARM, HEAD = 0.50, 0.43, 0.42, 0.30, 0.27, 0.22
W, H = 1280, 720


@dataclass(frozen=True)
class Pose:
    """Angles in degrees. trunk: from straight up, forward positive (-90 = lying, head toward -x).
    thigh_*: from straight down, forward positive. knee_*: flexion. hug_*: wrist on that shin."""

    pelvis: tuple[float, float] = (0.0, 0.0)  # metres in the sagittal plane, y down
    trunk: float = 0.0
    thigh_left: float = 0.0
    thigh_right: float = 0.0
    knee_left: float = 0.0
    knee_right: float = 0.0
    hug_left: bool = False
    hug_right: bool = False
    reach: float | None = None  # both wrists this far down the left leg (0 hip, 1 ankle), 6 cm above it
    head_turn: float = 0.0  # degrees the face is turned toward the camera (the left side's z)


def _dir(angle_from_down: float) -> np.ndarray:
    a = np.radians(angle_from_down)
    return np.array([np.sin(a), np.cos(a)])


def world_landmarks(p: Pose) -> np.ndarray:
    """(33, 3) metres; x forward, y down, z toward the camera for the left side."""
    w = np.zeros((33, 3))
    pelvis = np.array(p.pelvis, float)
    trunk_dir = -_dir(p.trunk) * np.array([-1, 1])  # up rotated forward by `trunk`
    shoulder = pelvis + TORSO * trunk_dir
    head = shoulder + HEAD * trunk_dir
    for side, z in (("left", 0.1), ("right", -0.1)):
        sh, hp, kn, an = sk.SIDE_CHAIN[side]
        thigh = getattr(p, f"thigh_{side}")
        knee_flex = getattr(p, f"knee_{side}")
        knee = pelvis + THIGH * _dir(thigh)
        ankle = knee + SHANK * _dir(thigh - knee_flex)
        w[hp, :2], w[kn, :2], w[an, :2] = pelvis, knee, ankle
        w[sh, :2] = shoulder
        w[[hp, kn, an], 2] = z
        w[sh, 2] = z * 1.8
        heel, foot = (sk.LEFT_HEEL, sk.LEFT_FOOT) if side == "left" else (sk.RIGHT_HEEL, sk.RIGHT_FOOT)
        w[heel, :2] = ankle + 0.06 * _dir(thigh - knee_flex)
        w[foot, :2] = ankle + 0.18 * _dir(thigh - knee_flex - 90)
        w[[heel, foot], 2] = z
        elbow_i, wrist_i = (sk.LEFT_ELBOW, sk.LEFT_WRIST) if side == "left" else (sk.RIGHT_ELBOW, sk.RIGHT_WRIST)
        if getattr(p, f"hug_{side}") or getattr(p, f"hug_{'right' if side == 'left' else 'left'}"):
            hugged = "left" if p.hug_left else "right"
            hk = pelvis + THIGH * _dir(getattr(p, f"thigh_{hugged}"))
            target = hk + 0.05 * _dir(getattr(p, f"thigh_{hugged}") - getattr(p, f"knee_{hugged}"))
            wrist = target
            elbow = (shoulder + wrist) / 2 + 0.05
        else:  # arms along the trunk direction, hanging by the sides
            arm_dir = -trunk_dir if p.trunk > -45 else _dir(p.trunk + 180) * 0 + np.array([0.2, 0.98])
            elbow = shoulder + UPPER_ARM * arm_dir
            wrist = elbow + FOREARM * arm_dir
        if p.reach is not None:  # reaching toward the feet along the (left) leg
            lk = pelvis + THIGH * _dir(p.thigh_left)
            la = lk + SHANK * _dir(p.thigh_left - p.knee_left)
            wrist = pelvis + p.reach * (la - pelvis) - 0.06 * _dir(p.thigh_left - p.knee_left - 90)
            elbow = (shoulder + wrist) / 2
        w[elbow_i, :2], w[wrist_i, :2] = elbow, wrist
        w[[elbow_i, wrist_i], 2] = z * 2
        for i in (17, 19, 21) if side == "left" else (18, 20, 22):
            w[i] = w[wrist_i] + [0.03, 0.03, 0]
    front = np.array([-trunk_dir[1], trunk_dir[0]])  # the way the chest faces (the face is in front)
    for i in range(11):
        w[i, :2] = head + 0.02 * (i % 3)
        w[i, 2] = 0.05 if i in (1, 2, 3, 7, 9) else -0.05
    turn = np.radians(p.head_turn)
    w[sk.NOSE, :2] = head + 0.1 * np.cos(turn) * front
    w[sk.NOSE, 2] = 0.1 * np.sin(turn)
    return w - np.r_[(w[sk.LEFT_HIP] + w[sk.RIGHT_HIP]) / 2]


def pose_frame(
    p: Pose,
    t_s: float,
    rng: np.random.Generator,
    noise: float = 0.004,
    scale_px: float = 300.0,
    centre: tuple[float, float] = (640, 420),
    world_noise: float = 0.012,
) -> PoseFrame:
    """One model-like frame: image landmarks with pixel noise, world with cm noise, far side less visible."""
    w = world_landmarks(p)
    img = np.zeros((33, 5), np.float32)
    img[:, 0] = (centre[0] + w[:, 0] * scale_px) / W + rng.normal(0, noise, 33)
    img[:, 1] = (centre[1] + w[:, 1] * scale_px) / H + rng.normal(0, noise * W / H, 33)
    img[:, 2] = -w[:, 2] + rng.normal(0, 0.02, 33)
    far = np.array([i for i in range(33) if i % 2 == 0 and i > 10])  # right-side indices are even
    img[:, 3] = np.clip(rng.normal(0.97, 0.02, 33), 0, 1)
    img[far, 3] = np.clip(rng.normal(0.4, 0.15, len(far)), 0, 1)
    img[:, 4] = np.clip(rng.normal(0.99, 0.005, 33), 0, 1)
    world = (w + rng.normal(0, world_noise, w.shape)).astype(np.float32)
    return PoseFrame(t_s, img, world, 1)


def _lerp(a: Pose, b: Pose, u: float) -> Pose:
    vals = {}
    for f in ("trunk", "thigh_left", "thigh_right", "knee_left", "knee_right"):
        vals[f] = getattr(a, f) + u * (getattr(b, f) - getattr(a, f))
    vals["pelvis"] = tuple(np.add(a.pelvis, np.multiply(u, np.subtract(b.pelvis, a.pelvis))))
    vals["hug_left"] = a.hug_left if u < 0.5 else b.hug_left
    vals["hug_right"] = a.hug_right if u < 0.5 else b.hug_right
    vals["reach"] = a.reach if u < 0.5 else b.reach
    return replace(a, **vals)


def sequence(
    keys: list[tuple[float, Pose]],
    fps: float = 30.0,
    seed: int = 0,
    dropouts: tuple[tuple[float, float], ...] = (),
    fps_jitter: float = 0.0,
    noise: float = 0.004,
    world_noise: float = 0.012,
) -> list[PoseFrame]:
    """Frames through key poses (linear in angles, smooth-stepped in time), with noise and dropouts."""
    rng = np.random.default_rng(seed)
    frames, t, end = [], 0.0, keys[-1][0]
    while t <= end:
        k = max(i for i, (kt, _) in enumerate(keys) if kt <= t)
        if k == len(keys) - 1:
            pose = keys[-1][1]
        else:
            (t0, a), (t1, b) = keys[k], keys[k + 1]
            u = (t - t0) / (t1 - t0)
            pose = _lerp(a, b, u * u * (3 - 2 * u))
        if any(lo <= t < hi for lo, hi in dropouts):
            frames.append(PoseFrame(t, None, None, 0))
        else:
            frames.append(pose_frame(pose, t, rng, noise=noise, world_noise=world_noise))
        t += (1 / fps) * (1 + rng.uniform(-fps_jitter, fps_jitter))
    return frames


STAND = Pose()
FOLD = Pose(trunk=125, thigh_left=20, thigh_right=20, knee_left=8, knee_right=8)
SQUAT = Pose(pelvis=(0, 0.3), trunk=45, thigh_left=85, thigh_right=85, knee_left=125, knee_right=125)
SIT = Pose(pelvis=(0, 0.8), trunk=0, thigh_left=90, thigh_right=90)
SEATED_FOLD = Pose(pelvis=(0, 0.8), trunk=60, thigh_left=90, thigh_right=90, knee_left=5, knee_right=5)
LIE_BENT = Pose(pelvis=(0, 0.8), trunk=-90, thigh_left=140, thigh_right=140, knee_left=110, knee_right=110)
LIE_FLAT = Pose(pelvis=(0, 0.8), trunk=-90, thigh_left=90, thigh_right=90)


def knee_hug(side: str, hip_flexion: float = 115.0) -> Pose:
    """Lying with knees bent, `side` thigh pulled to `hip_flexion` and hugged."""
    other = "left" if side == "right" else "right"
    kwargs = {
        f"thigh_{side}": hip_flexion + 90,
        f"knee_{side}": 110,
        f"hug_{side}": True,
        f"thigh_{other}": 140,
        f"knee_{other}": 110,
    }
    return replace(LIE_BENT, **kwargs)
