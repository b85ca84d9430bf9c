"""Motion quality: warn about jerky, bouncing and excessive motion, and stay quiet otherwise.

Every measure works on the smoothed signals (never on raw landmarks), in body-size units or joint
degrees, against real timestamps; any gap in tracking restarts the history, so a person
reappearing elsewhere never reads as a fast move. Thresholds live in `MotionConfig`, each with
where it comes from.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from formcheck import skeleton as sk
from formcheck.analysis.config import MotionConfig
from formcheck.analysis.features import Features
from formcheck.analysis.kinematics import RateEstimator
from formcheck.analysis.stretches import Match
from formcheck.stats import time_median
from formcheck.types import Warning

MOTION_KINDS = ("jerky_motion", "bouncing", "excessive_range", "trunk_twist")

MESSAGES = {
    "jerky_motion": "Slow down — ease into the stretch",
    "bouncing": "Don't bounce: hold still",
    "excessive_range": "Ease off — don't force the stretch deeper",
    "trunk_twist": "Keep your hips and shoulders level — no twisting",
    "head_lift": "Keep your head down on the mat",
    "knee_yank": "Pull the knee in slowly, don't yank it",
    "resting_leg_lifted": "Let the other leg rest on the floor",
    "knees_bent": "Straighten your knees a little more if it feels fine",
}


@dataclass(slots=True)
class _Baseline:
    """The body at the start of a hold, for 'what changed during the hold' cues."""

    stretch: str
    side: str | None
    twist_deg: float
    other_hip_deg: float | None
    head_deg: float


def head_angle_deg(points: np.ndarray) -> float:
    """Image angle between the trunk (hips -> shoulders) and the neck (shoulders -> ears), signed."""
    hip = (points[sk.LEFT_HIP] + points[sk.RIGHT_HIP]) / 2
    sh = (points[sk.LEFT_SHOULDER] + points[sk.RIGHT_SHOULDER]) / 2
    ear = (points[sk.LEFT_EAR] + points[sk.RIGHT_EAR]) / 2
    t, n = sh - hip, ear - sh
    return float(np.degrees(np.arctan2(t[0] * n[1] - t[1] * n[0], t[0] * n[0] + t[1] * n[1])))


_LEFT = [sk.LEFT_SHOULDER, sk.LEFT_HIP, sk.LEFT_KNEE, sk.LEFT_ANKLE]
_RIGHT = [sk.RIGHT_SHOULDER, sk.RIGHT_HIP, sk.RIGHT_KNEE, sk.RIGHT_ANKLE]


def _pair_midpoints(points: np.ndarray) -> np.ndarray:
    """Midpoints of the shoulders, hips, knees and ankles: the body's motion without the
    model's left/right confusions (a still body whose legs swap sides does not move them at all),
    and with the jitter of each joint averaged with its twin's."""
    return (points[_LEFT] + points[_RIGHT]) / 2


def twist_deg(world: np.ndarray) -> float:
    """Angle between the shoulder line and the hip line around the trunk axis (world landmarks)."""
    sh = world[sk.RIGHT_SHOULDER] - world[sk.LEFT_SHOULDER]
    hp = world[sk.RIGHT_HIP] - world[sk.LEFT_HIP]
    axis = (world[sk.LEFT_SHOULDER] + world[sk.RIGHT_SHOULDER] - world[sk.LEFT_HIP] - world[sk.RIGHT_HIP]) / 2
    n = float(np.linalg.norm(axis))
    if n < 1e-6:
        return 0.0
    axis = axis / n
    sh_p, hp_p = sh - axis * float(np.dot(sh, axis)), hp - axis * float(np.dot(hp, axis))
    c = (
        hp_p[1] * sh_p[2] - hp_p[2] * sh_p[1],
        hp_p[2] * sh_p[0] - hp_p[0] * sh_p[2],
        hp_p[0] * sh_p[1] - hp_p[1] * sh_p[0],
    )
    cross = float(c[0] * axis[0] + c[1] * axis[1] + c[2] * axis[2])
    return float(np.degrees(np.arctan2(cross, float(np.dot(hp_p, sh_p)))))


