"""The progress report's charts, drawn once as matplotlib figures: the HTML report inlines them
as SVG, the PDF report puts them on its pages. A chart is drawn only when it has data; the
reports say in a sentence what an empty one would have shown."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import TYPE_CHECKING

from formcheck.report.plots import VERDICT_COLORS
from formcheck.store.progress import VERDICTS, Progress, key_label, monday

if TYPE_CHECKING:
    from matplotlib.figure import Figure, SubFigure
    from matplotlib.patches import Rectangle

VERDICT_WORDS = {"in_range": "in range", "too_short": "too short", "too_long": "too long"}
KIND_COLORS = {"jerky_motion": "#8e44ad", "bouncing": "#d35400", "excessive_range": "#c0392b", "twist": "#2c3e50"}


def new_figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _target(into: Figure | SubFigure | None, width: float, height: float) -> Figure | SubFigure:
    """Draw on a figure of its own (the HTML page) or into a part of a PDF page."""
    return into if into is not None else new_figure(width, height)


def svg(fig: Figure | SubFigure) -> str:
    buf = io.StringIO()
    fig.figure.savefig(buf, format="svg")
    text = buf.getvalue()
    return text[text.index("<svg") :]


def holds_figure(p: Progress, into: Figure | SubFigure | None = None) -> Figure | SubFigure | None:
    """Per stretch and side, holds per week stacked by verdict."""
    keys = list(p.holds_per_week)
    if not keys:
        return None
    weeks = [w.monday for w in p.weeks]
    fig = _target(into, 9.5, 1.0 + 1.7 * len(keys))
    axes = fig.subplots(len(keys), 1, sharex=True, squeeze=False)[:, 0]
    x = list(range(len(weeks)))
    top = max(sum(c.values()) for per in p.holds_per_week.values() for c in per.values())
    for ax, key in zip(axes, keys, strict=True):
        base = [0] * len(weeks)
        for verdict in VERDICTS:
            per_week = p.holds_per_week[key]
            n = [per_week[m][verdict] if m in per_week else 0 for m in weeks]
            ax.bar(x, n, bottom=base, color=VERDICT_COLORS[verdict], label=VERDICT_WORDS[verdict], width=0.7)
            base = [a + b for a, b in zip(base, n, strict=True)]
        ax.set_ylim(0, top * 1.15 + 0.5)
        ax.set_ylabel("holds")
        ax.set_title(key_label(key), loc="left", fontsize=10)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(fontsize=8, ncol=3, loc="upper right")
    axes[-1].set_xticks(x, [f"{m:%d %b}" for m in weeks], fontsize=8)
    axes[-1].set_xlabel("week starting")
    return fig


def flexibility_figure(p: Progress, into: Figure | SubFigure | None = None) -> Figure | SubFigure | None:
    """Every flexibility measure measured on two days or more, over time, with the noise band around
    the first week's value: a point outside the band is a change the measurement can tell from noise.
    A measure of one day is a sentence, not a one-dot chart (None when no measure has two days)."""
    import matplotlib.dates as mdates

    charted = [t for t in p.trends if len(t.points) >= 2]
    if not charted:
        return None
    fig = _target(into, 9.5, 0.6 + 2.1 * len(charted))
    axes = fig.subplots(len(charted), 1, sharex=True, squeeze=False)[:, 0]
    lo, hi = p.since - timedelta(days=1), p.until + timedelta(days=1)
    for ax, t in zip(axes, charted, strict=True):
        days = [d for d, _ in t.points]
        values = [v for _, v in t.points]
        ax.axhspan(t.first - t.noise, t.first + t.noise, color="#9e9e9e", alpha=0.22, lw=0)
        ax.axhline(t.first, color="#9e9e9e", lw=0.8)
        ax.plot(days, values, marker="o", color="#1f77b4", lw=1.5)
        ax.set_xlim(lo, hi)
        ax.set_ylabel("cm" if t.measure == "cm" else "degrees")
        better = "higher" if t.higher_is_better else "lower"
        ax.set_title(
            f"{key_label(t.key)}: {t.name} ({better} is better; grey: ±{t.noise:g}{t.unit} noise around the "
            "first week)",
            loc="left",
            fontsize=10,
        )
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelsize=8)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # days, never hours
        if (hi - lo).days <= 14:
            ax.xaxis.set_major_locator(mdates.DayLocator())
    for label in axes[-1].get_xticklabels():
        label.set(rotation=30, ha="right")
    return fig


def gentleness_figure(p: Progress, into: Figure | SubFigure | None = None) -> Figure | SubFigure | None:
    """Motion warnings per session, week by week, stacked by kind (None when no session had one):
    per session, so a week with more sessions does not look less gentle."""
    kinds = sorted({k for per in p.warnings.values() for k in per})
    if not kinds or not p.sessions:
        return None
    fig = _target(into, 9.5, 2.8)
    ax = fig.add_subplot(1, 1, 1)
    weeks = [w.monday for w in p.weeks]
    x = list(range(len(weeks)))
    sessions = {m: [s for s in p.sessions if monday(date.fromisoformat(s.day)) == m] for m in weeks}
    base = [0.0] * len(weeks)
    for kind in kinds:
        n = [
            sum(p.warnings.get(s.id, {}).get(kind, 0) for s in sessions[m]) / len(sessions[m]) if sessions[m] else 0.0
            for m in weeks
        ]
        ax.bar(x, n, bottom=base, color=KIND_COLORS.get(kind, "#7f8c8d"), label=kind.replace("_", " "), width=0.7)
        base = [a + b for a, b in zip(base, n, strict=True)]
    ax.set_xticks(x, [f"{m:%d %b}" for m in weeks], fontsize=8)
    ax.set_ylabel("warnings per session")
    ax.set_xlabel("week starting")
    ax.legend(fontsize=8, ncol=len(kinds))
    ax.grid(axis="y", alpha=0.3)
    return fig


def calendar_figure(p: Progress, into: Figure | SubFigure | None = None) -> Figure | SubFigure | None:
    """The adherence strip for the PDF (the HTML report draws the same weeks as a table)."""
    if not p.weeks:
        return None
    fig = _target(into, 9.5, 0.7 + 0.32 * len(p.weeks))
    ax = fig.add_subplot(1, 1, 1)
    for row, w in enumerate(p.weeks):
        for col, done in enumerate(w.stretched):
            color = "#eeeeee" if done is None else ("#5cb85c" if done else "#f3d9d9")
            ax.add_patch(_rect(col, -row, color))
        ax.text(7.3, -row + 0.45, f"{w.days} of {w.planned} days", va="center", fontsize=8)
        ax.text(-0.2, -row + 0.45, f"{w.monday:%d %b}", va="center", ha="right", fontsize=8)
    for col, name in enumerate("MTWTFSS"):
        ax.text(col + 0.45, 1.2, name, ha="center", fontsize=8)
    ax.set_aspect("equal")
    ax.set_xlim(-1.6, 9.2)
    ax.set_ylim(-len(p.weeks) + 0.8, 1.6)
    ax.axis("off")
    return fig


def _rect(col: int, row: int, color: str) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle((col, row), 0.9, 0.9, color=color)
