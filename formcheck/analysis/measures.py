"""View-independent body measures from the world landmarks (metres, camera-aligned axes).

MediaPipe's world landmarks are metric and centred on the hips, with axes parallel to the
camera's (x right, y down, z away). For a camera standing upright - the case at home: a phone or
laptop on the floor or a chair - y is gravity, so a trunk's lean from vertical is the same whether
the person is filmed from the side, at 3/4 or from the feet, which the image angles are not (a
trunk leaning toward the camera is foreshortened to nothing in the picture). A camera tilted down
by a few degrees tilts these axes by as much; the rules leave that much margin.

These are also the flexibility numbers a physiotherapist reads: sit-and-reach style
fingertip-to-toe distance and knee-to-chest distance, in centimetres.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck import skeleton as sk

_INDEX = {"left": sk.LEFT_INDEX, "right": sk.RIGHT_INDEX}
_TOE = {"left": sk.LEFT_FOOT, "right": sk.RIGHT_FOOT}


def _norm(v: np.ndarray) -> float:
    return math.sqrt(float(v[0]) ** 2 + float(v[1]) ** 2 + float(v[2]) ** 2)


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    return float(a[0]) * float(b[0]) + float(a[1]) * float(b[1]) + float(a[2]) * float(b[2])


def trunk_lean_deg(w: np.ndarray) -> float:
    """Trunk (mid-hip -> mid-shoulder) from straight up: 0 upright, 90 level, 180 head-down."""
    v = (w[sk.LEFT_SHOULDER] + w[sk.RIGHT_SHOULDER] - w[sk.LEFT_HIP] - w[sk.RIGHT_HIP]) / 2
    return math.degrees(math.atan2(math.hypot(float(v[0]), float(v[2])), -float(v[1])))


def leans_toward_legs(w: np.ndarray, side: str | None = None) -> bool:
    """The trunk's horizontal direction points the way the legs run (folded over them), not away.
    `side` None: both legs, i.e. toward the middle between the feet - the way a wide-legged fold
    leans, where each leg alone runs off to a side and the model's depth noise flips its sign."""
    trunk = (w[sk.LEFT_SHOULDER] + w[sk.RIGHT_SHOULDER] - w[sk.LEFT_HIP] - w[sk.RIGHT_HIP]) / 2
    if side is None:
        leg = (w[sk.LEFT_ANKLE] + w[sk.RIGHT_ANKLE] - w[sk.LEFT_HIP] - w[sk.RIGHT_HIP]) / 2
    else:
        _, hp, _, an = sk.SIDE_CHAIN[side]
        leg = w[an] - w[hp]
    return float(trunk[0]) * float(leg[0]) + float(trunk[2]) * float(leg[2]) > 0.0


def hips_low(w: np.ndarray) -> bool:
    """Hips about as low as the lower ankle (on the floor): less than a third of a leg above it."""
    leg = max(_norm(w[hp] - w[kn]) + _norm(w[kn] - w[an]) for _, hp, kn, an in sk.SIDE_CHAIN.values())
    mid_hip_y = (float(w[sk.LEFT_HIP][1]) + float(w[sk.RIGHT_HIP][1])) / 2
    return max(float(w[sk.LEFT_ANKLE][1]), float(w[sk.RIGHT_ANKLE][1])) - mid_hip_y < leg / 3


def leg_pitch_deg(w: np.ndarray, side: str) -> float:
    """The `side` leg (hip -> ankle) against the horizontal, degrees: 0 along the floor (sitting,
    lying with the legs down), 90 pointing straight up or down (standing, a leg raised)."""
    _, hp, _, an = sk.SIDE_CHAIN[side]
    v = w[an] - w[hp]
    return math.degrees(math.atan2(abs(float(v[1])), math.hypot(float(v[0]), float(v[2]))))


def _segment_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    d = b - a
    t = min(1.0, max(0.0, _dot(p - a, d) / max(_dot(d, d), 1e-9)))
    return _norm(p - (a + t * d))