def _time_fraction(samples: deque[tuple[float, float]], threshold: float) -> float:
    """The share of time (each sample stands for the time since the one before it) above the
    threshold: where samples are uneven (adaptive sampling), one sample must not weigh as many."""
    if not samples:
        return 0.0
    ts = np.array([t for t, _ in samples])
    on = np.array([a > threshold for _, a in samples], float)
    w = np.diff(ts, prepend=ts[0] - (ts[1] - ts[0] if len(ts) > 1 else 1.0))
    return float((w * on).sum() / max(w.sum(), 1e-9))


def _step(recent: deque[tuple[float, float]], t: float, value: float, within_s: float, keep: bool = True) -> float:
    """How far `value` is from the furthest of the values seen within `within_s` before it (at
    least the previous one, whatever the frame rate); `keep`: remember it for the next ones."""
    while len(recent) > 1 and t - recent[0][0] > within_s:
        recent.popleft()
    step = max((abs(value - v) for _, v in recent), default=0.0)
    if keep:
        recent.append((t, value))
    return step


def _largest_step(samples: list[tuple[float, float]], within_s: float) -> float:
    """The largest change of a series within any `within_s` (or from one sample to the next)."""
    best, j = 0.0, 0
    items = list(samples)
    for i in range(1, len(items)):
        while j < i - 1 and items[i][0] - items[j][0] > within_s:
            j += 1
        best = max(best, max(abs(items[i][1] - v) for _, v in items[j:i]))
    return best


