"""Which target stretch a single frame shows: the rules of each stretch, as named checks.

Each recogniser is a list of rules (`rules.py`) built from its config: strict thresholds when
entering, loose ones while a hold of that stretch is already running. The same lists explain a
miss (`formcheck explain`, the live window's `d` key) and pick the live cue, so what is checked
and what is explained cannot drift apart. Where each threshold comes from is in `config.py`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from formcheck.analysis.config import AnalysisConfig, ForwardBendConfig, KneeToChestConfig
from formcheck.analysis.features import Features
from formcheck.analysis.rules import AnyOf, Condition, Rule, Threshold, Verdict, evaluate
from formcheck.types import Side, Stretch

SIDES = ("left", "right")


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

    @property
    def label(self) -> str:
        """'knee-to-chest (right, single)': how explain, the hold status and the reports name it."""
        names = {"forward_bend": "forward bend", "knee_to_chest": "knee-to-chest"}
        return f"{names[self.stretch]} ({self.side + ', ' if self.side else ''}{self.variant})"


def _other(side: str | None) -> str:
    return "left" if side == "right" else "right"


def _single_leg(f: Features, cfg: ForwardBendConfig) -> bool:
    return abs(f.knee_flexion["left"] - f.knee_flexion["right"]) > cfg.single_leg_knee_diff


def fold_depth(f: Features, cfg: ForwardBendConfig) -> float:
    """The depth of a fold is that of the stretched leg: both when both are straight (the mean is
    the steadier), the straight one in a single-leg fold (the bent leg's hip is not stretched)."""
    return f.hip_flexion[f.straight_side] if _single_leg(f, cfg) else f.mean(f.hip_flexion)


@functools.lru_cache(maxsize=16)
def forward_bend_rules(cfg: ForwardBendConfig, seated: bool) -> tuple[Rule, ...]:
    lean_in, lean_out = (
        (cfg.enter_seated_lean, cfg.exit_seated_lean) if seated else (cfg.enter_standing_lean, cfg.exit_standing_lean)
    )
    reach_in, reach_out = (
        (cfg.enter_reach, cfg.exit_reach) if seated else (cfg.enter_standing_reach, cfg.exit_standing_reach)
    )
    rules: list[Rule] = [
        Condition(
            "posture",
            lambda f, _: float(f.posture in ("standing", "seated")),
            lambda f, _: f.posture,
            "standing or seated",
            "a forward bend starts from standing or sitting on the floor",
            "Stand, or sit on the floor with your legs in front of you",
            exit_read=lambda f, _: float(f.posture != "lying"),
        ),
        Threshold(
            "knee bend (straighter leg)",
            lambda f, _: f.knee_flexion[f.straight_side],
            "<=",
            cfg.enter_max_knee_flexion,
            cfg.exit_max_knee_flexion,
            "°",
            "knees mostly straight: squats, child's pose and all fours bend both past 60°",
            "Straighten your knees a little",
        ),
        Threshold(
            "trunk lean",
            lambda f, _: f.trunk_lean,
            ">=",
            lean_in,
            lean_out,
            "°",
            "the trunk clearly leaning forward (world landmarks: the same from any viewing angle)",
            "Bend forward from the hips",
        ),
        Threshold(
            "bending forward, not sideways",
            lambda f, _: f.side_bend,
            "<=",
            cfg.enter_max_side_bend,
            cfg.exit_max_side_bend,
            "°",
            "a fold stays in the body's midline plane; a triangle pose or side stretch tilts toward a hip",
            "Bend straight forward, not to the side",
        ),
    ]
    if seated:
        rules.append(
            Condition(
                "leaning over the legs",
                lambda f, _: float(f.leans_over_legs),
                lambda f, _: "toward the legs" if f.leans_over_legs else "away from the legs",
                "toward the legs",
                "a seated fold leans over the legs; leaning back is reclining",
                "Lean forward over your legs",
                exit_read=lambda f, _: 1.0,
            )
        )
        rules.append(
            Threshold(
                "trunk not upside down",
                lambda f, _: f.trunk_lean,
                "<=",
                cfg.max_seated_lean,
                cfg.max_seated_lean + 15.0,
                "°",
                "hips on the floor and the trunk head-down is plow pose, not a fold",
                "Sit up on the floor, legs in front of you",
            )
        )
    depth: list[Threshold] = [
        Threshold(
            "hands down the leg",
            lambda f, _: f.reach,
            ">=",
            reach_in,
            reach_out,
            "leg",
            "the hands reach toward the feet (0 hip, 0.5 knee, 1 ankle)",
        ),
        Threshold(
            "hip flexion",
            lambda f, _: fold_depth(f, cfg),
            ">=",
            cfg.enter_hip_flexion,
            cfg.exit_hip_flexion,
            "°",
            "or the trunk folded over the thighs, hands anywhere",
        ),
    ]
    if seated:
        depth.append(
            Threshold(
                "trunk over the legs",
                lambda f, _: f.trunk_lean,
                ">=",
                cfg.enter_seated_fold_lean,
                cfg.exit_seated_fold_lean,
                "°",
                "or, seated, the trunk leaning far forward (a wide-legged fold, hands out of sight)",
            )
        )
    rules.append(
        AnyOf(
            "reach or depth",
            tuple(depth),
            "a fold reaches toward the feet or folds deep",
            "Reach down toward your feet",
        )
    )
    return tuple(rules)


@functools.lru_cache(maxsize=16)
def knee_to_chest_rules(cfg: KneeToChestConfig, double: bool) -> tuple[Rule, ...]:
    """One leg's rules (`side` = the pulled leg); a double hug checks them on both legs."""
    rules: list[Rule] = [
        Condition(
            "posture",
            lambda f, _: float(f.posture == "lying"),
            lambda f, _: f.posture,
            "lying on the back",
            "knee-to-chest is done lying on the back",
            "Lie on your back",
            exit_read=lambda f, _: float(f.posture in ("lying", "other")),
        ),
        Threshold(
            "thigh pulled in (hip flexion)",
            lambda f, s: f.hip_flexion[s or "left"],
            ">=",
            cfg.enter_hip_flexion,
            cfg.exit_hip_flexion,
            "°",
            "the pulled thigh near or past vertical; the start position sits at 40-65°",
            "Bring your knee closer to your chest",
        ),
        Threshold(
            "knee bend",
            lambda f, s: f.knee_flexion[s or "left"],
            ">=",
            cfg.min_knee_flexion,
            cfg.min_knee_flexion,
            "°",
            "the pulled knee is bent (a straight-leg raise keeps it under 25°)",
            "Bend the knee you are pulling in",
            scale=10.0,
        ),
        Threshold(
            "hand on the leg",
            lambda f, s: f.hand_to_leg[s or "left"],
            "<=",
            cfg.enter_hand_to_leg,
            cfg.exit_hand_to_leg,
            "body",
            "a hand holds the knee, shin or back of the thigh (a raised leg alone is a dead bug)",
            "Hold the knee with your hands",
        ),
        Threshold(
            "knee not across the body",
            lambda f, s: f.thigh_adduction[s or "left"],
            "<=",
            cfg.max_thigh_adduction,
            cfg.max_thigh_adduction,
            "°",
            "a supine twist drops the knee across the body (45°+)",
            "Pull the knee straight toward your shoulder, not across",
            scale=10.0,
        ),
        Threshold(
            "shin not pointing up",
            lambda f, s: f.shin_to_front[s or "left"],
            "<=",
            cfg.max_shin_to_front,
            cfg.max_shin_to_front,
            "°",
            "happy baby and a raised leg point the shin at the ceiling (body frame)",
            "Let the foot hang down toward you",
            scale=10.0,
        ),
    ]
    if not double:
        rules.append(
            Threshold(
                "other leg resting",
                lambda f, s: f.hip_flexion[s or "left"] - f.hip_flexion[_other(s)],
                ">=",
                cfg.enter_side_difference,
                cfg.exit_side_difference,
                "°",
                "the other leg rests on the floor, bent or straight (both pulled in is a double hug)",
                "Let the other leg rest on the floor",
            )
        )
    return tuple(rules)


def fold_verdict(f: Features, cfg: ForwardBendConfig, holding: bool) -> Verdict:
    variant = "seated" if f.hips_low else "standing"
    return evaluate("forward_bend", variant, forward_bend_rules(cfg, f.hips_low), f, None, holding)


def hug_verdicts(f: Features, cfg: KneeToChestConfig, holding: Match | None) -> list[Verdict]:
    """The double hug and each single side, as the hold (if any) allows."""
    single = knee_to_chest_rules(cfg, double=False)
    both = knee_to_chest_rules(cfg, double=True)
    keep = holding is not None
    if keep and holding is not None and holding.side is not None:
        # the held leg first; the other as well, for when the model swaps which leg it calls left
        sides = (holding.side, _other(holding.side))
        return [evaluate("knee_to_chest", "single", single, f, s, True) for s in sides]
    double = [evaluate("knee_to_chest", "double", both, f, s, keep) for s in SIDES]
    merged = Verdict("knee_to_chest", "double", None, tuple(o for v in double for o in v.outcomes))
    if keep:
        return [merged]
    return [merged] + [evaluate("knee_to_chest", "single", single, f, s, False) for s in SIDES]


def forward_bend(f: Features, cfg: ForwardBendConfig, holding: bool) -> Match | None:
    """Trunk leaning forward, the straighter knee mostly straight, and the hands reaching down the
    legs or the trunk folded deep over them."""
    v = fold_verdict(f, cfg, holding)
    return _fold(f, cfg, v.variant) if v.passed else None


def _fold(f: Features, cfg: ForwardBendConfig, variant: str) -> Match:
    rate = f.hip_rate[f.straight_side] if _single_leg(f, cfg) else f.mean_rate(f.hip_rate)
    knee = f.knee_flexion[f.straight_side]
    return Match("forward_bend", None, variant, fold_depth(f, cfg), rate, knee, f.reach_cm, f.view)


def knee_to_chest(f: Features, cfg: KneeToChestConfig, holding: Match | None) -> Match | None:
    """One leg pulled in and held (thigh up, knee bent, a hand on it, not across the body, foot not
    up) while the other rests - or both pulled in."""
    verdicts = hug_verdicts(f, cfg, holding)
    if verdicts[0].passed and verdicts[0].variant == "double":
        return _double(f)
    singles = [v for v in verdicts if v.variant == "single"]
    if holding is None:  # entering: the more flexed side is the candidate
        s = "left" if f.hip_flexion["left"] > f.hip_flexion["right"] else "right"
        singles = [v for v in singles if v.side == s]
    for v in singles:
        if v.passed and v.side is not None:
            return _single(f, v.side)
    return None


def verdicts(f: Features, config: AnalysisConfig, holding: Match | None) -> list[Verdict]:
    """Every stretch's rules on this frame, as the recognisers see them (for explaining)."""
    fold_holding = holding is not None and holding.stretch == "forward_bend"
    hug_holding = holding if holding is not None and holding.stretch == "knee_to_chest" else None
    return [fold_verdict(f, config.forward_bend, fold_holding), *hug_verdicts(f, config.knee_to_chest, hug_holding)]


def measured(m: Match, f: Features, cfg: AnalysisConfig) -> Match:
    """The match decided on the last second's features (`window.py`), with its depth, speed and
    flexibility numbers read off this frame: the decision is robust, the numbers are not lagged
    (the hold keeps their median)."""
    if m.stretch == "forward_bend":
        now = _fold(f, cfg.forward_bend, m.variant)
    elif m.side is not None:
        # the pulled leg is the more flexed one on this frame, whichever side the model calls it
        # (its label swaps on a still body would jump the depth by the difference between the legs)
        pulled = max(SIDES, key=lambda s: f.hip_flexion[s])
        now = replace(_single(f, pulled), side=m.side)
    else:
        now = _double(f)
    return replace(now, view=m.view)


def _single(f: Features, s: str) -> Match:
    hf, kf = f.hip_flexion, f.knee_flexion
    return Match("knee_to_chest", s, "single", hf[s], f.hip_rate[s], kf[s], f.knee_chest_cm[s], f.view)  # type: ignore[arg-type]


def _double(f: Features) -> Match:
    hf = f.hip_flexion
    cm = f.mean(f.knee_chest_cm)
    return Match("knee_to_chest", None, "double", min(hf.values()), f.mean_rate(f.hip_rate), None, cm, f.view)
