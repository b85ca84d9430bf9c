"""A self-contained HTML session report: one file, no network, opens from disk.

Everything is inline (CSS, the SVG plot, thumbnails as data: URIs); every user-provided string
(file names, messages) goes through html.escape.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from formcheck.analysis.routine import NAMES, Plan
from formcheck.files import atomic_write
from formcheck.report.flexibility import flexibility_text
from formcheck.report.plots import angles_svg
from formcheck.report.style import CSS
from formcheck.types import DISCLAIMER, SessionResult


def _fmt(v: float | None, unit: str = "", digits: int = 1, prefix: str = "") -> str:
    return "–" if v is None else f"{prefix}{v:.{digits}f}{unit}"


# Where a session's date comes from, in words (SourceInfo.recorded_from).
DATE_FROM = {
    "container": "the date the camera wrote into the video",
    "file": "the video file's date",
    "live": "a live session",
    "given": "the date given with --date",
    "now": "the date it was analysed",
}


def recorded_words(result: SessionResult) -> str:
    """ "Friday 20 November 2026 at 17:42" (or "" when unknown)."""
    from datetime import datetime

    at = result.source.recorded_at
    if not at:
        return ""
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return at
    return f"{when:%A} {when.day} {when:%B %Y} at {when:%H:%M}"


def _nothing(result: SessionResult) -> str:
    """No hold: say so, the nearest miss in words, and how to find out why."""
    near = result.not_counted[0] if result.not_counted else None
    nearest = (
        f"<p>Closest: {escape(near)}.</p>"
        if near
        else "<p>Nothing close to either stretch was seen: the person may be out of the picture, too far "
        "away, or doing another exercise.</p>"
    )
    name = escape(Path(result.source.path).name)
    return (
        '<section id="nothing"><h2>No stretch was recognised</h2>'
        "<p>formcheck did not see a knee-to-chest or a forward bend held in this recording.</p>"
        f"{nearest}<p>To see why, run <code>formcheck explain {name}</code>: it checks every rule of both "
        "stretches against what it measured, and says what to change.</p></section>"
    )


def render_html(result: SessionResult, plan: Plan | None = None, thumbnails: dict[int, bytes] | None = None) -> str:
    plan = plan or Plan()
    src, fr = result.source, result.frames
    lo, hi = result.target_hold_s
    done = plan.done(result.holds)
    in_range_s = sum(min(h.duration_s, hi) for h in result.holds if h.duration_s >= lo)
    cards = [
        f'<div class="card"><b>{len(result.holds)}</b>holds</div>',
        f'<div class="card"><b>{in_range_s:.0f} s</b>held within the {lo:g}–{hi:g} s target</div>',
        f'<div class="card"><b>{escape(str(result.summary.get("gentleness", "–")).replace("_", " "))}</b>'
        f"{result.summary.get('motion_warnings', 0)} motion warning(s)</div>",
    ]
    plan_rows = "".join(f"<tr><td>{escape(it.label)}</td><td>{done[it]} / {it.reps}</td></tr>" for it in plan.items)
    hold_rows = []
    for i, h in enumerate(result.holds):
        name = NAMES[h.stretch] + (f" ({h.side})" if h.side else f" ({h.variant})")
        warn = "; ".join(escape(w.message) for w in h.warnings) or "–"
        hold_rows.append(
            f"<tr><td>{h.rep}</td><td>{escape(name)}</td><td>{h.start_s:.1f}–{h.end_s:.1f} s</td>"
            f'<td>{h.duration_s:.1f} s</td><td class="{h.verdict}">{h.verdict.replace("_", " ")}'
            f"{' (still going at the end)' if h.open_at_end else ''}</td><td>{escape(flexibility_text(h))}</td>"
            f"<td>{h.peak_hip_flexion_deg:.0f}°</td>"
            f"<td>{_fmt(h.knee_flexion_deg, '°', 0)}</td><td>{_fmt(h.steadiness_deg, '°', 1, '±')}</td>"
            f"<td>{_fmt(h.entry_smoothness, '', 1)}</td><td>{warn}</td></tr>"
        )
        del i
    thumbs = ""
    if thumbnails:
        figs = []
        for i, h in enumerate(result.holds):
            if i in thumbnails:
                b64 = base64.b64encode(thumbnails[i]).decode()
                cap = f"{NAMES[h.stretch]} {h.side or ''} #{h.rep} at {(h.start_s + h.end_s) / 2:.0f} s"
                img = f'<img alt="{escape(cap)}" src="data:image/jpeg;base64,{b64}">'
                # large on the page, and a click shows it at full size (a CSS :target view, no script)
                figs.append(
                    f'<figure><a href="#keyframe-{i}" title="show full size">{img}</a>'
                    f"<figcaption>{escape(cap)} (click to enlarge)</figcaption></figure>"
                    f'<a class="lightbox" id="keyframe-{i}" href="#keyframes" title="close">{img}</a>'
                )
        thumbs = f'<h2 id="keyframes">Key frames</h2><div class="thumbs">{"".join(figs)}</div>' if figs else ""
    warnings = "".join(f"<li>{w.t_s:.1f} s — {escape(w.message)}</li>" for w in result.warnings) or "<li>none</li>"
    notices = "".join(f"<li>{n.t_s:.1f} s — {escape(n.message)}</li>" for n in result.notices)
    partial = (
        f"<p><b>This session was interrupted at {src.duration_s:.1f} s; the report covers what was recorded "
        "until then.</b></p>"
        if result.partial
        else ""
    )
    when = recorded_words(result)
    who = f" – {escape(result.person)}" if result.person else ""
    dated = (
        f'<p class="when" id="recorded">Recorded {escape(when)} <span class="muted">'
        f"({escape(DATE_FROM.get(src.recorded_from or '', 'date'))})</span> · "
        f"{src.duration_s / 60:.0f} min {src.duration_s % 60:.0f} s · {escape(Path(src.path).name)}</p>"
        if when
        else f'<p class="when">{src.duration_s:.0f} s · {escape(Path(src.path).name)}</p>'
    )
    if not result.holds:
        body = _nothing(result)
    else:
        body = f"""<div class="cards">{"".join(cards)}</div>
