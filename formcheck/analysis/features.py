"""Per-frame body features: joint angles, trunk orientation, posture, reach.

Which landmarks for what:
- Joint flexion (hip, knee) uses the *world* landmarks: they are metric 3-D, so the angle between
  trunk and thigh does not shrink when the person is filmed at an angle. On side views they agree
  with the image angles within ~10 degrees.
- Against gravity, both are used: the image vertical is a gravity reference (the camera stands
  upright; rotation metadata is already applied) that is exact in a side view, and the world
  landmarks' vertical axis is the same reference in 3-D, which does not lie when the body points
  toward the camera (3/4 views, a camera at the feet). Posture takes either where they agree
  it is safe to (see `classify_posture`); the forward-bend lean uses the world trunk lean.
- Reach and knee-to-chest distances are world measures (`measures.py`), in centimetres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from formcheck import skeleton as sk
from formcheck.analysis import measures as ms
from formcheck.geometry import flexion, inclination_from_up

Posture = Literal["standing", "seated", "lying", "other"]
SIDES = ("left", "right")


@dataclass(slots=True)
class Features:
    t_s: float
    hip_flexion: dict[str, float]  # per anatomical side, degrees; 0 = trunk in line with thigh
    knee_flexion: dict[str, float]  # 0 = straight leg
    thigh_from_down: dict[str, float]  # image angle of hip->knee from straight down: 0 standing, 90 level, 180 up
    trunk_inclination: float  # image angle of hip->shoulder from straight up: 0 upright, 90 level, 180 head-down
    trunk_leg_same_way: bool  # shoulders and resting foot on the same side of the hips (folded over the legs)
    hips_low: bool  # hips about as low as the ankles: on the floor
    posture: Posture
    hand_to_leg: dict[str, float]  # nearest wrist to that leg's knee/shin, in body sizes (a hug holds it)
    body_size_px: float
    trunk_lean: float  # world trunk from straight up: 0 upright, 90 level (view-independent)
    straight_side: str  # the straighter leg: the one a forward bend reaches along
    leans_over_legs: bool  # world: the trunk leans the way that leg runs (forward, not reclining)
    reach: float  # how far down that leg the hands are: 0 hip, ~0.5 knee, 1 ankle (measures.reach_fraction)
    reach_cm: float | None  # fingertips past the toes along the seen straight leg, cm (None: not on this look)
    knee_chest_cm: dict[str, float]  # knee to lower sternum, cm
    thigh_adduction: dict[str, float]  # thigh toward the midline, degrees (a knee dropped across the body)
    feet_up: dict[str, float]  # ankle above the knee in the image, body sizes (shins pointing at the ceiling)
    view: str  # side | oblique | front (or end-on): see `camera_view`
    chest_up: float  # world: +1 the chest faces the ceiling (on the back), -1 the floor (measures.chest_up)
    shin_to_front: dict[str, float]  # body frame: 0 shin toward the feet, 90 toward the chest's side (feet up)
    side_bend: float  # world: the trunk tilted sideways out of the body's midline plane, degrees
    leg_pitch: float  # world: the straighter leg against the horizontal, degrees (0 along the floor)
    points: np.ndarray  # (33, 2) image landmarks in body-size units, for motion measures
    # Angular speeds (deg/s) over real time, filled in by the stateful analysis stage; None until known.
    hip_rate: dict[str, float | None] = field(default_factory=lambda: {"left": None, "right": None})
    knee_rate: dict[str, float | None] = field(default_factory=lambda: {"left": None, "right": None})

    def mean(self, d: dict[str, float]) -> float:
        return (d["left"] + d["right"]) / 2.0

    def mean_rate(self, d: dict[str, float | None]) -> float | None:
        left, right = d["left"], d["right"]
        return None if left is None or right is None else (left + right) / 2.0


def _segment_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    ax, ay, bx, by, px, py = float(a[0]), float(a[1]), float(b[0]), float(b[1]), float(p[0]), float(p[1])
    dx, dy = bx - ax, by - ay
    t = min(1.0, max(0.0, ((px - ax) * dx + (py - ay) * dy) / max(dx * dx + dy * dy, 1e-9)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def hand_to_leg(px: np.ndarray, side: str) -> float:
    """Distance from the nearer wrist to the thigh or shin of `side` (pixels).

    Hands hold a hugged leg on the knee, on the shin or behind the thigh. The quarter of the thigh
    next to the hip does not count: hands resting on the floor by the hips are near it but are not
    holding the leg.
    """
    _, hp, kn, an = sk.SIDE_CHAIN[side]
    lower_thigh = px[hp] + 0.25 * (px[kn] - px[hp])
    return min(
        min(_segment_distance(px[w], lower_thigh, px[kn]), _segment_distance(px[w], px[kn], px[an]))
        for w in (sk.LEFT_WRIST, sk.RIGHT_WRIST)
    )


def compute_features(
    t_s: float, px: np.ndarray, world: np.ndarray, size_px: float, visibility: np.ndarray | None = None
) -> Features:
    """Features from landmarks: `px` (33, 2) image pixels, `world` (33, 3) metres, and the model's
    `visibility` (33,) of each, which picks the leg a reach is measured along (`measures.reach_leg`)."""
    hip_f, knee_f, thigh, feet_up = {}, {}, {}, {}
    for side, (sh, hp, kn, an) in sk.SIDE_CHAIN.items():
        hip_f[side] = flexion(world[sh], world[hp], world[kn])
        knee_f[side] = flexion(world[hp], world[kn], world[an])
        d = px[kn] - px[hp]
        thigh[side] = 180.0 - inclination_from_up(d)
        feet_up[side] = float(px[kn][1] - px[an][1]) / max(size_px, 1e-6)
    mid_sh = (px[sk.LEFT_SHOULDER] + px[sk.RIGHT_SHOULDER]) / 2
    mid_hip = (px[sk.LEFT_HIP] + px[sk.RIGHT_HIP]) / 2
    trunk = inclination_from_up(mid_sh - mid_hip)
    # The feet (their midpoint: a wide-legged seat spreads them to both sides) on the side of the
    # hips the shoulders are on: folded over the legs, not lying or reclining away from them.
    feet = (px[sk.LEFT_ANKLE] + px[sk.RIGHT_ANKLE]) / 2
    same_way = bool(np.sign(mid_sh[0] - mid_hip[0]) == np.sign(feet[0] - mid_hip[0]))
    # ... or, in 3-D, the trunk leans the way the legs run (a front or feet-on view has no image x to compare)
    same_way = same_way if abs(float(mid_sh[0] - mid_hip[0])) > 0.15 * size_px else ms.leans_toward_legs(world)
    low_ankle_y = max(px[sk.LEFT_ANKLE][1], px[sk.RIGHT_ANKLE][1])
    hips_low = bool(low_ankle_y - mid_hip[1] < 0.25 * size_px) or ms.hips_low(world)
    straight = min(SIDES, key=lambda s: knee_f[s])
    f = Features(
        t_s=t_s,
        hip_flexion=hip_f,
        knee_flexion=knee_f,
        thigh_from_down=thigh,
        trunk_inclination=trunk,
        trunk_leg_same_way=same_way,
        hips_low=hips_low,
        posture="other",
        hand_to_leg={side: hand_to_leg(px, side) / max(size_px, 1e-6) for side in SIDES},
        body_size_px=size_px,
        points=px / max(size_px, 1e-6),
        trunk_lean=ms.trunk_lean_deg(world),
        straight_side=straight,
        leans_over_legs=ms.leans_toward_legs(world),
        reach=ms.reach_fraction(world, straight),
        reach_cm=ms.reach_cm(world, ms.reach_leg(knee_f, visibility)),
        knee_chest_cm={side: ms.knee_to_chest_cm(world, side) for side in SIDES},
        thigh_adduction={side: ms.thigh_adduction_deg(world, side) for side in SIDES},
        feet_up=feet_up,
        view=camera_view(px),
        chest_up=ms.chest_up(world),
        shin_to_front={side: ms.shin_to_front_deg(world, side) for side in SIDES},
        side_bend=ms.side_bend_deg(world),
        leg_pitch=ms.leg_pitch_deg(world, straight),
    )
    f.posture = classify_posture(f)
    return f


# Image shoulder width over torso length: side views on the shared clips stay <= 0.31 (95th
# percentile), a front view measures 0.46-0.63 (fully frontal anatomy gives ~0.85); a body seen
# end-on (camera at the feet or head) has a foreshortened torso and reads as front too.
SIDE_VIEW_MAX, OBLIQUE_VIEW_MAX = 0.4, 0.65


def camera_view(px: np.ndarray) -> str:
    """How the camera sees the body: image-based angles are exact from the side, less so at 3/4,
    and unreliable from the front, where the world landmarks' depth carries the measurement."""
    shoulders = math.dist(px[sk.LEFT_SHOULDER], px[sk.RIGHT_SHOULDER])
    torso = math.dist((px[sk.LEFT_SHOULDER] + px[sk.RIGHT_SHOULDER]) / 2, (px[sk.LEFT_HIP] + px[sk.RIGHT_HIP]) / 2)
    ratio = shoulders / max(torso, 1e-6)
    return "side" if ratio <= SIDE_VIEW_MAX else "oblique" if ratio <= OBLIQUE_VIEW_MAX else "front"


