"""Rules as data: each a named check that the recognisers, `formcheck explain` and the live cue read.

A check names the feature it reads, how it compares, its enter and exit thresholds (strict to
start a hold, loose to keep one, so noise at a threshold cannot flicker a hold on and off), why
the threshold is where it is, and what to tell the person when it is the one that fails. Nothing
here is a boolean expression that a second place has to repeat to explain itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from formcheck.analysis.features import Features

Reader = Callable[[Features, str | None], float]
Op = Literal[">=", "<="]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One check on one frame: what was measured, against what, and how far it missed."""

    name: str
    passed: bool
    miss: float  # 0 when passed; else how far past the threshold, in units of its hysteresis
    cue: str
    reason: str
    describe: Callable[[], str]  # built only when asked for: the recognisers run on every frame
    # the same in words for a person: "knee bend (straighter leg) 121°, needs at most 45°"
    words: Callable[[], str] | None = None

    @property
    def text(self) -> str:
        """What was measured against what: "knee bend 38° < 45°"."""
        return self.describe()

    @property
    def plain(self) -> str:
        return self.words() if self.words is not None else self.describe()


@dataclass(frozen=True, slots=True)
class Threshold:
    """`read(features, side) op threshold`, with `enter` to start a hold and `exit` to keep it."""

    name: str
    read: Reader
    op: Op
    enter: float
    exit: float
    unit: str
    reason: str
    cue: str = ""
    # the scale a miss is measured in (how far from passing); default: the enter/exit gap
    scale: float | None = None

    def evaluate(self, f: Features, side: str | None, holding: bool) -> Outcome:
        v = self.read(f, side)
        limit = self.exit if holding else self.enter
        passed = v >= limit if self.op == ">=" else v <= limit
        scale = self.scale or max(abs(self.enter - self.exit), 1e-6)
        miss = 0.0 if passed else abs(v - limit) / scale
        return Outcome(
            self.name,
            passed,
            miss,
            self.cue,
            self.reason,
            lambda: self._text(v, limit, passed),
            lambda: self._words(v, limit),
        )

    def _text(self, v: float, limit: float, passed: bool) -> str:
        fmt = _fmt(self.unit)
        sign = self.op if passed else ("<" if self.op == ">=" else ">")
        return f"{self.name} {fmt(v)} {sign} {fmt(limit)}"

    def _words(self, v: float, limit: float) -> str:
        fmt = _words(self.unit)
        return f"{self.name} {fmt(v)}, needs {'at least' if self.op == '>=' else 'at most'} {fmt(limit)}"


@dataclass(frozen=True, slots=True)
class Condition:
    """A yes/no property (a posture, a direction): `read` returns 1.0 for yes; `exit_read`, if
    given, is what a running hold needs instead (looser, or always yes for a start-only guard)."""

    name: str
    read: Reader
    describe: Callable[[Features, str | None], str]  # the measured state in words
    needs: str  # what it has to be, in words
    reason: str
    cue: str = ""
    exit_read: Reader | None = None

    def evaluate(self, f: Features, side: str | None, holding: bool) -> Outcome:
        read = self.exit_read if holding and self.exit_read is not None else self.read
        passed = read(f, side) >= 1.0

        def text() -> str:
            return f"{self.name}: {self.describe(f, side)}" + ("" if passed else f" (needs {self.needs})")

        def words() -> str:
            return f"{self.name} {self.describe(f, side)}" + ("" if passed else f", needs {self.needs}")

        return Outcome(self.name, passed, 0.0 if passed else 1.0, self.cue, self.reason, text, words)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Passes when one of its checks does (a fold reaches down *or* is deep)."""

    name: str
    checks: tuple[Threshold, ...]
    reason: str
    cue: str = ""

    def evaluate(self, f: Features, side: str | None, holding: bool) -> Outcome:
        parts = [c.evaluate(f, side, holding) for c in self.checks]
        passed = any(p.passed for p in parts)
        miss = 0.0 if passed else min(p.miss for p in parts)

        def text() -> str:
            joiner = " or " if passed else " and "
            return f"{self.name}: " + joiner.join(p.text for p in parts if p.passed or not passed)

        def words() -> str:
            shown = [p for p in parts if p.passed] if passed else sorted(parts, key=lambda p: p.miss)[:1]
            return "; ".join(p.plain for p in shown)

        return Outcome(self.name, passed, miss, self.cue, self.reason, text, words)


Rule = Threshold | Condition | AnyOf


@dataclass(frozen=True, slots=True)
class Verdict:
    """All of one stretch's rules on one frame."""

    stretch: str  # forward_bend | knee_to_chest
    variant: str  # standing | seated | single | double
    side: str | None
    outcomes: tuple[Outcome, ...]

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    @property
    def distance(self) -> float:
        """How far from matching: failed rules first, then how far they missed."""
        return len(self.failed) + min(1.0, sum(o.miss for o in self.failed) / 10.0)

    @property
    def label(self) -> str:
        names = {"forward_bend": "forward bend", "knee_to_chest": "knee-to-chest"}
        return f"{names[self.stretch]} ({self.side + ', ' if self.side else ''}{self.variant})"


def evaluate(
    stretch: str, variant: str, rules: tuple[Rule, ...], f: Features, side: str | None, holding: bool
) -> Verdict:
    return Verdict(stretch, variant, side, tuple(r.evaluate(f, side, holding) for r in rules))


def _fmt(unit: str) -> Callable[[float], str]:
    if unit == "°":
        return lambda v: f"{v:.0f}°"
    if unit == "cm":
        return lambda v: f"{v:.0f} cm"
    return lambda v: f"{v:.2f}{(' ' + unit) if unit else ''}"


def _words(unit: str) -> Callable[[float], str]:
    """Units a person reads: how far down the leg the hands are, how far a hand is from the knee."""
    if unit == "leg":  # 0 at the hip, 1 at the ankle
        return lambda v: f"{v:.0%} of the way from hip to ankle"
    if unit == "body":
        return lambda v: f"{v:.2f} body sizes"
    return _fmt(unit)


def nearest_miss(verdicts: list[Verdict]) -> Verdict | None:
    """The stretch closest to matching among those that do not (None if one matches)."""
    if any(v.passed for v in verdicts) or not verdicts:
        return None
    return min(verdicts, key=lambda v: v.distance)