<p>{escape(str(result.summary.get("text", "")))}</p>
<h2>Plan</h2><table><tr><th>stretch</th><th>holds done</th></tr>{plan_rows}</table>"""
    holds_table = (
        ""
        if not result.holds
        else f"""<h2>Holds</h2>
<table id="holds"><tr><th>#</th><th>stretch</th><th>time</th><th>held</th><th>verdict</th><th>flexibility</th>
<th>deepest hip angle</th><th>knee bend</th><th>wobble while held</th><th>entry smoothness</th><th>warnings</th></tr>
{"".join(hold_rows)}</table>
<p class="legend" id="holds-legend"><b>Flexibility</b>: reach is fingertips to toes along the legs (negative =
short of the toes); knee–chest is the pulled knee to the lower breastbone (smaller = closer).
<b>Deepest hip angle</b>: how far trunk and thigh closed at the hip (0° = standing straight).
<b>Knee bend</b>: 0° is a straight leg. <b>Wobble while held</b>: how much the hip angle moved during the hold
(± degrees; a few degrees is breathing and camera noise). <b>Entry smoothness</b>: how smoothly the stretch was
entered (log dimensionless jerk): higher, closer to 0, is smoother; an ideally smooth reach scores about −6, the
gentle entries of our test clips −10 to −13. A jerk into the stretch also raises a “jerky motion” warning.</p>
{thumbs}"""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>formcheck report – {escape(Path(src.path).name)}{f" – {escape(when)}" if when else ""}</title>
<style>{CSS}</style></head>
<body>
<h1>Stretching session{who}</h1>
{dated}
{partial}
{body}
<h2>Angles over time</h2>
<figure id="angles-plot">{angles_svg(result)}</figure>
{holds_table}
<h2>Warnings</h2><ul>{warnings}</ul>
{f"<h2>Set-up notes</h2><ul>{notices}</ul>" if notices else ""}
<p class="legend" id="about">About this recording: {escape(src.path)} · {src.fps:g} fps · {src.width}×{src.height}
 · {fr.total} frames ({fr.with_person} with a person, {fr.rejected} rejected)
 · {escape(str(result.sampling.get("mode", "")).replace("_", " "))} analysis.</p>
<footer>{escape(DISCLAIMER)}<br>Made by formcheck; target hold {lo:g}–{hi:g} s.</footer>
</body></html>
"""


def write_html(
    result: SessionResult, path: Path, plan: Plan | None = None, thumbnails: dict[int, bytes] | None = None
) -> Path:
    text = render_html(result, plan, thumbnails)
    return atomic_write(path, lambda f: f.write(text.encode("utf-8")))
