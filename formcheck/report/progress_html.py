"""The progress report as one self-contained HTML page, in the session report's look: the page a
person sends their physiotherapist. Every number on it comes from `store.progress.Progress`."""

from __future__ import annotations

import os
from collections.abc import Callable
from html import escape
from pathlib import Path

from formcheck.files import atomic_write
from formcheck.report.progress_figures import (
    VERDICT_WORDS,
    flexibility_figure,
    gentleness_figure,
    holds_figure,
    svg,
)
from formcheck.report.style import CSS
from formcheck.store.history import SessionRow
from formcheck.store.progress import VERDICTS, Progress, key_label
from formcheck.types import DISCLAIMER


def plan_text(p: Progress) -> str:
    items = ", ".join(f"{it.label} ×{it.reps}" for it in p.plan.items)
    lo, hi = p.plan.hold_s
    days = p.plan.days_per_week
    return f"{items}; each held {lo:g}–{hi:g} s; {'every day' if days == 7 else f'{days} days a week'}"


def gentleness_sentence(p: Progress) -> str:
    total = p.total_warnings
    if not p.sessions:
        return ""
    if total == 0:
        return f"No motion warnings in any of the {len(p.sessions)} sessions: every one was gentle."
    with_any = sum(1 for s in p.sessions if p.motion_warnings(s.id))
    return (
        f"{total} motion warning{'s' if total > 1 else ''} in {with_any} of {len(p.sessions)} sessions "
        "(jerks, bouncing, too far or twisting); the fewer over time, the gentler the stretching."
    )


def _calendar(p: Progress) -> str:
    rows = []
    for w in p.weeks:
        cells = "".join(
            f'<td class="day {"outside" if d is None else ("stretched" if d else "missed")}"></td>' for d in w.stretched
        )
        rows.append(f"<tr><th>{w.monday:%d %b}</th>{cells}<td>{w.days} of {w.planned} days</td></tr>")
    head = "".join(f"<th>{d}</th>" for d in ("M", "T", "W", "T", "F", "S", "S"))
    return (
        f'<table class="calendar" id="calendar" style="width:auto"><tr><th>week of</th>{head}<th>stretched</th></tr>'
        f"{''.join(rows)}</table>"
        '<p class="legend">green: a day with at least one hold; pink: a planned day without; grey: outside the '
        "period.</p>"
    )


def _holds(p: Progress) -> str:
    if not p.holds:
        return (
            f"<p>No holds were recognised in {'this session' if len(p.sessions) == 1 else 'these sessions'} yet, "
            "so there is nothing to count or measure. <code>formcheck explain</code> on a session says why.</p>"
        )
    rows = []
    for key, per in p.holds_per_week.items():
        for m, c in sorted(per.items()):
            cells = "".join(f'<td class="{v}">{c.get(v, 0)}</td>' for v in VERDICTS)
            rows.append(f"<tr><td>{m:%d %b %Y}</td><td>{escape(key_label(key))}</td>{cells}</tr>")
    fig = holds_figure(p)
    head = "".join(f"<th>{VERDICT_WORDS[v]}</th>" for v in VERDICTS)
    lo, hi = p.plan.hold_s
    return (
        f"<p>A hold is <b>in range</b> when it lasted {lo:g}–{hi:g} s, as the plan asks.</p>"
        f'<figure id="holds-plot">{svg(fig) if fig else ""}</figure>'
        f'<table id="holds-per-week"><tr><th>week of</th><th>stretch</th>{head}</tr>{"".join(rows)}</table>'
    )


def _flexibility(p: Progress) -> str:
    if not p.trends:
        if not p.holds:
            return "<p>Nothing measured yet.</p>"
        return "<p>No hold in this period could be measured (the body was not seen well enough).</p>"
    items = "".join(f"<li>{escape(t.sentence())}</li>" for t in p.trends)
    fig = flexibility_figure(p)
    return (
        f'<ul id="trends">{items}</ul>'
        '<p class="legend">Each point is the median of a day\'s holds. <b>Reach</b>: fingertips to the toes along '
        "the legs (negative = short of the toes). <b>Knee–chest</b>: the pulled knee to the lower breastbone "
        "(smaller = closer). <b>Hip flexion</b>: how far the trunk and thigh close at the hip (larger = deeper). "
        "A change inside the grey band is within what the same hold measures when another camera films it "
        "(the smallest real change, measured for each stretch): it can be the camera, not you.</p>"
        f'<figure id="flexibility-plot">{svg(fig) if fig else ""}</figure>'
    )


