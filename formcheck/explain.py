"""Why a stretch was (not) recognised: every rule of every stretch with its measured value.

`formcheck explain FILE [--at SECONDS]` reads the same rule lists the recognisers run
(`analysis/stretches.py`), on the frames the analysis saw, so what it prints is exactly why a hold
did or did not start. A person learns what to change; a developer sees whether the landmarks or a
rule are wrong without guessing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from formcheck.analysis.config import AnalysisConfig
from formcheck.analysis.features import Features
from formcheck.analysis.nearmiss import hold_lines
from formcheck.analysis.rules import Verdict, nearest_miss
from formcheck.analysis.session import FrameState
from formcheck.analysis.stretches import Match, verdicts
from formcheck.settings import Settings, resolve
from formcheck.types import SessionResult


@dataclass(slots=True)
class Moment:
    """One analysed frame, explained."""

    t_s: float
    features: Features
    match: Match | None
    holding: Match | None
    verdicts: list[Verdict]
    hold_status: str = ""  # what the hold logic was doing at this frame
    posture_share: dict[str, float] | None = None

    @property
    def nearest(self) -> Verdict | None:
        return nearest_miss(self.verdicts)


@dataclass(slots=True)
class Collector:
    """Keeps the frame nearest `at`, or one frame per `every_s` (a timeline that stays small on
    long videos) plus the frame where a stretch came nearest to matching without matching."""

    config: AnalysisConfig
    at: float | None = None
    every_s: float = 1.0
    moments: list[Moment] = field(default_factory=list)
    closest: Moment | None = None

    def __call__(self, st: FrameState) -> None:
        if st.features is None:
            return
        t = st.frame.t_s
        if self.at is not None:
            if not self.moments or abs(t - self.at) < abs(self.moments[0].t_s - self.at):
                self.moments = [self._moment(st)]
            return
        due = not self.moments or t - self.moments[-1].t_s >= self.every_s - 1e-6
        m = self._moment(st) if due or st.match is None else None
        if due and m is not None:
            self.moments.append(m)
        if m is not None and st.match is None and m.nearest is not None:
            best = self.closest.nearest if self.closest is not None else None
            if best is None or m.nearest.distance < best.distance:
                self.closest = m

    def _moment(self, st: FrameState) -> Moment:
        assert st.features is not None
        vs = verdicts(st.features, self.config, st.holding)
        return Moment(st.frame.t_s, st.features, st.match, st.holding, vs, st.hold_status, st.posture_share)


def explain(
    path: str | os.PathLike[str],
    at: float | None = None,
    config: Settings | AnalysisConfig | str | os.PathLike[str] | None = None,
    model: str | os.PathLike[str] | None = None,
) -> tuple[SessionResult, Collector]:
    """Analyse `path` (a video, a photo or a saved track; every frame through the model) and
    collect the explained frames."""
    import formcheck

    settings = resolve(config)
    collector = Collector(settings.analysis, at)
    if Path(path).suffix.lower() == ".npz":
        result = formcheck.analyze_track(path, config=settings, on_frame=collector)
    else:
        result = formcheck.analyze_video(path, config=settings, model=model, every_frame=True, on_frame=collector)
    return result, collector


def describe(m: Moment) -> list[str]:
    """The full table for one frame: the body as measured over the last second (what the rules
    decide on), then every stretch's rules, then what the hold logic makes of it."""
    f = m.features
    lines = [
        f"at {m.t_s:.2f} s (median of the last second): posture {f.posture}, camera view {f.view}, "
        f"hip flexion L {f.hip_flexion['left']:.0f}° R {f.hip_flexion['right']:.0f}°, "
        f"knee bend L {f.knee_flexion['left']:.0f}° R {f.knee_flexion['right']:.0f}°, trunk lean {f.trunk_lean:.0f}°",
        f"holding: {m.holding.label}" if m.holding is not None else "holding: nothing",
    ]
    for v in m.verdicts:
        status = "MATCHES" if v.passed else f"no: {len(v.failed)} of {len(v.outcomes)} rules fail"
        keeping = m.holding is not None and m.holding.stretch == v.stretch
        lines.append(f"{v.label}{' (keeping the hold: exit thresholds)' if keeping else ''}: {status}")
        lines += [f"  {'ok ' if o.passed else 'NO '} {o.text}" for o in v.outcomes]
    near = m.nearest
    if m.match is None and near is not None:
        lines.append(f"nearest: {near.label}; cue: {cue(near) or '-'}")
    return lines + hold_lines(m.hold_status, m.posture_share)


def timeline_line(m: Moment) -> str:
    if m.match is not None:
        status = m.hold_status.removeprefix("hold: ").removeprefix(m.match.label + " ")
        said = status if status.startswith("matches") else "matches" + (f"; {status}" if status else "")
        return f"{m.t_s:7.2f} s  {m.match.label}: {said}"
    near = m.nearest
    if near is None:
        return f"{m.t_s:7.2f} s  -"
    misses = "; ".join(o.text for o in near.failed)
    return f"{m.t_s:7.2f} s  nearest {near.label}: {misses}"


POSTURE_WORDS = {
    "standing": "standing",
    "seated": "sitting",
    "lying": "lying down",
    "other": "neither standing, sitting nor lying",
}


def spoken_name(stretch: str, variant: str, side: str | None) -> str:
    """ "a seated forward bend", "a knee-to-chest stretch of the right knee"."""
    if stretch == "forward_bend":
        return f"a {variant} forward bend"
    if variant == "double":
        return "a knee-to-chest stretch with both knees"
    return f"a knee-to-chest stretch of the {side} knee" if side else "a knee-to-chest stretch"


def plain(m: Moment, measured: str = "") -> str:
    """The answer in one sentence: what this looks like, whether it counts, and if not the first
    thing to change with its measurement (rules are listed set-up first, as the live cue reads them)."""
    if m.match is not None:
        name = spoken_name(m.match.stretch, m.match.variant, m.match.side)
        numbers = f" ({measured})" if measured else ""
        return f"This is {name}, and formcheck recognises it{numbers}: it counts while it is held."
    near = m.nearest
    if near is None:
        return "Nobody formcheck can measure is in view here."
    first = near.failed[0]
    what = cue(near)
    advice = f" {what}." if what else ""
    name = spoken_name(near.stretch, near.variant, near.side)
    if first.name == "posture":  # a different position altogether: say what is seen, and what to do
        seen = POSTURE_WORDS.get(m.features.posture, m.features.posture)
        return f"This is not a stretch formcheck counts: it sees someone {seen}. The closest is {name}.{advice}"
    if len(near.failed) >= 3:  # a different pose, not a stretch nearly done
        return (
            f"This is not a stretch formcheck counts ({len(near.failed)} of {len(near.outcomes)} checks differ). "
            f"The closest is {name}: {first.plain}.{advice}"
        )
    return f"This looks most like {name}, but it can't count yet: {first.plain}.{advice}"


def cue(v: Verdict) -> str:
    """What to change: the first failing rule's cue (rules are listed set-up first)."""
    return next((o.cue for o in v.failed if o.cue), "")
