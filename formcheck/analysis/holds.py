"""Hold timing: a state machine from per-frame matches to timed holds with verdicts.

idle --match--> candidate --(matched for min_dwell)--> holding --(no match for exit_dwell)--> idle
                                                         |  ^
                                      person lost        v  |  person back, still matching
                                                        paused --(lost longer than max_gap)--> idle

A hold starts when its pose first matched and ends when its pose first stopped matching, so the
dwell times delay the events, not the reported times.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from formcheck.analysis.config import HoldConfig
from formcheck.analysis.stretches import Match
from formcheck.stats import weighted_median
from formcheck.types import Event, Hold, Verdict


def _rolling_median(t: np.ndarray, x: np.ndarray, w: np.ndarray, window_s: float) -> np.ndarray:
    """Median over a centred time window: removes landmark glitches shorter than half the window.

    A sample stands for the `w` frames from its time on (adaptive sampling skipped the others), so
    it weighs in by how much of that stretch lies inside the window: the same median whether
    every frame or one in ten was analysed."""
    steps = np.diff(t)
    frame_s = float(steps[steps > 0].min()) if (steps > 0).any() else 0.0
    ends = t + w * frame_s
    ends[:-1] = np.minimum(ends[:-1], t[1:])
    lo = np.searchsorted(ends, t - window_s / 2, side="right")
    hi = np.searchsorted(t, t + window_s / 2, side="right")
    out = np.empty(len(t))
    for k, (i, j) in enumerate(zip(lo, hi, strict=True)):
        a, b = t[k] - window_s / 2, t[k] + window_s / 2
        inside = np.clip(np.minimum(ends[i:j], b) - np.maximum(t[i:j], a), 0.0, None)
        out[k] = weighted_median(x[i:j], inside) if inside.sum() > 0 else x[k]
    return out


def _crossing(t: np.ndarray, x: np.ndarray, out: int, inside: int, level: float) -> float:
    """When x crossed `level` between sample `out` (outside the band) and `inside`: linear in
    between, so sparse samples (adaptive sampling) time it as dense ones do."""
    if not 0 <= out < len(t) or x[out] >= level:
        return float(t[inside])
    u = (level - x[out]) / max(x[inside] - x[out], 1e-9)
    return float(t[out] + float(np.clip(u, 0.0, 1.0)) * (t[inside] - t[out]))


def _still_since(depths: list[list[float]], speed: float, over_s: float = 0.2) -> float | None:
    """When the depth last moved faster than `speed` (deg/s, over `over_s`) in these samples: the
    body has been still since (the first sample's time if it never moved); None if it still moves."""
    ts = np.array([d[0] for d in depths])
    ds = np.array([d[1] for d in depths])
    j = np.searchsorted(ts, ts - over_s, side="right") - 1  # the newest sample at least over_s older
    ok = j >= 0
    moving = np.zeros(len(ts), bool)
    jj = j[ok]
    moving[ok] = np.abs(ds[ok] - ds[jj]) > speed * np.maximum(ts[ok] - ts[jj], 1e-6)
    if not moving.any():
        return float(ts[0])
    last = int(np.flatnonzero(moving)[-1])
    return None if last == len(ts) - 1 else float(ts[last])


def verdict(duration_s: float, target: tuple[float, float]) -> Verdict:
    if duration_s < target[0]:
        return "too_short"
    return "in_range" if duration_s <= target[1] else "too_long"


@dataclass(slots=True)
class _Active:
    match: Match
    start_s: float  # when the pose first matched; becomes the settle time once confirmed
    last_match_s: float
    peak: float
    settled_s: float | None = None
    # [t, depth, frames it stands for] of matched frames (the hold's numbers come from `looks.py`)
    depths: list[list[float]] = field(default_factory=list)
    knees: list[float] = field(default_factory=list)
    views: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    confirmed: bool = False
    lost_since: float | None = None
    unmatched_since: float | None = None
    released_s: float | None = None  # when the pose stopped matching, back-dated by the decision's lag
    paused_s: float = 0.0
    variants: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    milestones: set[float] = field(default_factory=set)
    rate: float | None = None  # the depth's last rate, deg/s (for explaining a wait)
    decided_s: float = 0.0  # when the match was decided (earlier depth samples are back-filled)


Backfill = Callable[[str, str], list[tuple[float, float]]]


class HoldTracker:
    """Feed it one `Match | None` per frame (or `lost` when no person is seen); it emits events."""

    def __init__(self, config: HoldConfig | None = None) -> None:
        self.config = config or HoldConfig()
        self.holds: list[Hold] = []
        self.active: _Active | None = None
        self._reps: dict[tuple[str, str | None], int] = defaultdict(int)
        self._matched = False  # the last frame added a depth sample
        # one line per pose that matched but was not counted, and why (formcheck explain)
        self.misses: list[str] = []

    @property
    def holding(self) -> Match | None:
        a = self.active
        return a.match if a is not None and a.confirmed else None

    @property
    def deciding(self) -> bool:
        """A hold is being decided: a pose matched but is not confirmed yet, or a running hold
        stopped matching or lost the person. Adaptive sampling looks at every frame meanwhile."""
        a = self.active
        return a is not None and (not a.confirmed or a.unmatched_since is not None or a.lost_since is not None)

    def elapsed(self, t_s: float) -> float:
        """Seconds of the current confirmed hold (for the live timer)."""
        a = self.active
        return 0.0 if a is None or not a.confirmed else max(0.0, t_s - a.start_s - a.paused_s)

    def skip(self) -> None:
        """A frame the model did not see (adaptive sampling): another copy of the last one."""
        a = self.active
        if a is not None and self._matched and a.depths:
            a.depths[-1][2] += 1

    def update(
        self, t_s: float, match: Match | None, lost: bool = False, lag_s: float = 0.0, window: Backfill | None = None
    ) -> list[Event]:
        """`lag_s`: the match was decided on a trailing window whose statistic describes the body
        this long ago (analysis/window.py); its start and release are back-dated by it. `window`:
        that window's frames as depths, so the start is found where the depth came into the band
        (`_refine`), not before it."""
        self._matched = False
        cfg, a = self.config, self.active
        if a is None:
            if match is not None and not lost:
                self.active = _Active(match, t_s - lag_s, t_s, match.depth_deg, decided_s=t_s)
                self.active.variants[match.variant] += 1
                if window is not None and lag_s > 0:
                    a = self.active
                    a.depths = [[t, d, 1.0] for t, d in window(match.stretch, match.variant) if t < t_s]
                    a.depths.append([t_s, match.depth_deg, 1.0])
                    still_since = _still_since(a.depths, cfg.settle_speed_deg_s)
                    if still_since is not None:  # it settled inside the window the match was decided on
                        a.settled_s = max(a.start_s, still_since)
            return []
        if lost:
            if a.lost_since is None:
                a.lost_since = t_s
            if t_s - a.lost_since > cfg.max_gap_s:
                return self._end(a.last_match_s, open_at_end=False)
            return []
        if a.lost_since is not None:  # person back after a short gap: the gap pauses the clock
            a.paused_s += t_s - a.lost_since
            a.lost_since = None
        same = match is not None and match.stretch == a.match.stretch and match.side == a.match.side
        if not same and match is not None and self._label_swap(a, match, t_s):
            match, same = replace(match, side=a.match.side), True
        if not same:
            if not a.confirmed and (match is not None or a.settled_s is None):
                self._missed(a, t_s, "another stretch matched" if match is not None else self._why_not(a))
                self.active = None  # a pose passed through, or another stretch began: start over
                return self.update(t_s, match, lag_s=lag_s, window=window)
            if a.unmatched_since is None:
                a.unmatched_since, a.released_s = t_s, max(a.last_match_s - lag_s, t_s - lag_s)
            if t_s - a.unmatched_since >= cfg.exit_dwell_s:
                ended = self._end(self._released(a), open_at_end=False)
                return ended + self.update(t_s, match, lag_s=lag_s, window=window)
            return []
        assert match is not None
        a.unmatched_since = a.released_s = None
        a.last_match_s = t_s
        a.rate = match.depth_rate
        a.peak = max(a.peak, match.depth_deg)
        a.variants[match.variant] += 1
        events: list[Event] = []
        depth_rate = match.depth_rate
        steady = depth_rate is not None and abs(depth_rate) < cfg.settle_speed_deg_s
        a.depths.append([t_s, match.depth_deg, 1.0])
        self._matched = True
        if match.knee_deg is not None:
            a.knees.append(match.knee_deg)
        a.views[match.view] += 1
        pending = not a.confirmed and a.settled_s is not None and t_s - a.start_s < cfg.max_settle_s
        deepening = depth_rate is not None and depth_rate > cfg.resume_factor * cfg.settle_speed_deg_s
        if pending and deepening:
            a.settled_s = None  # a pause inside an entry that goes on: the hold has not begun yet
        if a.settled_s is None and (steady or t_s - a.start_s >= cfg.max_settle_s):
            a.settled_s = t_s
        if not a.confirmed and a.settled_s is not None and t_s - a.start_s >= cfg.min_dwell_s:
            a.confirmed = True
            a.start_s = a.settled_s
            events.append(Event(t_s, "hold_started", self._payload(a)))
        if a.confirmed:
            held = self.elapsed(t_s)
            for mark in cfg.target_s:
                if held >= mark and mark not in a.milestones:
                    a.milestones.add(mark)
                    progress = {**self._payload(a), "elapsed_s": mark, "target_s": cfg.target_s}
                    events.append(Event(t_s, "hold_progress", progress))
        return events

    def _refine(self, a: _Active, end_s: float, open_at_end: bool) -> tuple[float, float]:
        """Trim the entry and the release off a hold: it is the part near its own typical depth.

        Thresholds say when a pose *is* the stretch; the hold proper begins once the body has both
        slowed down (settled) and come within `depth_band_deg` of the hold's median depth, and ends
        the last time it was within that band, so a slow two-phase entry or release is not timed.
        """
        if not a.depths:
            return a.start_s, end_s
        ts, ds, ws = np.array(a.depths).T
        ds = _rolling_median(ts, ds, ws, self.config.glitch_s)
        # the typical depth is the hold's own: the frames back-filled from the decision window are
        # where the entry was, not what was held (a pause on the way in must not lower the band)
        own = ts >= a.decided_s
        band = weighted_median(ds[own], ws[own]) - self.config.depth_band_deg
        near = ds >= band
        first = int(np.argmax(near))
        # near from the first sample on: the hold began when its pose was first decided (a.start_s)
        start = a.start_s if first == 0 else max(a.start_s, _crossing(ts, ds, first - 1, first, band))
        if not open_at_end:
            # the end, with the noise margin below the band: a depth hovering at the band's edge
            # before the release is still the hold (one reading of it must not end it there)
            low = band - self.config.band_end_margin_deg
            inside = ds >= low
            last = len(inside) - 1 - int(np.argmax(inside[::-1]))
            end_s = max(start, min(end_s, _crossing(ts, ds, last + 1, last, low)))
        return start, end_s

    def _label_swap(self, a: _Active, match: Match, t_s: float) -> bool:
        """A single knee hug that changes side from one frame to the next is the same hug: nobody
        switches legs that fast (the first knee comes down first), but the model swaps which leg
        it calls left on a body seen from the side. The hold keeps the side it started with."""
        return (
            match.stretch == a.match.stretch == "knee_to_chest"
            and None not in (match.side, a.match.side)
            and t_s - a.last_match_s <= self.config.swap_s
        )

    def _steadiness(self, a: _Active, end_s: float) -> float | None:
        """Sway of the depth angle inside the hold (after its start and before its end)."""
        inside = [d for t, d, _ in a.depths if a.start_s <= t <= end_s]
        return round(float(np.std(inside)), 2) if len(inside) >= 3 else None

    def _payload(self, a: _Active) -> dict[str, object]:
        return {
            "stretch": a.match.stretch,
            "side": a.match.side,
            "start_s": a.start_s,
            "variant": max(a.variants, key=a.variants.__getitem__),
        }

    def _end(self, end_s: float, open_at_end: bool) -> list[Event]:
        a = self.active
        self.active = None
        if a is not None and not a.confirmed:
            self._missed(a, end_s, self._why_not(a))
        if a is None or not a.confirmed:
            return []
        cfg = self.config
        a.start_s, end_s = self._refine(a, end_s, open_at_end)
        duration = max(0.0, end_s - a.start_s - a.paused_s)
        if duration < cfg.min_report_s:
            self.misses.append(
                f"{a.match.label} held {a.start_s:.1f}-{end_s:.1f} s: {duration:.1f} s is under "
                f"{cfg.min_report_s:g} s, a transition rather than a hold"
            )
            return [Event(end_s, "hold_ended", {**self._payload(a), "duration_s": duration, "reported": False})]
        key = (a.match.stretch, a.match.side)
        self._reps[key] += 1
        hold = Hold(
            stretch=a.match.stretch,
            variant=str(self._payload(a)["variant"]),
            side=a.match.side,
            rep=self._reps[key],
            start_s=round(a.start_s, 3),
            end_s=round(end_s, 3),
            duration_s=round(duration, 3),
            verdict=verdict(duration, cfg.target_s),
            open_at_end=open_at_end,
            peak_hip_flexion_deg=round(a.peak, 1),
            paused_s=round(a.paused_s, 3),
            steadiness_deg=self._steadiness(a, end_s),
            knee_flexion_deg=round(float(np.median(a.knees)), 1) if a.knees else None,
            view=max(a.views, key=a.views.__getitem__) if a.views else "side",
        )
        self.holds.append(hold)
        return [Event(end_s, "hold_ended", {"hold": hold, "reported": True, **self._payload(a)})]

    def describe(self, t_s: float) -> str:
        """What the hold logic is doing now, in one line: 'matches since 0.2 s, waiting for stillness'."""
        a, cfg = self.active, self.config
        if a is None:
            return "hold: no stretch matches"
        name = a.match.label
        if a.lost_since is not None:
            return f"hold: {name}, person lost since {a.lost_since:.1f} s (under {cfg.max_gap_s:g} s pauses the clock)"
        if a.confirmed and a.unmatched_since is not None:
            return (
                f"hold: {name} held since {a.start_s:.1f} s, stopped matching at {a.unmatched_since:.1f} s "
                f"(it ends unless it matches again within {cfg.exit_dwell_s:g} s)"
            )
        if a.confirmed:
            return f"hold: {name} held since {a.start_s:.1f} s ({self.elapsed(t_s):.1f} s)"
        if a.settled_s is None:
            return f"hold: {name} matches since {a.start_s:.1f} s, {self._why_not(a)}"
        return (
            f"hold: {name} matches since {a.start_s:.1f} s and is still; it counts once it has matched "
            f"{cfg.min_dwell_s:g} s"
        )

    def _why_not(self, a: _Active) -> str:
        """Why a matching pose is not a hold yet."""
        cfg = self.config
        if a.settled_s is None:
            if a.rate is None:
                return "waiting for stillness: not enough frames yet to tell"
            half = cfg.settle_speed_deg_s / 2.0
            return f"waiting for stillness: hip moved {abs(a.rate) / 2.0:.0f}° in 0.5 s (still is under {half:.0f}°)"
        return f"stopped matching before it had matched {cfg.min_dwell_s:g} s"

    def _missed(self, a: _Active, t_s: float, why: str) -> None:
        if t_s - a.start_s >= 0.2:  # a pose passed through on the way is not worth a line
            self.misses.append(f"{a.match.label} matched {a.start_s:.1f}-{t_s:.1f} s, not counted: {why}")

    @staticmethod
    def _released(a: _Active) -> float:
        """When a hold that stopped matching ended: its back-dated release, never before it began."""
        r = a.released_s if a.released_s is not None else a.unmatched_since
        return max(a.start_s, r if r is not None else a.last_match_s)

    def finish(self, t_s: float) -> list[Event]:
        """End of input: a running hold is reported as open at the end."""
        a = self.active
        if a is None:
            return []
        if a.lost_since is not None or a.unmatched_since is not None:
            return self._end(a.last_match_s if a.lost_since is not None else self._released(a), False)
        return self._end(t_s, open_at_end=True)
