"""Which target stretch a single frame shows, with separate enter and exit thresholds.

Each recogniser answers "does this frame match?", strictly when entering and loosely when a hold
of that stretch is already running, so noise near a threshold cannot flicker a hold on and off.
The rules and where each threshold comes from are in `config.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from formcheck.analysis.config import ForwardBendConfig, KneeToChestConfig
from formcheck.analysis.features import Features
from formcheck.types import Side, Stretch


@dataclass(frozen=True, slots=True)
class Match:
    stretch: Stretch
    side: Side | None
    variant: str
    depth_deg: float  # the hip flexion that measures how deep the stretch is
    depth_rate: float | None = None  # its rate of change, deg/s (None until known)
    knee_deg: float | None = None  # the knee bend that matters: the straighter (fold) or the pulled one (hug)
    # The flexibility number of this stretch, cm: fingertip-to-toe reach (fold), knee-to-chest distance (hug)
    measure_cm: float | None = None
    view: str = "side"  # side | oblique | front: how far to trust the image-based parts


def forward_bend(f: Features, cfg: ForwardBendConfig, holding: bool) -> Match | None:
    """Trunk leaning forward, the straighter knee mostly straight, and the hands reaching down the
    legs or the trunk folded deep over them."""
    knee = f.knee_flexion[f.straight_side]
    # The depth of a fold is that of the stretched leg: both when both are straight (the mean is the
    # steadier), the straight one in a single-leg fold (the bent leg's hip is not being stretched).
    single = abs(f.knee_flexion["left"] - f.knee_flexion["right"]) > cfg.single_leg_knee_diff
    hip = f.hip_flexion[f.straight_side] if single else f.mean(f.hip_flexion)
    rate = f.hip_rate[f.straight_side] if single else f.mean_rate(f.hip_rate)
    seated = f.hips_low
    if holding:
        lean = cfg.exit_seated_lean if seated else cfg.exit_standing_lean
        ok = (
            f.posture != "lying"
            and knee <= cfg.exit_max_knee_flexion
            and f.trunk_lean >= lean
            and (f.reach >= cfg.exit_reach or hip >= cfg.exit_hip_flexion)
        )
    else:
        lean = cfg.enter_seated_lean if seated else cfg.enter_standing_lean
        ok = (
            f.posture in ("standing", "seated")
            and knee <= cfg.enter_max_knee_flexion
            and f.trunk_lean >= lean
            and (f.leans_over_legs or not seated)
            and (f.reach >= cfg.enter_reach or hip >= cfg.enter_hip_flexion)
        )
    if not ok:
        return None
    variant = "seated" if seated else "standing"
    return Match("forward_bend", None, variant, hip, rate, knee, f.reach_cm, f.view)


def _held(f: Features, side: str, cfg: KneeToChestConfig, entering: bool) -> bool:
    """One leg pulled in and held: thigh up, knee bent, a hand on it, not across the body, foot not up."""
    return (
        f.hip_flexion[side] >= (cfg.enter_hip_flexion if entering else cfg.exit_hip_flexion)
        and f.knee_flexion[side] >= cfg.min_knee_flexion
        and f.hand_to_leg[side] <= (cfg.enter_hand_to_leg if entering else cfg.exit_hand_to_leg)
        and f.thigh_adduction[side] <= cfg.max_thigh_adduction
        and f.feet_up[side] <= cfg.max_feet_up
    )


def knee_to_chest(f: Features, cfg: KneeToChestConfig, holding: Match | None) -> Match | None:
    hf = f.hip_flexion
    if holding is not None:
        if f.posture not in ("lying", "other"):
            return None
        if holding.side is None:  # a double knee hug keeps both legs in
            if all(_held(f, s, cfg, entering=False) for s in ("left", "right")):
                return _double(f)
            return None
        s = holding.side
        o = "left" if s == "right" else "right"
        if _held(f, s, cfg, entering=False) and hf[s] - hf[o] >= cfg.exit_side_difference:
            return _single(f, s)
        return None
    if f.posture != "lying":
        return None
    held = {s: _held(f, s, cfg, entering=True) for s in ("left", "right")}
    if all(held.values()):
        return _double(f)
    s = "left" if hf["left"] > hf["right"] else "right"
    o = "left" if s == "right" else "right"
    if held[s] and hf[s] - hf[o] >= cfg.enter_side_difference:
        return _single(f, s)
    return None


def _single(f: Features, s: str) -> Match:
    hf, kf = f.hip_flexion, f.knee_flexion
    return Match("knee_to_chest", s, "single", hf[s], f.hip_rate[s], kf[s], f.knee_chest_cm[s], f.view)  # type: ignore[arg-type]


def _double(f: Features) -> Match:
    hf = f.hip_flexion
    cm = f.mean(f.knee_chest_cm)
    return Match("knee_to_chest", None, "double", min(hf.values()), f.mean_rate(f.hip_rate), None, cm, f.view)