def reach_fraction(w: np.ndarray, side: str, max_off_leg: float = 0.5) -> float:
    """How far down the `side` leg the hands have travelled: the best wrist's projection on the
    hip -> ankle axis (0 at the hip, 0.5 about the knee, 1 at the ankle). Only a wrist within
    `max_off_leg` leg lengths of the shin or foot counts: hands on the floor far in front of the
    feet (downward dog) or behind the head are not a reach toward the feet."""
    _, hp, kn, an = sk.SIDE_CHAIN[side]
    axis = w[an] - w[hp]
    length2 = max(_dot(axis, axis), 1e-9)
    leg = _norm(w[hp] - w[kn]) + _norm(w[kn] - w[an])
    best = 0.0
    for wrist in (sk.LEFT_WRIST, sk.RIGHT_WRIST):
        if _segment_distance(w[wrist], w[kn], w[_TOE[side]]) <= max_off_leg * leg:
            best = max(best, _dot(w[wrist] - w[hp], axis) / length2)
    return best


# A reach leg's hip -> toe distance against its thigh + shin: a straight leg reads 0.95-1.05 (the
# toe lies past the ankle); far outside this the model has lost the foot, not measured it.
TOE_REACH_RATIO = (0.75, 1.3)
# Legs within this many degrees of knee flexion of the straighter are stretched alike: a fold
# reaches along both, and the one the camera sees better is measured.
ALIKE_KNEE_DEG = 25.0


def reach_leg(knee_flexion: dict[str, float], visibility: np.ndarray | None = None) -> str:
    """The leg a reach is measured along: of the straight legs, the one the camera sees better.

    On a side view the far leg is hidden behind the near one and the model guesses its foot
    (10-15 cm off on the shared seated fold); choosing the straighter knee flips between the two
    on noise, which moved a held reach by 8 cm between sampling modes. Without visibility: the
    straighter leg."""
    straight = min(knee_flexion, key=knee_flexion.__getitem__)
    if visibility is None:
        return straight
    alike = [s for s in ("left", "right") if knee_flexion[s] <= knee_flexion[straight] + ALIKE_KNEE_DEG]

    def seen(side: str) -> float:
        _, hp, kn, an = sk.SIDE_CHAIN[side]
        return float(visibility[hp] + visibility[kn] + visibility[an] + visibility[_TOE[side]])

    return max(alike, key=seen)


def reach_cm(w: np.ndarray, side: str, max_off_leg: float = 0.5) -> float | None:
    """Sit-and-reach style: the better fingertip's distance past the toes along the `side` leg, cm
    (negative: short of the toes). Measured along the hip -> toe axis, so it reads the same from
    any viewing angle and for standing and seated folds. None when this look cannot measure it:
    the foot is not where a foot can be (`TOE_REACH_RATIO`) or no fingertip is within `max_off_leg`
    leg lengths of the shin or foot (a hand the model put elsewhere, or not reaching)."""
    _, hp, kn, an = sk.SIDE_CHAIN[side]
    axis = w[_TOE[side]] - w[hp]
    length = max(_norm(axis), 1e-6)
    leg = _norm(w[hp] - w[kn]) + _norm(w[kn] - w[an])
    if not TOE_REACH_RATIO[0] * leg <= length <= TOE_REACH_RATIO[1] * leg:
        return None
    near = [
        _dot(w[_INDEX[s]] - w[hp], axis) / length
        for s in ("left", "right")
        if _segment_distance(w[_INDEX[s]], w[kn], w[_TOE[side]]) <= max_off_leg * leg
    ]
    return 100.0 * (max(near) - length) if near else None


def knee_to_chest_cm(w: np.ndarray, side: str) -> float:
    """Distance from the `side` knee to the chest (a quarter of the way down from mid-shoulder to
    mid-hip: about the lower sternum), cm."""
    sh = (w[sk.LEFT_SHOULDER] + w[sk.RIGHT_SHOULDER]) / 2
    hp = (w[sk.LEFT_HIP] + w[sk.RIGHT_HIP]) / 2
    chest = sh + 0.25 * (hp - sh)
    return 100.0 * _norm(w[sk.SIDE_CHAIN[side][2]] - chest)