def _link(files: str | None, page: Path) -> str:
    if not files:
        return "–"
    report = Path(files) / "report.html"
    if not report.is_file():
        return "–"
    try:
        href = os.path.relpath(report.resolve(), page.resolve().parent)
    except ValueError:  # another drive on Windows
        href = report.resolve().as_uri()
    return f'<a href="{escape(Path(href).as_posix())}">report</a>'


def length_text(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _sessions(p: Progress, page: Path, link: Callable[[SessionRow], str] | None = None) -> str:
    """`link`: each session's report address (the web app's), instead of a path relative to `page`."""
    rows = []
    for s in p.sessions:
        its = _link(s.files, page) if link is None else (f'<a href="{escape(link(s))}">report</a>' if s.files else "–")
        n = p.motion_warnings(s.id)
        rows.append(
            f"<tr><td>{escape(s.started_at.replace('T', ' ')[:16])}</td><td>{escape(Path(s.source).name)}</td>"
            f"<td>{escape(s.kind)}</td><td>{length_text(s.duration_s)}</td><td>{s.holds}</td><td>{s.in_range}</td>"
            f"<td>{n}</td><td>{escape((s.gentleness or '–').replace('_', ' '))}</td>"
            f"<td>{its}</td></tr>"
        )
    return (
        '<table id="sessions" class="nowrap"><tr><th>when</th><th>video or camera</th><th>kind</th><th>length</th>'
        "<th>holds</th>"
        f"<th>in range</th><th>motion warnings</th><th>gentleness</th><th>its report</th></tr>{''.join(rows)}</table>"
    )


def render_progress_html(p: Progress, page: Path, link: Callable[[SessionRow], str] | None = None) -> str:
    period = f"{p.since:%d %b %Y} – {p.until:%d %b %Y}"
    head = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>formcheck progress – {period}</title><style>{CSS}</style></head><body>"
        f'<h1>Stretching progress</h1><p class="muted" id="period">{period} · plan: {escape(plan_text(p))}</p>'
    )
    foot = f"<footer>{escape(DISCLAIMER)}<br>Made by formcheck from its session history.</footer></body></html>"
    if p.state == "empty":
        return (
            head + f'<p id="empty">No sessions recorded between {period}. Each video you analyse '
            "(<code>formcheck analyze clip.mp4</code>) and each live session (<code>formcheck live</code>) is added "
            "here.</p>" + foot
        )
    in_range = p.holds_in_range
    pct = 100 * p.days_stretched / max(p.days_planned, 1)
    cards = (
        f'<div class="cards"><div class="card" id="card-days"><b>{p.days_stretched} of {p.days_planned}</b>'
        f"planned days stretched ({pct:.0f}%)</div>"
        f'<div class="card" id="card-holds"><b>{in_range} of {len(p.holds)}</b>holds in range</div>'
        f'<div class="card" id="card-sessions"><b>{len(p.sessions)}</b>session{"s" if len(p.sessions) != 1 else ""}'
        "</div></div>"
    )
    one = (
        "<p><b>One session so far.</b> Trends need sessions in at least two different weeks.</p>"
        if p.state == "one_session"
        else ""
    )
    gentle = gentleness_figure(p)
    return (
        head
        + cards
        + one
        + f'<h2>Adherence</h2><p id="adherence">{escape(p.adherence_sentence())}</p>{_calendar(p)}'
        + f"<h2>Holds per week</h2>{_holds(p)}"
        + f"<h2>Flexibility</h2>{_flexibility(p)}"
        + f'<h2>Gentleness</h2><p id="gentleness">{escape(gentleness_sentence(p))}</p>'
        + (f'<figure id="gentleness-plot">{svg(gentle)}</figure>' if gentle else "")
        + f"<h2>Sessions</h2>{_sessions(p, page, link)}"
        + foot
    )


def write_progress_html(p: Progress, path: Path) -> Path:
    text = render_progress_html(p, Path(path))
    return atomic_write(path, lambda f: f.write(text.encode("utf-8")))