class MotionMonitor:
    """Stateful stage: `update(features, match, holding)` -> new warnings (one per episode)."""

    def __init__(self, config: MotionConfig | None = None) -> None:
        self.config = config or MotionConfig()
        self._pos: deque[tuple[float, np.ndarray]] = deque()
        self._vel: deque[tuple[float, np.ndarray]] = deque()
        self._acc: deque[tuple[float, float]] = deque()
        self._hip_speed: deque[tuple[float, float]] = deque()
        # the model's own looks of the hip angle: (time, mean hip, more flexed hip)
        self._hip_seen: deque[tuple[float, float, float]] = deque()
        self._depth: deque[tuple[float, float, bool]] = deque()  # time, depth, interpolated
        self._extremum: tuple[float, float] | None = None
        self._direction = 0
        self._recent_hip: deque[tuple[float, float]] = deque()  # the last `bounce_step_s` of the hip angle
        self._leg_start = 0.0  # where the swing into the current extreme started
        self._max_step = 0.0  # the largest change within bounce_step_s on that swing
        self._since_ext = 0.0  # ... and since the extreme (the next swing's first part)
        self._pulled_rate = RateEstimator()
        self._pulled_speed: deque[tuple[float, float]] = deque()
        self._reversals: deque[float] = deque()
        self._last_fired: dict[str, float] = {}
        self._active: dict[str, bool] = {}
        self._on_since: dict[str, float] = {}
        self._baseline: _Baseline | None = None
        self.hip_trace: deque[tuple[float, float]] = deque()  # for entry smoothness of the next hold
        self._last_t: float | None = None
        self._last_look: float | None = None  # the model's last look, even one the quality gate rejected
        self._floor = 0.0  # the still swing of the current posture (degrees)
        self._tracked_since = 0.0  # when tracking (re)started: speeds need `warmup_s` of it
        # A longer gap between analysed poses restarts every history (tracking lost; or, once
        # frames are skipped by adaptive sampling, any gap nobody looked at: `sparse()`).
        self.max_gap_s = self.config.max_gap_s

    def reset(self) -> None:
        """Tracking lost: speeds must not be computed across the gap."""
        for d in (self._pos, self._vel, self._acc, self._hip_speed, self._hip_seen, self._depth, self._reversals,
                  self.hip_trace):  # fmt: skip
            d.clear()
        self._extremum, self._direction = None, 0
        self._recent_hip.clear()
        self._leg_start, self._max_step, self._since_ext = 0.0, 0.0, 0.0
        self._pulled_rate.reset()
        self._pulled_speed.clear()

    def sparse(self, fps: float) -> None:
        """Frames are being skipped (adaptive sampling): warnings from dense evidence only, so a gap
        longer than `sparse_gap_s` (or 1.6 frame intervals of a slower clip) restarts the histories."""
        gap = max(self.config.sparse_gap_s, 1.6 / fps if fps > 0 else 0.0)
        self.max_gap_s = min(self.config.max_gap_s, gap)

    def looked(self, t_s: float) -> None:
        """The model looked at this frame but it gave no usable pose (a fast move blurs frames the
        quality gate rejects): a gap made of such looks is what every-frame analysis sees too, so
        only `MotionConfig.max_gap_s` of them restarts the histories, in every mode."""
        self._last_look = t_s

    def _gap(self, t: float) -> bool:
        """Too long since the last usable pose, or (adaptive sampling) since the model last looked."""
        if self._last_t is None or t <= self._last_t:
            return True
        seen = max(self._last_t, self._last_look or self._last_t)
        return t - self._last_t > self.config.max_gap_s or t - seen > self.max_gap_s

    @staticmethod
    def _trim(d: deque, t_s: float, keep_s: float) -> None:
        while d and t_s - d[0][0] > keep_s:
            d.popleft()

    @staticmethod
    def _back(d: deque, t_s: float, dt: float) -> tuple[float, object] | None:
        """The newest entry at least dt older than t_s."""
        for item in reversed(d):
            if t_s - item[0] >= dt:
                return item
        return None

    def _fire(
        self,
        key: str,
        t_s: float,
        on: bool,
        value: float,
        severity: str = "caution",
        kind: str | None = None,
        sustain_s: float | None = None,
    ) -> list[Warning]:
        """Episode logic: fire once a condition has held for `sustain_s` (landmark glitches are
        shorter), once per episode and at most once per cooldown per condition."""
        if not on:
            self._active[key] = False
            self._on_since.pop(key, None)
            return []
        since = self._on_since.setdefault(key, t_s)
        sustain = self.config.sustain_s if sustain_s is None else sustain_s
        if self._active.get(key, False) or t_s - since < sustain:
            return []
        self._active[key] = True
        last = self._last_fired.get(key)
        if last is not None and t_s - last < self.config.cooldown_s:
            return []
        self._last_fired[key] = t_s
        return [Warning(kind or key, round(t_s, 3), MESSAGES[key], severity, round(value, 2))]  # type: ignore[arg-type]

    def update(
        self,
        f: Features,
        match: Match | None,
        holding: Match | None,
        world: np.ndarray,
        between: bool = False,
        posture: str | None = None,
    ) -> list[Warning]:
        """`posture`: the body's posture over the last second; a bounce or a deepening must be larger
        than the model's own swing on a still body of that posture (`MotionConfig.still_swing_deg`).
        `between`: an interpolated pose (adaptive sampling). It moves every measure as the body
        would have moved on a straight path, but is no evidence that the body moved *through* the
        angles in between: the bounce's and the deepening's "moved through" tests read the model's
        own poses only (a straight path between two jittery looks would pass them)."""
        cfg, t = self.config, f.t_s
        gap = self._gap(t)
        if self._last_t is not None and gap:
            self.reset()  # speeds are never computed across a gap in tracking
        # (not after a dropped frame or two: a fast entry blurs frames the quality gate rejects,
        # and the fold of the 4.5x composed entry would go unwarned)
        if gap:
            self._tracked_since = t
        self._last_t = self._last_look = t
        # the model's first looks at a person it has just found converge over a few frames (a
        # still photo's hip angle "moves" tens of degrees in its first half second): no speed yet
        settled = t - self._tracked_since >= cfg.warmup_s
        out: list[Warning] = []
        self._floor = cfg.still_floor(posture)
        hip = f.mean(f.hip_flexion)
        self.hip_trace.append((t, max(f.hip_flexion.values())))
        self._trim(self.hip_trace, t, cfg.trace_s)

        # 1. Jerky: sustained whole-body acceleration (near-side chain, body sizes / s^2).
        pts = _pair_midpoints(f.points)
        self._pos.append((t, pts))
        self._trim(self._pos, t, 0.5)
        prev = self._back(self._pos, t, cfg.velocity_dt_s)
        if prev is not None:
            vel = (pts - prev[1]) / (t - prev[0])
            self._vel.append((t, vel))
            self._trim(self._vel, t, 0.5)
            pv = self._back(self._vel, t, cfg.accel_dt_s)
            if pv is not None:
                # the second-fastest of the midpoints: one glitchy joint moves one midpoint by half its
                # jump, and a left/right swap of the legs (crossed legs) moves none
                acc = float(np.sort(np.linalg.norm(vel - pv[1], axis=1))[-2] / (t - pv[0]))
                self._acc.append((t, acc))
        self._trim(self._acc, t, cfg.accel_window_s)
        span = t - self._acc[0][0] if self._acc else 0.0
        frac = _time_fraction(self._acc, cfg.accel_threshold)
        shaking = span >= 0.8 * cfg.accel_window_s and frac >= cfg.accel_fraction

        # ... or a fast swing of the hips (a fold or knee pull done in a fraction of a second).
        rate = f.mean_rate(f.hip_rate)
        # Signed, then the median's size: a fast fold goes one way for the whole 0.3 s, while the
        # model flipping between two readings of a still body goes both ways and cancels out.
        self._hip_speed.append((t, rate if rate is not None else 0.0))
        self._trim(self._hip_speed, t, cfg.speed_median_s)
        hip_speed = abs(time_median(self._hip_speed))
        fast = hip_speed > cfg.fast_hip_speed_deg_s
        # ... through the angles in between, as a body swings (the model re-reading a still body
        # jumps: on a knee-hug photo both legs read 40 deg for half a second, then one 117 deg on
        # the next frame). Over the last `fast_through_s`, no one step may carry more than
        # `bounce_max_step` of the change; the model's own looks only (interpolated poses are
        # straight by construction).
        if not between:
            self._hip_seen.append((t, hip, max(f.hip_flexion.values())))
        self._trim(self._hip_seen, t, cfg.fast_through_s)
        fast = fast and self._moved_through(1)
        # A knee yanked in: the more flexed hip, whichever side the model calls it (its left/right
        # swaps of a still body's legs jump each side's angle by the difference between the legs,
        # which no one moves), over the same 0.3 s median as the hip speed.
        pulled = self._pulled_rate.update(t, max(f.hip_flexion.values()))
        self._pulled_speed.append((t, pulled if pulled is not None else 0.0))
        self._trim(self._pulled_speed, t, cfg.speed_median_s)
        yank_speed = time_median(self._pulled_speed)  # signed: pulling in is positive
        yank = match is not None and match.stretch == "knee_to_chest" and yank_speed > cfg.fast_hip_speed_deg_s
        yank = yank and self._moved_through(2)
        # (speed and acceleration are already median/fraction filtered over time: no extra sustain)
        fast, yank = fast and settled, yank and settled
        out += self._fire("jerky_motion", t, shaking or fast, hip_speed if fast else frac, sustain_s=0.0)
        out += self._fire("knee_yank", t, yank, yank_speed, kind="jerky_motion", sustain_s=0.0)

        # 2. Bouncing: repeated reversals of the hip angle near or in a stretch.
        near_stretch = match is not None or holding is not None or max(f.hip_flexion.values()) >= cfg.bounce_min_hip_deg
        out += self._bounce(t, hip, near_stretch, between)

        # 3. Excessive: a sudden deepening during a hold; a twist; the resting leg lifting.
        current = match if match is not None and holding is not None and match.stretch == holding.stretch else None
        out += self._during_hold(f, holding, current, world, between)
        return out

    def _moved_through(self, column: int) -> bool:
        """The last `fast_through_s` of an angle (1: the mean hip, 2: the more flexed one) moved
        through the values in between: no one step carries more than `bounce_max_step` of it."""
        values = [s[column] for s in self._hip_seen]
        if len(values) < 2:
            return False
        change = max(values) - min(values)
        return max(abs(b - a) for a, b in pairwise(values)) <= self.config.bounce_max_step * change

    def _bounce(self, t: float, hip: float, near_stretch: bool, between: bool = False) -> list[Warning]:
        """Zig-zag detector: a reversal is a move of >= bounce_amplitude_deg back from the last
        extreme, counted when the swing that led to that extreme moved through the angles in
        between (no `bounce_step_s` carried more than `bounce_max_step` of it)."""
        cfg = self.config
        step = _step(self._recent_hip, t, hip, cfg.bounce_step_s, keep=not between)
        if self._extremum is None:
            self._extremum, self._leg_start = (t, hip), hip
        ext = self._extremum[1]
        self._since_ext = max(self._since_ext, step)
        amplitude = max(cfg.bounce_amplitude_deg, self._floor)
        turned = (ext - hip if self._direction >= 0 else hip - ext) >= amplitude
        if (hip > ext) if self._direction >= 0 else (hip < ext):  # the swing goes on
            self._extremum = (t, hip)
            self._max_step, self._since_ext = max(self._max_step, self._since_ext), 0.0
        elif turned:
            swing = abs(ext - self._leg_start)
            moved = self._max_step <= cfg.bounce_max_step * swing
            if self._direction != 0 and near_stretch and moved:
                self._reversals.append(t)
            self._direction = -1 if self._direction >= 0 else 1
            self._leg_start, self._extremum = ext, (t, hip)
            self._max_step, self._since_ext = self._since_ext, 0.0
        while self._reversals and t - self._reversals[0] > cfg.bounce_window_s:
            self._reversals.popleft()
        n = len(self._reversals)
        return self._fire("bouncing", t, n >= cfg.bounce_reversals, float(n), sustain_s=0.0)

    def _during_hold(
        self, f: Features, holding: Match | None, current: Match | None, world: np.ndarray, between: bool = False
    ) -> list[Warning]:
        cfg, t = self.config, f.t_s
        out: list[Warning] = []
        if holding is None:
            self._baseline = None
            self._depth.clear()
            for k in ("excessive_range", "trunk_twist", "resting_leg_lifted", "head_lift"):
                self._active[k] = False
                self._on_since.pop(k, None)
            return out
        if current is not None:  # this frame's depth (a single hug's is the more flexed hip's: `measured`)
            self._depth.append((t, current.depth_deg, between))
        self._trim(self._depth, t, cfg.deepen_window_s)
        deepen = self._depth[-1][1] - min(d for _, d, _ in self._depth) if self._depth else 0.0
        limit = max(cfg.deepen_deg, self._floor)
        # ... moved through, not one jump of the model's reading (as for a bounce's reversal): as the
        # model saw it, up to this frame
        if deepen > limit:
            seen = [(t_d, d) for t_d, d, interpolated in self._depth if not interpolated] + [self._depth[-1][:2]]
            deepen = deepen if _largest_step(seen, cfg.bounce_step_s) <= cfg.bounce_max_step * deepen else 0.0
        out += self._fire("excessive_range", t, deepen > limit, deepen)
        if holding.stretch != "knee_to_chest":
            return out
        other = None
        if holding.side is not None:
            other = f.hip_flexion["left" if holding.side == "right" else "right"]
        tw, head = twist_deg(world), head_angle_deg(f.points)
        if self._baseline is None or self._baseline.side != holding.side:
            self._baseline = _Baseline(holding.stretch, holding.side, tw, other, head)
            return out
        d_tw = abs((tw - self._baseline.twist_deg + 180) % 360 - 180)
        # a line's direction flips when the model swaps its ends' left/right labels: no one twists
        # the shoulders more than 90° against the hips, so the angle between the lines is what counts
        d_tw = min(d_tw, 180.0 - d_tw)
        out += self._fire("trunk_twist", t, d_tw > cfg.twist_deg, d_tw)
        d_head = abs((head - self._baseline.head_deg + 180) % 360 - 180)
        out += self._fire("head_lift", t, d_head > cfg.head_lift_deg, d_head, kind="excessive_range")
        if other is not None and self._baseline.other_hip_deg is not None:
            lifted = other - self._baseline.other_hip_deg
            out += self._fire("resting_leg_lifted", t, lifted > cfg.resting_leg_lift_deg, lifted, "info")
        return out

    def entry_smoothness(self, start_s: float) -> float | None:
        """LDLJ of the hip angle from the start of the movement into the stretch to `start_s`."""
        from formcheck.analysis.smoothness import ldlj

        trace = [(t, v) for t, v in self.hip_trace if t <= start_s]
        if len(trace) < 6:
            return None
        t = np.array([p[0] for p in trace])
        v = np.array([p[1] for p in trace])
        speed = np.abs(np.gradient(v, t))
        # onset: the last still moment (< 10 deg/s) before the fastest part of the entry
        peak = int(np.argmax(speed))
        still = np.flatnonzero(speed[:peak] < self.config.onset_speed_deg_s)
        i0 = int(still[-1]) if len(still) else 0
        score = ldlj(t[i0:], v[i0:])
        return None if score is None else round(score, 2)
