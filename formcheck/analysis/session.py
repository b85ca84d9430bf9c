"""The streaming core shared by `analyze`, `live` and track re-analysis.

PoseFrame -> quality gate -> One Euro smoothing -> features -> stretch match -> hold tracker -> events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.config import AnalysisConfig
from formcheck.analysis.features import Features, compute_features
from formcheck.analysis.holds import HoldTracker
from formcheck.analysis.kinematics import RateEstimator
from formcheck.analysis.looks import Looks, near_side
from formcheck.analysis.motion import MESSAGES, MOTION_KINDS, MotionMonitor
from formcheck.analysis.series import Series
from formcheck.analysis.setup import SetupAdvisor
from formcheck.analysis.stretches import Match, forward_bend, knee_to_chest, measured
from formcheck.analysis.window import FeatureWindow
from formcheck.geometry import body_size_px
from formcheck.pose.occlusion import OcclusionCarry
from formcheck.pose.quality import QualityGate
from formcheck.pose.smoothing import OneEuroFilter
from formcheck.pose.swaps import SwapFix
from formcheck.stats import measurable
from formcheck.types import Event, FrameCounts, Hold, PoseFrame, SessionResult, SourceInfo, Warning


@dataclass(slots=True)
class FrameState:
    """What the analysis knows after one frame; the live overlay draws from this."""

    frame: PoseFrame
    is_person: bool
    features: Features | None  # what the rules decided on: the last second's (analysis/window.py)
    match: Match | None
    holding: Match | None = None  # the hold running when this frame was matched (its exit rules apply)
    raw: Features | None = None  # this frame's own features
    hold_status: str = ""  # what the hold logic is doing (HoldTracker.describe), for an `on_frame` hook
    posture_share: dict[str, float] | None = None  # each posture's share of the decision window


class Analyzer:
    """Stateful stream stage: `update(pose_frame)` -> events; `result()` -> SessionResult."""

    def __init__(
        self,
        source: SourceInfo,
        config: AnalysisConfig | None = None,
        on_frame: Callable[[FrameState], None] | None = None,
    ) -> None:
        self.config = config or AnalysisConfig()
        self.on_frame = on_frame  # sees every analysed frame's state (formcheck explain)
        self.source = source
        self.gate = QualityGate(self.config.quality)
        self.swaps = SwapFix(source.width, source.height)
        self.carry = OcclusionCarry(self.config.occlusion)
        self.px_filter = OneEuroFilter(self.config.smoothing)
        self.world_filter = OneEuroFilter(self.config.smoothing)
        self.holds = HoldTracker(self.config.hold)
        self.window = FeatureWindow(self.config.hold.decide_window_s)
        self.looks = Looks()
        self.motion = MotionMonitor(self.config.motion)
        self.setup = SetupAdvisor()
        self.series = Series()
        self._entry_smoothness: float | None = None
        self.rates = {(k, s): RateEstimator() for k in ("hip", "knee") for s in ("left", "right")}
        self.counts = FrameCounts()
        self.warnings: list[Warning] = []
        self.notices: list[Warning] = []
        self.last: FrameState | None = None
        self._size_px: float | None = None
        self._last_t = 0.0
        self._people = 0  # people in the last analysed frame (a skipped frame shows the same)
        self._scale = np.array([source.width, source.height], np.float64)

    def update(self, frame: PoseFrame) -> list[Event]:
        self.counts.total += 1
        self._people = frame.n_people
        if frame.n_people > 1:
            self.counts.multi_person += 1
        events: list[Event] = []
        for f, is_person in self.gate.update(frame):
            events += self._step(f, is_person)
        return events

    def skipped(self, t_s: float, between: PoseFrame | None = None) -> list[Event]:
        """A frame the model did not see (adaptive sampling). A still grid frame comes with the
        pose `between` the looks around it and is analysed with it, so every stage downstream
        gets poses at the grid rate, as every-frame analysis gives them; the others (off the
        grid) are only counted, taken to show what the last analysed frame showed."""
        if not self.counts.not_analysed:
            self.motion.sparse(self.source.fps)
        if between is not None:
            events = self.update(between)
            self.counts.not_analysed += 1
            return events
        self.counts.total += 1
        if self.last is not None and self.last.is_person:
            self.counts.with_person += 1
        self.counts.not_analysed += 1
        if self._people > 1:
            self.counts.multi_person += 1
        self.holds.skip()
        return []

    def _body_size(self, px: np.ndarray) -> float:
        """Slowly-adapting body size: one frame's foreshortening must not rescale the filter."""
        size = body_size_px(px)
        self._size_px = size if self._size_px is None else 0.95 * self._size_px + 0.05 * size
        return self._size_px

    def _step(self, frame: PoseFrame, is_person: bool) -> list[Event]:
        self._last_t = frame.t_s
        notices = self.setup.update(frame, is_person, self.source.width, self.source.height)
        self.notices += notices
        return [Event(n.t_s, "notice", {"notice": n}) for n in notices] + self._analyse(frame, is_person)

    def _analyse(self, frame: PoseFrame, is_person: bool) -> list[Event]:
        if not is_person or frame.landmarks is None or frame.world is None:
            self.last = FrameState(frame, False, None, None)
            if frame.n_people > 0 and not frame.between:
                self.motion.looked(frame.t_s)  # a look the quality gate rejected (a blurred fast move)
            # Rate estimators and the motion monitor drop their history themselves once the gap
            # in real time is too long, so a one-frame dropout does not blind them.
            self.series.append((frame.t_s,))
            return self._on_hold_events(self.holds.update(frame.t_s, None, lost=True))
        self.counts.with_person += 1
        frame = self.swaps.update(frame)
        if not frame.between:
            self._look(frame)
        frame = self.carry.update(frame)
        assert frame.landmarks is not None and frame.world is not None
        raw_px = frame.landmarks[:, :2].astype(np.float64) * self._scale
        size = self._body_size(raw_px)
        px = self.px_filter.update(raw_px, frame.t_s, scale=size)
        world_size = max(body_size_px(frame.world[:, :2]), 0.3)  # metres; same idea in world units
        world = self.world_filter.update(frame.world, frame.t_s, scale=world_size)
        feats = compute_features(frame.t_s, px, world, size, frame.landmarks[:, 3])
        for (kind, side), est in self.rates.items():
            angles, rates = (
                (feats.hip_flexion, feats.hip_rate) if kind == "hip" else (feats.knee_flexion, feats.knee_rate)
            )
            rates[side] = est.update(frame.t_s, angles[side])
        holding = self.holds.holding
        decided = self.window.update(feats)
        match = self._match(decided)
        if match is not None:
            match = measured(match, feats, self.config)
        self.last = FrameState(frame, True, decided, match, holding, feats, posture_share=self.window.posture_share)
        hf, kf = feats.hip_flexion, feats.knee_flexion
        self.series.append((frame.t_s, hf["left"], hf["right"], kf["left"], kf["right"], feats.trunk_inclination))
        warnings = self.motion.update(feats, match, self.holds.holding, world, frame.between, decided.posture)
        self.warnings += warnings
        events = [Event(w.t_s, "warning", {"warning": w}) for w in warnings]
        held = self.holds.update(frame.t_s, match, lag_s=self.window.lag_s, window=self.window.depths)
        events += self._on_hold_events(held)
        if self.holds.active is None:
            self.looks.forget_before(frame.t_s)
        if self.on_frame is not None:  # after the hold logic took this frame: its status is this frame's
            self.last.hold_status = self.holds.describe(frame.t_s)
            self.on_frame(self.last)
        return events

    def _look(self, frame: PoseFrame) -> None:
        """The model's own look, unsmoothed (label swaps undone, nothing carried over from earlier
        frames): the hold's numbers come from these (`looks.py`)."""
        assert frame.landmarks is not None and frame.world is not None
        px = frame.landmarks[:, :2].astype(np.float64) * self._scale
        size = self._size_px or body_size_px(px)
        vis = frame.landmarks[:, 3].astype(np.float64)
        near = near_side(frame.landmarks)
        self.looks.add(compute_features(frame.t_s, px, frame.world.astype(np.float64), size, vis), near)

    def _on_hold_events(self, events: list[Event]) -> list[Event]:
        """Per-hold quality: entry smoothness when a hold starts; cues and warnings when it ends."""
        for e in events:
            if e.kind == "hold_started":
                self._entry_smoothness = self.motion.entry_smoothness(float(e.payload["start_s"]))
            elif e.kind == "hold_ended" and e.payload.get("reported"):
                hold = e.payload["hold"]
                hold.entry_smoothness = self._entry_smoothness
                self._measure(hold)
                lead = self.config.motion.trace_s / 2  # the entry belongs to the hold too
                hold.warnings = [w for w in self.warnings if hold.start_s - lead <= w.t_s <= hold.end_s]
                bend = self.config.motion.knees_bent_cue_deg
                if hold.stretch == "forward_bend" and (hold.knee_flexion_deg or 0.0) > bend:
                    cue = Warning("knees_bent", hold.start_s, MESSAGES["knees_bent"], "info", hold.knee_flexion_deg)
                    hold.warnings.append(cue)
        return events

    def _measure(self, hold: Hold) -> None:
        """The hold's numbers from the model's looks over the hold proper (`looks.py`)."""
        as_matched = Match(hold.stretch, hold.side, hold.variant, 0.0, None, None, None, hold.view)
        n = self.looks.numbers(as_matched, hold.start_s, hold.end_s, self.config)
        hold.hip_flexion_deg = n.hip_flexion_deg
        hold.camera_side = n.camera_side
        if not measurable("cm", hold.view):
            return  # a distance along the line of sight is the model's guess (formcheck.stats)
        if hold.stretch == "forward_bend":
            hold.reach_cm = n.cm
        else:
            hold.knee_to_chest_cm = n.cm

    def _match(self, f: Features) -> Match | None:
        cfg, holding = self.config, self.holds.holding
        if holding is not None and holding.stretch == "forward_bend":
            return forward_bend(f, cfg.forward_bend, holding=True)
        if holding is not None and holding.stretch == "knee_to_chest":
            return knee_to_chest(f, cfg.knee_to_chest, holding=holding)
        return forward_bend(f, cfg.forward_bend, holding=False) or knee_to_chest(f, cfg.knee_to_chest, None)

    def finish(self) -> list[Event]:
        events: list[Event] = []
        for f, is_person in self.gate.flush():
            events += self._step(f, is_person)
        self.counts.rejected = self.gate.rejected
        return events + self._on_hold_events(self.holds.finish(self._last_t))

    def summary(self) -> dict[str, object]:
        """How gentle the session was, in one line."""
        motion = [w for w in self.warnings if w.kind in MOTION_KINDS]
        holds = len(self.holds.holds)
        if not motion:
            level, text = "gentle", f"Gentle session: no jerky, bouncing or excessive motion in {holds} hold(s)."
        elif len(motion) <= holds / 2:
            level, text = "mostly_gentle", f"Mostly gentle: {len(motion)} motion warning(s) in {holds} holds."
        else:
            level, text = "abrupt", f"Too abrupt: {len(motion)} motion warning(s). Move slowly, no bouncing or jerks."
        return {"gentleness": level, "motion_warnings": len(motion), "text": text}

    def result(self, partial: bool = False) -> SessionResult:
        self.counts.rejected = self.gate.rejected
        return SessionResult(
            source=self.source,
            holds=list(self.holds.holds),
            warnings=list(self.warnings),
            frames=self.counts,
            target_hold_s=self.config.hold.target_s,
            partial=partial,
            min_hold_s=self.config.hold.min_report_s,
            notices=list(self.notices),
            summary=self.summary(),
            series=self.series.array(),
            not_counted=list(self.holds.misses),
        )
