"""The nearest miss as a cue: what to change when a stretch is almost, but not, recognised.

Reads the same rule lists as the recognisers (`stretches.verdicts`), so the cue names exactly
the rule that keeps a hold from starting ("Bring your knee closer to your chest", "Reach down
toward your feet"). A cue is given only when the person is already in the stretch's position
(its posture rule passes), at most `max_failed` rules fail and by little, and only once the same
miss has lasted `settle_s`: someone walking to the mat is not coached, and noise does not flicker cues.
"""

from __future__ import annotations

from dataclasses import dataclass

from formcheck.analysis.config import AnalysisConfig
from formcheck.analysis.rules import Verdict, nearest_miss
from formcheck.analysis.session import FrameState
from formcheck.analysis.stretches import verdicts
from formcheck.analysis.window import posture_note


@dataclass(frozen=True, slots=True)
class NearMissConfig:
    max_failed: int = 2  # more rules than this failing: the person is doing something else
    # ... or missing by more than this in all (each miss in units of its rule's enter/exit gap):
    # standing upright misses a fold's lean by 40 deg (4 units), a knee pulled to 65 deg misses by 1.5
    max_miss: float = 3.0
    settle_s: float = 1.5  # the same miss this long before it becomes a cue
    keep_s: float = 2.0  # a cue stays up this long after its miss is gone (no flicker)


class NearMiss:
    """Stateful stage: `update(frame_state)` -> the cue to show now ('' for none)."""

    def __init__(self, analysis: AnalysisConfig, config: NearMissConfig | None = None) -> None:
        self.analysis = analysis
        self.config = config or NearMissConfig()
        self.verdict: Verdict | None = None  # the nearest miss on the last frame (for the `d` panel)
        self.cue = ""
        self._candidate = ""
        self._since: float | None = None
        self._cue_seen: float | None = None

    def update(self, st: FrameState | None) -> str:
        t = None if st is None else st.frame.t_s
        self.verdict = None
        candidate = ""
        if st is not None and st.features is not None and st.match is None and st.holding is None:
            self.verdict = nearest_miss(verdicts(st.features, self.analysis, None))
            v = self.verdict
            close = v is not None and sum(o.miss for o in v.failed) <= self.config.max_miss
            if v is not None and close and len(v.failed) <= self.config.max_failed and v.outcomes[0].passed:
                candidate = next((o.cue for o in v.failed if o.cue), "")
        if st is not None and (st.match is not None or st.holding is not None):
            self.cue, self._candidate, self._since = "", "", None
            return ""
        if t is None:
            return self.cue
        if candidate != self._candidate:
            self._candidate, self._since = candidate, t
        if candidate and self._since is not None and t - self._since >= self.config.settle_s:
            self.cue, self._cue_seen = candidate, t
        elif self.cue and (self._cue_seen is None or t - self._cue_seen > self.config.keep_s):
            self.cue = ""
        return self.cue

    def detail_lines(self) -> list[str]:
        """The nearest stretch's rules, one line each (the live window's `d` panel)."""
        v = self.verdict
        if v is None:
            return []
        return [f"why not {v.label}:"] + [f"{'ok' if o.passed else 'NO'}  {o.text}" for o in v.outcomes]


def hold_lines(status: str, posture_share: dict[str, float] | None) -> list[str]:
    """What the hold logic is doing, and a posture that flickers (`formcheck explain`, live `d`)."""
    return [line for line in (status, posture_note(posture_share)) if line]