# The chest within 60 degrees of facing the ceiling: lying on the back measures 0.73-1.0 on the
# shared photos (a supine twist the lowest), folds, kneeling and lying face down -0.3 to -1.
CHEST_UP_LYING = 0.5


# A body folded over legs that lie along the floor: the straighter knee within a soft bend, the
# trunk closer to the thighs than at a right angle (hip flexion past 100; sitting tall is 90),
# toward the legs and no more than 30 degrees below level (a deep fold lays the chest on the
# legs, 95-110 on the shared wide-legged photos; plow turns it head-down past 135 with the hips
# off the floor), and the legs within 35 degrees of level (a camera tilted by up to ~20 degrees
# still reads them so; lying with the legs raised points them up, 60-90).
FOLDED_HIP_MIN, FOLDED_LEAN_MAX, FOLDED_KNEE_MAX, LEGS_LEVEL_MAX = 100.0, 120.0, 45.0, 35.0


def sits_folded(f: Features) -> bool:
    """Hips on the floor, legs straight ahead along it, the trunk leaning over them: seated, from the
    body's own shape and the floor. The chest's facing (`chest_up`), which the model flips when the
    face is hidden over the knees, has no say here."""
    return (
        f.knee_flexion[f.straight_side] <= FOLDED_KNEE_MAX
        and f.mean(f.hip_flexion) >= FOLDED_HIP_MIN
        and f.trunk_lean <= FOLDED_LEAN_MAX
        and f.leans_over_legs
        and f.leg_pitch <= LEGS_LEVEL_MAX
    )


