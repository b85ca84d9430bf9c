"""Every threshold of the analysis, in one place, with where it comes from.

Angles are in degrees and follow the conventions of `features.py`: hip flexion 0 = trunk in line
with the thigh (standing tall, lying flat), 90 = sitting upright or thigh vertical when lying;
knee flexion 0 = straight leg. None of these values is fitted to a single clip: they are set from
the anatomy of each stretch, with hysteresis (enter vs exit) wide enough for the landmark noise
measured on the shared clips (about +-5 degrees frame to frame after smoothing, ~10 degrees between
world and image angles).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from formcheck.pose.occlusion import OcclusionConfig
from formcheck.pose.quality import QualityConfig
from formcheck.pose.smoothing import OneEuroConfig


@dataclass(frozen=True, slots=True)
class ForwardBendConfig:
    """ "Bend over and reach toward the feet", standing or seated on the floor.

    A fold is recognised from the lean of the trunk plus either the reach of the hands or the depth
    of the fold; depth alone is not required, because a stiff person's fold is a shallow reach.
    """

    # "Knees mostly straight" - of the straighter leg (a head-to-knee fold bends the other one):
    # guides allow a slight bend (~20-30 deg); squats, child's pose and all fours bend both knees
    # past 60. 45 to enter, 70 to leave keeps a soft-knee fold in one piece.
    enter_max_knee_flexion: float = 45.0
    exit_max_knee_flexion: float = 70.0
    # The trunk clearly leaning forward (world lean from vertical, see measures.py). Seated: sitting
    # tall is 0-15 deg, and a camera tilted down by ~10 deg adds as much; a stiff person's reach
    # leans ~30 deg. The lean must go toward the legs (reclining is not a fold).
    enter_seated_lean: float = 20.0
    exit_seated_lean: float = 12.0
    # Standing: upright is 0; a hip hinge that keeps the back straight (a "good morning") is 30-60
    # deg, a stiff person's reach toward the shins passes 70. The hands or the depth decide between.
    enter_standing_lean: float = 45.0
    exit_standing_lean: float = 35.0
    # The reach: the best wrist's projection on the hip->ankle axis (knee ~0.5, ankle 1.0), near
    # the lower leg. Seated: hands resting on the thighs while sitting tall reach <= 0.45, so a
    # seated reach must pass the knee. Standing: arms hanging from a trunk leaning 45-60 deg put
    # the wrists at 0.25-0.4 without reaching; the advice is "try to touch your feet", and a stiff
    # person's hands stop at the knees or on the shins (>= 0.45).
    enter_reach: float = 0.6
    exit_reach: float = 0.5
    enter_standing_reach: float = 0.45
    exit_standing_reach: float = 0.35
    # Seated, the thighs lie on the floor, so a trunk leaning 45 deg forward over them is a hip
    # flexion of ~135 deg whatever the legs do; the 3-D hip angle reads ~25 deg less when the legs
    # are spread wide (the thigh leaves the trunk's plane). A wide-legged fold counts by its lean.
    enter_seated_fold_lean: float = 45.0
    exit_seated_fold_lean: float = 35.0
    # With the hips on the floor the trunk cannot point more than ~40 deg below horizontal
    # (shoulders under the floor): a trunk upside down over hips that are low is plow pose or a
    # shoulder stand, where the hips flex but nobody reaches for the feet.
    max_seated_lean: float = 135.0
    # A fold bends forward: the trunk stays in the body's midline plane (<= 24 deg out of it on the
    # 56 shared fold photos, the model's depth noise included). A triangle pose or a standing side
    # stretch tilts it 45-90 deg toward one hip, reaching down the front leg like a fold would.
    enter_max_side_bend: float = 40.0
    exit_max_side_bend: float = 55.0
    # ... or the depth: trunk folded over the thighs (hip flexion >= 120, i.e. trunk and thigh closer
    # than 60 deg), hands anywhere (clasped behind the back).
    enter_hip_flexion: float = 120.0
    exit_hip_flexion: float = 100.0
    # Knees this different make a single-leg (head-to-knee) fold, measured on the straight leg:
    # twice the ~15 deg a soft-knee fold differs between legs in the shared clips.
    single_leg_knee_diff: float = 30.0


@dataclass(frozen=True, slots=True)
class KneeToChestConfig:
    """Lying on the back, one knee (or both) pulled toward the chest and held with the hands."""

    # The pulled thigh near or past vertical (90): a stiff person holding the thigh from behind gets
    # to ~80. The start position (feet flat, knees bent) sits at 40-65, a glute bridge lower still.
    enter_hip_flexion: float = 80.0
    exit_hip_flexion: float = 70.0
    # The hands hold the leg (the "pull"): a wrist within about a hand's length (0.12 of the
    # shoulder-hip-knee-ankle chain, ~17 cm for an adult) of the thigh (but its quarter by the hip)
    # or the shin. It tells a hug from a leg merely raised (dead bug, table-top) and from hands
    # resting on the floor (0.2-0.3 on the shared clips). To leave, the hands must be clearly away.
    enter_hand_to_leg: float = 0.12
    exit_hand_to_leg: float = 0.3
    # The pulled knee is bent (a straight-leg raise keeps it under 25; a knee held from behind the
    # thigh may open to ~70 of flexion).
    min_knee_flexion: float = 45.0
    # The other leg rests, bent with the foot on the floor (hip ~45) or straight (~0-10): its hip at
    # least this much less flexed than the pulled one - unless both are hugged (variant double).
    # A stiff person pulls to ~80 with the other knee bent in the start position (40-65): 20 apart.
    enter_side_difference: float = 20.0
    exit_side_difference: float = 10.0
    # Not a supine twist: there the knee drops across the body, the thigh turned 45+ deg toward the
    # midline; a knee pulled to the chest stays within ~20 of its own side (world landmarks).
    max_thigh_adduction: float = 35.0
    # Not happy baby / a leg held up: there the shins point the way the chest faces (at the ceiling,
    # 60-115 deg on the shared photos); in a hug the shin hangs toward the feet or tucks under the
    # thigh (-35..25 deg). Measured in the body's own frame (measures.shin_to_front_deg), so a
    # rolled-up pelvis or a camera on the floor, which put the feet above the knees in the picture,
    # change nothing.
    max_shin_to_front: float = 50.0


@dataclass(frozen=True, slots=True)
class HoldConfig:
    # The rules decide on the median of each feature over this long (analysis/window.py): the
    # model's jitter on a still body (±4° lying, a posture flickering between two readings) lasts
    # a frame or a few, a person's change of pose much longer. A second also fits what a hold is:
    # a pose kept, not a frame that passes.
    decide_window_s: float = 1.0
    min_dwell_s: float = 1.0  # a pose must match this long before it counts as a hold (no flicker)
    exit_dwell_s: float = 0.5  # ... and stop matching this long before the hold ends
    max_gap_s: float = 1.0  # tracking lost for less than this pauses a hold instead of ending it
    # A hold is the still phase: it starts when the entry movement has slowed below this angular
    # speed (gentle entries run at 40-100 deg/s, a held pose sways at under 5 deg/s).
    settle_speed_deg_s: float = 20.0
    # ... and does not pick up again before the hold is confirmed: the depth growing at twice that
    # speed (over 0.2 s) means the pause was inside the entry (a 10 fps fold entry dips to 19 deg/s
    # for one frame, then deepens 11 deg more at 38-45 deg/s), so the hold starts after it.
    resume_factor: float = 2.0
    max_settle_s: float = 2.0  # if the body never settles, the hold starts this long after matching
    # ... and only once the depth is within this band of the hold's median depth: the entry and
    # release are movements, not hold time. 12 deg sits between what a physiotherapist can tell by
    # eye (goniometry agrees within 5-10 deg) and three times the angle noise left after smoothing
    # (~4 deg), so sway inside a hold never trims it while a slow drawn-out entry is not counted.
    depth_band_deg: float = 12.0
    # The end is where the depth last was within the band less this margin (a third of the ~4 deg noise
    # left after smoothing), so a depth hovering at the band's edge before the release does not end
    # the hold at its first dip: two readings 0.1 deg apart put such an end 0.6 s apart. It costs
    # ~0.1 s on a slow release.
    band_end_margin_deg: float = 1.5
    glitch_s: float = 1.0  # a median over this window removes landmark swaps under 0.5 s (legs crossing in view)
    min_report_s: float = 3.0  # shorter holds are transitions, not holds
    # A knee hug whose side flips within this long is the model swapping its left/right labels
    # (smoothing spreads a swap over a few frames): switching legs for real takes a release, each
    # knee moving 30+ deg, gently - a second or more.
    swap_s: float = 0.5
    target_s: tuple[float, float] = (20.0, 30.0)  # the seed advice: hold 20-30 s


@dataclass(frozen=True, slots=True)
class MotionConfig:
    """Motion-quality thresholds. Distributions measured on the calm shared clips (slow folds, a
    knee hug, glute bridges) versus the fast ones (burpees, jumping jacks), after smoothing:

    - hip-flexion speed, 0.3 s median: calm <= 166 deg/s (the fastest fold entry), burpees up to 400;
    - near-side body acceleration (second-fastest of shoulder, hip, knee, ankle): in any 1 s window
      of a calm clip at most 50% of frames exceed 6 body/s^2 (a fast arm drop before a fold), a
      re-encoded portrait copy 20%; jumping jacks reach 93% (median 80%), burpees 85%.
    """

    # A fold of 120 deg in under half a second; 1.5x the fastest calm entry measured.
    fast_hip_speed_deg_s: float = 250.0
    speed_median_s: float = 0.3  # median window: one glitchy frame never fires a warning
    # A fast swing is one a body makes through the angles in between: over this long (a fast fold's
    # 0.5 s, three frames at 5 fps), no single step carries more than `bounce_max_step` of it.
    fast_through_s: float = 0.5
    # The model's first looks at a person it has just found (or found again after a gap) converge
    # over a few frames: no fast swing or yank is read before this much continuous tracking.
    warmup_s: float = 0.5
    # A minimum-jerk fold of 0.7 body sizes in 1.5 s peaks at 5.77*A/T^2 = 1.8 body/s^2; 6 is over
    # three times that (the same fold in under 0.85 s).
    accel_threshold: float = 6.0
    accel_window_s: float = 1.0
    accel_fraction: float = 0.6  # ... for 0.6 s of a second: sustained shaking, not one brisk move
    velocity_dt_s: float = 0.1
    accel_dt_s: float = 0.15
    # Ballistic stretching: >= 3 reversals of the hip angle, each >= 8 deg (twice the sway of a
    # calm hold), within 2.5 s (>= 0.6 Hz), while in or near a stretch (hip >= 75 deg).
    bounce_amplitude_deg: float = 8.0
    bounce_reversals: int = 3
    bounce_window_s: float = 2.5
    bounce_min_hip_deg: float = 75.0
    # ... moving through the angles in between: a body swings through every angle of a bounce,
    # while the model re-reading a still picture jumps between two answers at once (recorded
    # stills: 10-37 deg "reversals", each carried by one step). A reversal (and a sudden
    # deepening) counts only when no 0.1 s carries more than 70% of it: a 2 Hz bounce moves 59% of
    # its swing in its fastest 0.1 s; at 5-10 fps the step is one frame.
    bounce_max_step: float = 0.7
    bounce_step_s: float = 0.1
    # The model's own motion on a body held still, by posture: the largest zig-zag swing of the
    # smoothed mean hip angle on the 233 shared photos recorded as video (sensor noise, flicker,
    # H.264; every frame through the model) at 5, 15 and 30 fps, 95th percentile over the photos
    # of each posture (bench/still_noise.py: standing 4.7 of 271 runs, seated 23.6 of 176, lying
    # 20.4 of 106, other 32.9 of 120). Lying and folded bodies read far noisier than standing
    # ones: their depth is what the model guesses. A bounce (and a sudden deepening) must be
    # larger than what a still body of that posture shows; the general thresholds below stay the
    # minimum (standing: 8 deg).
    still_swing_deg: tuple[tuple[str, float], ...] = (
        ("standing", 5.0),
        ("seated", 24.0),
        ("lying", 20.0),
        ("other", 33.0),
    )
    # A sudden deepening during a hold: more than 15 deg (the hold band plus noise) within 0.5 s.
    deepen_deg: float = 15.0
    deepen_window_s: float = 0.5
    # Shoulder line against hip line, change since the hold began (world landmarks; their depth
    # noise is ~10 deg, so 25 deg is a real twist).
    twist_deg: float = 25.0
    # Head lifted off the mat during knee-to-chest: the neck turns more than 25 deg against the trunk
    # since the hold began (ear landmarks jitter by ~5-10 deg in a side view).
    head_lift_deg: float = 25.0
    # Resting leg: its hip flexes 30 deg more than when the hold began (foot well off the floor).
    resting_leg_lift_deg: float = 30.0
    # Forward bend knees: guides recommend a slight bend (~15-30 deg); past 40 deg we suggest less.
    knees_bent_cue_deg: float = 40.0
    cooldown_s: float = 4.0  # one episode, one warning
    # A condition must last this long to count: landmark swaps (legs crossing in a side view) and
    # motion-blurred frames last up to ~0.3 s on the shared clips.
    sustain_s: float = 0.3
    onset_speed_deg_s: float = 10.0  # where an entry movement starts, for its smoothness
    trace_s: float = 6.0
    max_gap_s: float = 0.5  # a longer tracking gap restarts every motion history
    # Warnings from dense evidence only: where adaptive sampling skipped frames (the body was
    # still) and the poses are further apart than this (or 1.6 frame intervals of a slower clip),
    # every motion history restarts too. Speeds, reversals and accelerations are then measured
    # on poses at the full grid rate (0.05 s) only, as every-frame analysis measures them.
    sparse_gap_s: float = 0.08

    def still_floor(self, posture: str | None) -> float:
        """How far a still body of this posture seems to swing (0 when the posture is unknown)."""
        return dict(self.still_swing_deg).get(posture or "", 0.0)


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    quality: QualityConfig = field(default_factory=QualityConfig)
    occlusion: OcclusionConfig = field(default_factory=OcclusionConfig)
    smoothing: OneEuroConfig = field(default_factory=OneEuroConfig)
    forward_bend: ForwardBendConfig = field(default_factory=ForwardBendConfig)
    knee_to_chest: KneeToChestConfig = field(default_factory=KneeToChestConfig)
    hold: HoldConfig = field(default_factory=HoldConfig)
    motion: MotionConfig = field(default_factory=MotionConfig)
