"""Score a session against hand-made labels (the format of ../shared/labels/*.json).

Used by the accuracy harness in bench/ and by the integration tests; also handy for anyone who
labels their own clips. A label hold gives `start_s` and `end_s` as [earliest, latest] ranges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from formcheck.types import Hold, SessionResult, Verdict, Warning


@dataclass(slots=True)
class HoldScore:
    label: dict[str, Any]
    hold: Hold | None
    problems: list[str] = field(default_factory=list)

    @property
    def start_error_s(self) -> float | None:
        """Distance from the detected start to the label range (0 inside it)."""
        return None if self.hold is None else _range_error(self.hold.start_s, self.label["start_s"])

    @property
    def end_error_s(self) -> float | None:
        return None if self.hold is None else _range_error(self.hold.end_s, self.label["end_s"])

    @property
    def start_latency_s(self) -> float | None:
        """From the earliest moment the rater saw the pose settled to the detected start (s)."""
        return None if self.hold is None else start_latency_s(self.hold, self.label)


def start_latency_s(hold: Hold, label_hold: dict[str, Any]) -> float:
    """How long after the pose settled (the label's earliest start) the hold was found to start:
    for a photo played as a clip, its start time itself. Negative: before the rater's range."""
    return round(hold.start_s - float(label_hold["start_s"][0]), 3)


def percentiles(values: list[float]) -> str:
    """'p50 0.40 s, p95 0.90 s (n=12)': the latency summary the benches print."""
    import numpy as np

    if not values:
        return "no holds found"
    p50, p95 = np.percentile(values, [50, 95])
    return f"p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(values):.2f} s (n={len(values)})"


@dataclass(slots=True)
class ClipScore:
    matched: list[HoldScore]
    extra: list[Hold]
    warn_problem: str | None = None

    @property
    def passed(self) -> bool:
        return not self.extra and all(not m.problems for m in self.matched) and self.warn_problem is None

    def describe(self) -> list[str]:
        out = [f"{m.label['stretch']}/{m.label.get('side')}: {p}" for m in self.matched for p in m.problems]
        out += [f"unexpected {h.stretch}/{h.side} hold {h.start_s:.2f}-{h.end_s:.2f} s" for h in self.extra]
        if self.warn_problem:
            out.append(self.warn_problem)
        return out


def _range_error(value: float, rng: list[float]) -> float:
    lo, hi = rng
    return 0.0 if lo <= value <= hi else (lo - value if value < lo else value - hi)


def possible_verdicts(label: dict[str, Any], target: tuple[float, float]) -> set[Verdict]:
    """The verdicts a hold inside the label ranges can have (several where the ranges straddle a limit)."""
    from formcheck.analysis.holds import verdict

    shortest = max(0.0, label["end_s"][0] - label["start_s"][1])
    longest = label["end_s"][1] - label["start_s"][0]
    return {verdict(shortest, target), verdict(longest, target)} | (
        {"in_range"} if shortest < target[0] and longest > target[1] else set()
    )


def motion_warnings(result: SessionResult, label: dict[str, Any]) -> list[Warning]:
    """The result's motion warnings (not set-up notices or form cues), outside the label's ignore windows."""
    from formcheck.analysis.motion import MOTION_KINDS

    ignore = label.get("warn_ignore_s", [])
    return [w for w in result.warnings if w.kind in MOTION_KINDS and not any(lo <= w.t_s <= hi for lo, hi in ignore)]


def score_warnings(result: SessionResult, label: dict[str, Any]) -> str | None:
    """Check the label's `warn` (none | required | any); returns a problem or None."""
    expected = label.get("warn", "any")
    found = motion_warnings(result, label)
    if expected == "none" and found:
        return "unexpected motion warnings: " + ", ".join(f"{w.kind}@{w.t_s:.1f}s" for w in found)
    if expected == "required" and not found:
        return "a motion warning was required, none was given"
    return None


def score_holds(result: SessionResult, label: dict[str, Any], clip_end_s: float | None = None) -> ClipScore:
    """Match every labelled hold to one reported hold; anything reportable left over is extra."""
    remaining = [h for h in result.holds if h.duration_s >= result.min_hold_s]
    clip_end = clip_end_s if clip_end_s is not None else result.source.duration_s
    matched: list[HoldScore] = []
    for lab in label["holds"]:
        same = [h for h in remaining if h.stretch == lab["stretch"] and h.side == lab.get("side")]
        best = min(same, key=lambda h: abs(h.start_s - sum(lab["start_s"]) / 2), default=None)
        score = HoldScore(lab, best)
        if best is None:
            score.problems.append("not found")
        else:
            remaining.remove(best)
            if score.start_error_s:
                score.problems.append(f"start {best.start_s:.2f} s outside {lab['start_s']}")
            if score.end_error_s:
                score.problems.append(f"end {best.end_s:.2f} s outside {lab['end_s']}")
            can_be_open = lab.get("open_at_end") or lab["end_s"][1] >= clip_end - 0.1
            if lab.get("open_at_end") and not best.open_at_end:
                score.problems.append("should be open at the end of the clip")
            if best.open_at_end and not can_be_open:
                score.problems.append("reported open at end but the label ends it earlier")
            if best.verdict not in possible_verdicts(lab, result.target_hold_s):
                score.problems.append(f"verdict {best.verdict} impossible for the labelled times")
        matched.append(score)
    return ClipScore(matched, remaining, score_warnings(result, label) if "warn" in label else None)


def score_photo(result: SessionResult, label: dict[str, Any]) -> list[str]:
    """Score a photo played as a still clip against its label (../shared/photos/labels/*.json).

    `expect`: hold (the labelled stretch must be found, variant and side where given), none (no
    hold of 3 s or more), any (either, but no other stretch). A still photo has no motion, so any
    motion warning is a problem.
    """
    problems: list[str] = []
    holds = [h for h in result.holds if h.duration_s >= result.min_hold_s]
    expect = label["expect"]
    wanted = label.get("holds", [])
    if expect == "none":
        problems += [f"unexpected {h.stretch} hold {h.start_s:.1f}-{h.end_s:.1f} s" for h in holds]
    else:
        for lab in wanted:
            same = [h for h in holds if h.stretch == lab["stretch"]]
            others = [h for h in holds if h.stretch != lab["stretch"]]
            problems += [f"wrong stretch {h.stretch}" for h in others]
            if not same:
                if expect == "hold":
                    problems.append(f"{lab['stretch']} not found")
                continue
            h = same[0]
            if lab.get("variant") and h.variant != lab["variant"]:
                problems.append(f"variant {h.variant}, labelled {lab['variant']}")
            if lab.get("side") and h.side != lab["side"]:
                problems.append(f"side {h.side}, labelled {lab['side']}")
            if _range_error(h.start_s, lab["start_s"]):
                problems.append(f"start {h.start_s:.2f} s outside {lab['start_s']}")
            if _range_error(h.end_s, lab["end_s"]):
                problems.append(f"end {h.end_s:.2f} s outside {lab['end_s']}")
    problem = score_warnings(result, {"warn": label.get("warn", "none")})
    if problem:
        problems.append(problem)
    return problems


def label_source(label: dict[str, Any], folder: str = "") -> str:
    """The repository a labelled photo or clip came from (`owner/name`), for per-source counts.
    Photos of ../shared/photos without a `source` come from two unnamed app repositories."""
    src = str(label.get("source") or "")
    if src.startswith("same repository"):
        return "Hanshitha22/personalised-fitness-companion"  # the only source the clip labels refer back to
    if src.startswith("GitHub "):
        return src.split()[1]
    return f"{folder or 'photos'}: unnamed app repositories"


def photo_class(name: str, label: dict[str, Any]) -> str:
    """What a labelled photo shows: the stretch (and form) to recognise, a look-alike, or borderline."""
    if label["expect"] == "none":
        return "look-alike (must not count)"
    hold = (label.get("holds") or [{}])[0]
    if label["expect"] == "any":
        return f"borderline {hold.get('stretch', '?')} (either)"
    if hold.get("stretch") == "knee_to_chest":
        return "knee-to-chest"
    variant = hold.get("variant") or ("standing" if "standing" in name or "uttanasana" in name else "seated")
    wide = "wide" in name or "upavistha" in name
    return f"forward bend {variant}{' wide-legged' if wide and variant == 'seated' else ''}"


def relabel_for_duration(label: dict[str, Any], seconds: float) -> dict[str, Any]:
    """A photo label is written for a 10 s still clip: the hold lasts to the end. For a clip of
    other length the end range moves with the end; the start range stays (found within ~1 s)."""
    if seconds == 10.0:
        return label
    holds = [{**h, "end_s": [seconds - 1.0, seconds]} for h in label.get("holds", [])]
    return {**label, "holds": holds}


# How close two analyses of the same video must put a hold's numbers to be the same measurement:
# well inside the smallest real change between sessions (`formcheck.stats`).
SAME_DEG, SAME_CM = 1.0, 1.0
MEASURES = (("hip flexion", "hip_flexion_deg", SAME_DEG, "°"), ("reach", "reach_cm", SAME_CM, " cm"),
            ("knee-chest", "knee_to_chest_cm", SAME_CM, " cm"))  # fmt: skip


def measure_differences(a: Hold, b: Hold, names: tuple[str, str] = ("every frame", "adaptive")) -> list[str]:
    """Where two analyses' numbers for one hold differ by more than `SAME_DEG` / `SAME_CM`."""
    out = []
    for what, key, tol, unit in MEASURES:
        x, y = getattr(a, key), getattr(b, key)
        if (x is None) != (y is None) or (x is not None and abs(x - y) > tol):
            show = [("none" if v is None else f"{v:g}{unit}") for v in (x, y)]
            out.append(f"{what} at {a.start_s:.1f} s: {show[0]} {names[0]}, {show[1]} {names[1]}")
    return out


def mode_differences(
    full: SessionResult,
    adaptive: SessionResult,
    slack_s: float = 0.2,
    warn_s: float = 0.3,
    names: tuple[str, str] = ("every frame", "adaptive"),
    motion: bool = True,
) -> list[str]:
    """How adaptive sampling's answers (or another mode's: `names`) differ from every frame's
    (empty: they agree): the same holds, sides, verdicts and open ends, boundaries within
    `slack_s`, the same numbers (`measure_differences`), and the same motion-warning kinds in the
    same order, each within `warn_s` (unless `motion` is False)."""
    from formcheck.analysis.motion import MOTION_KINDS

    one, two = names
    out: list[str] = []
    if len(full.holds) != len(adaptive.holds):
        out.append(f"{len(full.holds)} holds {one}, {len(adaptive.holds)} {two}")
    for f, a in zip(full.holds, adaptive.holds, strict=False):
        if (f.stretch, f.side, f.verdict, f.open_at_end) != (a.stretch, a.side, a.verdict, a.open_at_end):
            seen = [f"{h.stretch}/{h.side}/{h.verdict}/{'open' if h.open_at_end else 'ended'}" for h in (f, a)]
            out.append(f"hold at {f.start_s:.1f} s: {seen[0]} {one}, {seen[1]} {two}")
        for what, x, y in (("start", f.start_s, a.start_s), ("end", f.end_s, a.end_s)):
            if abs(x - y) > slack_s:
                out.append(f"hold {what} {x:.2f} s {one}, {y:.2f} s {two}")
        out += measure_differences(f, a, names)
    if not motion:
        return out
    wf = [w for w in full.warnings if w.kind in MOTION_KINDS]
    wa = [w for w in adaptive.warnings if w.kind in MOTION_KINDS]
    if [w.kind for w in wf] != [w.kind for w in wa]:
        show = lambda ws: ", ".join(f"{w.kind} {w.t_s:.1f}s" for w in ws) or "none"  # noqa: E731
        out.append(f"motion warnings {one}: {show(wf)}; {two}: {show(wa)}")
    else:
        pairs = zip(wf, wa, strict=True)
        out += [f"{f.kind} at {f.t_s:.2f} s vs {a.t_s:.2f} s" for f, a in pairs if abs(f.t_s - a.t_s) > warn_s]
    return out