def classify_posture(f: Features) -> Posture:
    """Coarse body position relative to the floor.

    - seated, first: hips on the floor and folded over straight legs that lie along it (`sits_folded`);
    - lying (on the back): trunk within 45 degrees of level (a pelvis rolled up off the mat tilts
      it), hips on the floor, and the chest facing up (`chest_up`, the body's own frame: a seated
      fold, child's pose and lying face down all face the floor);
    - seated: hips on the floor (as low as the ankles), trunk upright or folded over the legs;
    - standing: both thighs hang within 45 degrees of straight down;
    - other: kneeling, all fours, crouching, transitions.
    Trunk level-ness is taken from the image or the world landmarks (a lying body seen from the
    feet is level in 3-D but points up the picture).
    """
    level_trunk = abs(f.trunk_inclination - 90.0) <= 45.0 or abs(f.trunk_lean - 90.0) <= 45.0
    if f.hips_low and sits_folded(f):
        return "seated"
    if f.hips_low and level_trunk and f.chest_up >= CHEST_UP_LYING:
        return "lying"
    if f.hips_low and (min(f.trunk_inclination, f.trunk_lean) <= 35.0 or f.trunk_leg_same_way):
        return "seated"
    if max(f.thigh_from_down.values()) <= 45.0:
        return "standing"
    return "other"
