"""Which target stretch a single frame shows, with separate enter and exit thresholds.

Each recogniser answers "does this frame match?", strictly when entering and loosely when a hold
of that stretch is already running, so noise near a threshold cannot flicker a hold on and off.
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
    knee_deg: float | None = None  # the knee bend that matters: both (fold) or the pulled one (hug)


def forward_bend(f: Features, cfg: ForwardBendConfig, holding: bool) -> Match | None:
    hip = f.mean(f.hip_flexion)
    knee = f.mean(f.knee_flexion)
    if holding:
        ok = (
            f.posture != "lying"
            and hip >= cfg.exit_hip_flexion
            and knee <= cfg.exit_max_knee_flexion
            and f.trunk_inclination >= cfg.exit_trunk_inclination
        )
    else:
        ok = (
            f.posture in ("standing", "seated")
            and hip >= cfg.enter_hip_flexion
            and knee <= cfg.enter_max_knee_flexion
            and f.trunk_inclination >= cfg.enter_trunk_inclination
        )
    if not ok:
        return None
    variant = "seated" if f.posture == "seated" else "standing"
    return Match("forward_bend", None, variant, hip, f.mean_rate(f.hip_rate), knee)


def knee_to_chest(f: Features, cfg: KneeToChestConfig, holding: Match | None) -> Match | None:
    hf, kf = f.hip_flexion, f.knee_flexion
    if holding is not None and holding.side is None:  # a double knee hug keeps both legs in
        both = min(hf.values())
        hands = min(f.hand_to_leg.values())
        if f.posture in ("lying", "other") and both >= cfg.exit_hip_flexion and hands <= cfg.exit_hand_to_leg:
            return Match("knee_to_chest", None, "double", both, f.mean_rate(f.hip_rate))
        return None
    if holding is not None and holding.side is not None:
        s = holding.side
        o = "left" if s == "right" else "right"
        ok = (
            f.posture in ("lying", "other")
            and hf[s] >= cfg.exit_hip_flexion
            and hf[s] - hf[o] >= cfg.exit_side_difference
            and f.hand_to_leg[s] <= cfg.exit_hand_to_leg
        )
        return Match("knee_to_chest", s, "single", hf[s], f.hip_rate[s], kf[s]) if ok else None
    if f.posture != "lying":
        return None
    bent = {
        s: hf[s] >= cfg.enter_hip_flexion
        and kf[s] >= cfg.min_knee_flexion
        and f.hand_to_leg[s] <= cfg.enter_hand_to_leg
        for s in ("left", "right")
    }
    if all(bent.values()):
        return Match("knee_to_chest", None, "double", min(hf.values()), f.mean_rate(f.hip_rate))
    s = "left" if hf["left"] > hf["right"] else "right"
    o = "left" if s == "right" else "right"
    if bent[s] and hf[s] - hf[o] >= cfg.enter_side_difference:
        return Match("knee_to_chest", s, "single", hf[s], f.hip_rate[s], kf[s])  # type: ignore[arg-type]
    return None