def thigh_adduction_deg(w: np.ndarray, side: str) -> float:
    """Thigh angle toward the body's midline (+) or away from it (-): a knee dropped across the
    body (supine twist) is strongly adducted, a knee pulled to the chest is not."""
    _, hp, kn, _ = sk.SIDE_CHAIN[side]
    other = sk.SIDE_CHAIN["right" if side == "left" else "left"][1]
    medial = w[other] - w[hp]
    thigh = w[kn] - w[hp]
    s = _dot(thigh, medial) / max(_norm(thigh) * _norm(medial), 1e-9)
    return math.degrees(math.asin(max(-1.0, min(1.0, s))))


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """np.cross of two 3-vectors, the same operations on the same dtype, without its ~20 us of
    argument handling (it ran three times per frame, ~10% of the analysis)."""
    a0, a1, a2 = a
    b0, b1, b2 = b
    return np.array([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0])


def _trunk_axes(w: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The body's own frame: `u` along the trunk (hips -> shoulders) and `n` the way the chest
    faces (anterior), both unit vectors in world axes; None for a degenerate trunk.

    The chest's direction is taken from the nose, which sits in front of the shoulders whatever
    the model calls left and right (its left/right swaps on side views flip any direction built
    from the hip line). A head turned more than 45 degrees (toward the camera, say) leaves the
    body's midline plane: then the hip line gives the axis and the nose only which way is front
    (nobody turns the head past 90 degrees)."""
    sh = (w[sk.LEFT_SHOULDER] + w[sk.RIGHT_SHOULDER]) / 2
    hp = (w[sk.LEFT_HIP] + w[sk.RIGHT_HIP]) / 2
    u = sh - hp
    nu = _norm(u)
    if nu < 1e-6:
        return None
    u = u / nu
    face = w[sk.NOSE] - sh
    n = face - _dot(face, u) * u
    lateral = _cross(u, w[sk.RIGHT_HIP] - w[sk.LEFT_HIP])  # the chest's axis from the pelvis (sign unknown)
    side_axis = _cross(lateral, u)  # the hip line, made perpendicular to the trunk
    ln, ls = _norm(n), _norm(side_axis)
    if ln >= 0.03 and ls > 1e-6 and abs(_dot(n, side_axis)) > 0.7 * ln * ls:
        n = lateral * (1.0 if _dot(n, lateral) > 0 else -1.0)  # the head is turned: trust the pelvis
    elif ln < 0.03:  # nose in line with the trunk: use the hip line (right-hand rule)
        n = lateral
    nn = _norm(n)
    return (u, n / nn) if nn > 1e-6 else None


def chest_up(w: np.ndarray) -> float:
    """How much the chest faces the ceiling: +1 lying on the back, -1 face down or folded over the
    legs, 0 on the side or upright (world y points down)."""
    axes = _trunk_axes(w)
    return 0.0 if axes is None else -float(axes[1][1])


def shin_to_front_deg(w: np.ndarray, side: str) -> float:
    """The shin's direction in the body's own sagittal plane: 0 pointing toward the feet (knee
    bent as much as the hip), 90 pointing the way the chest faces (feet up to the ceiling when
    lying: happy baby, dead bug), negative tucked back under the thigh. Independent of where the
    camera is and of which way the picture is up."""
    axes = _trunk_axes(w)
    if axes is None:
        return 0.0
    u, n = axes
    _, _, kn, an = sk.SIDE_CHAIN[side]
    shin = w[an] - w[kn]
    return math.degrees(math.atan2(_dot(shin, n), -_dot(shin, u)))


def side_bend_deg(w: np.ndarray) -> float:
    """How far the trunk tilts sideways out of the body's midline plane (toward one hip), degrees:
    ~0 for any forward fold however deep (the trunk stays in the plane the hip line is normal to),
    the side-bend angle for a triangle pose or a side stretch. Left/right swaps do not change it."""
    trunk = (w[sk.LEFT_SHOULDER] + w[sk.RIGHT_SHOULDER] - w[sk.LEFT_HIP] - w[sk.RIGHT_HIP]) / 2
    hips = w[sk.RIGHT_HIP] - w[sk.LEFT_HIP]
    c = abs(_dot(trunk, hips)) / max(_norm(trunk) * _norm(hips), 1e-9)
    return math.degrees(math.asin(min(1.0, c)))
