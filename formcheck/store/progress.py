"""Progress over weeks, from the history: adherence to the plan, holds by verdict, flexibility
trends judged against the measurement noise, gentleness. One summary for every view of it (the
HTML and PDF progress reports, the terminal's `formcheck history`), so they never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from formcheck.analysis.routine import NAMES, Plan
from formcheck.stats import smallest_change, typical
from formcheck.store.history import History, HoldRow, SessionRow

VERDICTS = ("in_range", "too_short", "too_long")
Key = tuple[str, str | None]  # (stretch, side) for a knee hug, (stretch, standing/seated) for a fold


def key_of(h: HoldRow) -> Key:
    """A standing and a seated fold reach differently far: each is followed on its own."""
    return (h.stretch, h.variant if h.stretch == "forward_bend" else h.side)


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def key_label(key: Key) -> str:
    return NAMES[key[0]] + (f" ({key[1]})" if key[1] else "")


@dataclass(frozen=True, slots=True)
class Week:
    """One calendar week of the period: which of its days had a stretch, against the plan."""

    monday: date
    stretched: tuple[bool | None, ...]  # Monday..Sunday; None where the day is outside the period
    planned: int

    @property
    def days(self) -> int:
        return sum(1 for d in self.stretched if d)


@dataclass(frozen=True, slots=True)
class Trend:
    """One flexibility measure of one stretch and side: a point per day measured (the median of
    the day's holds) and the change from the first week measured to the latest."""

    key: Key
    measure: str  # "cm" or "hip"
    points: tuple[tuple[date, float], ...]
    first: float  # median of the first measured week's day values
    last: float  # ... and of the latest measured week's
    weeks: int  # whole weeks between those two weeks
    camera_sides: tuple[str | None, ...] = ()  # the sides of the body toward the camera (None: not recorded)

    @property
    def one_side(self) -> bool:
        """Every hold filmed from the same side of the body: the finer band applies."""
        return len(self.camera_sides) == 1 and self.camera_sides[0] is not None

    @property
    def noise(self) -> float:
        """The smallest real change for this measure and stretch (MDC95, `formcheck.stats`): finer
        when every session filmed the same side of the body."""
        return smallest_change(self.measure, self.key[0], self.key[1], same_side=self.one_side)

    @property
    def name(self) -> str:
        if self.measure == "hip":
            return "hip flexion"
        return "reach" if self.key[0] == "forward_bend" else "knee–chest distance"

    @property
    def unit(self) -> str:
        return " cm" if self.measure == "cm" else "°"

    @property
    def higher_is_better(self) -> bool:
        return not (self.measure == "cm" and self.key[0] == "knee_to_chest")  # a knee hug's distance shrinks

    @property
    def better(self) -> float:
        """The change, signed so that positive is progress."""
        change = self.last - self.first
        return change if self.higher_is_better else -change

    @property
    def beyond_noise(self) -> bool:
        return self.weeks > 0 and abs(self.last - self.first) >= self.noise

    def sentence(self) -> str:
        """ "Forward bend: reach improved 6 cm over 4 weeks (-14 → -8 cm), beyond the ±4.1 cm noise." """
        head = f"{key_label(self.key)}: {self.name}"
        fmt = "{:+.0f}" if (self.measure == "cm" and self.key[0] == "forward_bend") else "{:.0f}"
        span = f"({fmt.format(self.first)} → {fmt.format(self.last)}{self.unit})"
        size = f"{abs(self.last - self.first):.0f}{self.unit}"
        band = f"±{self.noise:g}{self.unit.strip() and self.unit}"
        if self.weeks == 0:
            return f"{head} {fmt.format(self.last)}{self.unit}, measured in one week so far: a trend needs two."
        over = f"over {self.weeks} week{'s' if self.weeks > 1 else ''}"
        if not self.beyond_noise:
            text = f"{head} changed {size} {over} {span}, within the {band} noise: no real change yet."
        elif self.better > 0:
            text = f"{head} improved {size} {over} {span}, beyond the {band} noise."
        else:
            text = (
                f"{head} went down {size} {over} {span}, beyond the {band} noise: fine on a stiff day; "
                "if it stays, ask your physiotherapist."
            )
        if len([s for s in self.camera_sides if s]) > 1:
            finer = smallest_change(self.measure, self.key[0], self.key[1], same_side=True)
            unit = self.unit.strip() and self.unit
            text += f" Filmed from both sides; from one side each time the noise is ±{finer:g}{unit}."
        return text


@dataclass(frozen=True, slots=True)
class Progress:
    since: date
    until: date
    plan: Plan
    sessions: list[SessionRow]
    holds: list[HoldRow]
    weeks: list[Week]
    holds_per_week: dict[Key, dict[date, Counter[str]]] = field(default_factory=dict)
    trends: list[Trend] = field(default_factory=list)
    warnings: dict[int, dict[str, int]] = field(default_factory=dict)  # session id -> kind -> count

    @property
    def days_stretched(self) -> int:
        return sum(w.days for w in self.weeks)

    @property
    def days_planned(self) -> int:
        return sum(w.planned for w in self.weeks)

    @property
    def state(self) -> str:
        """What the reports can show: "empty", "no_holds", "one_session" or "full"."""
        if not self.sessions:
            return "empty"
        if not self.holds:
            return "no_holds"
        return "one_session" if len(self.sessions) == 1 else "full"

    @property
    def holds_in_range(self) -> int:
        return sum(1 for h in self.holds if h.verdict == "in_range")

    def motion_warnings(self, session_id: int) -> int:
        return sum(self.warnings.get(session_id, {}).values())

    @property
    def total_warnings(self) -> int:
        return sum(self.motion_warnings(s.id) for s in self.sessions)

    def adherence_sentence(self) -> str:
        if not self.weeks:
            return "No days in this period."
        pct = 100 * self.days_stretched / max(self.days_planned, 1)
        missed = [w for w in self.weeks if w.days == 0 and w.planned > 0]
        text = (
            f"Stretched on {self.days_stretched} of {self.days_planned} planned days ({pct:.0f}%) over "
            f"{len(self.weeks)} week{'s' if len(self.weeks) > 1 else ''}; the plan is {self.plan.days_per_week} "
            f"day{'s' if self.plan.days_per_week > 1 else ''} a week."
        )
        if missed:
            text += f" No stretching in the week{'s' if len(missed) > 1 else ''} of " + ", ".join(
                f"{w.monday:%d %b}" for w in missed
            )
            text += "."
        return text


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _weeks(since: date, until: date, days: set[date], plan: Plan) -> list[Week]:
    out, m = [], monday(since)
    while m <= until:
        inside = [since <= m + timedelta(days=i) <= until for i in range(7)]
        stretched = tuple((m + timedelta(days=i)) in days if inside[i] else None for i in range(7))
        out.append(Week(m, stretched, min(plan.days_per_week, sum(inside))))
        m += timedelta(days=7)
    return out


def _trends(holds: list[HoldRow]) -> list[Trend]:
    series: dict[tuple[Key, str], dict[date, list[float]]] = {}
    sides: dict[tuple[Key, str], set[str | None]] = {}
    for h in holds:
        for measure, value in (("cm", h.cm), ("hip", h.hip_deg)):
            if value is not None:
                series.setdefault((key_of(h), measure), {}).setdefault(_day(h.day), []).append(value)
                sides.setdefault((key_of(h), measure), set()).add(h.camera_side)
    out = []
    for (key, measure), by_day in sorted(series.items(), key=lambda kv: (kv[0][0][0], kv[0][0][1] or "", kv[0][1])):
        points = tuple((d, float(typical(v))) for d, v in sorted(by_day.items()))  # type: ignore[arg-type]
        by_week: dict[date, list[float]] = {}
        for d, v in points:
            by_week.setdefault(monday(d), []).append(v)
        first, last = min(by_week), max(by_week)
        first_v, last_v = typical(by_week[first]), typical(by_week[last])
        assert first_v is not None and last_v is not None
        seen = tuple(sorted(sides[(key, measure)], key=lambda s: s or ""))
        out.append(Trend(key, measure, points, first_v, last_v, (last - first).days // 7, seen))
    return out


def progress(
    history: History, plan: Plan | None = None, since: date | None = None, until: date | None = None
) -> Progress:
    """The progress of [since, until] (default: from the first session to today, or to the last
    session if that is later): every count in it comes from the history's rows."""
    plan = plan or Plan()
    iso = (since.isoformat() if since else None, until.isoformat() if until else None)
    sessions = history.sessions(*iso)
    holds = history.holds(*iso)
    days = [_day(s.started_at) for s in sessions]
    start = since or (min(days) if days else date.today())
    end = until or max([date.today(), *days])
    stretched_days = {_day(h.day) for h in holds}
    per_week: dict[Key, dict[date, Counter[str]]] = {}
    for h in holds:
        per_week.setdefault(key_of(h), {}).setdefault(monday(_day(h.day)), Counter())[h.verdict] += 1
    return Progress(
        since=start,
        until=end,
        plan=plan,
        sessions=sessions,
        holds=holds,
        weeks=_weeks(start, end, stretched_days, plan),
        holds_per_week=dict(sorted(per_week.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))),
        trends=_trends(holds),
        warnings=history.motion_warnings(*iso),
    )
