"""The progress report as a PDF, with matplotlib alone (no browser): a first page of sentences
and the adherence strip, then the same charts as the HTML page, then the sessions."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.files import atomic_write
from formcheck.report.progress_figures import (
    calendar_figure,
    flexibility_figure,
    gentleness_figure,
    holds_figure,
    new_figure,
)
from formcheck.report.progress_html import gentleness_sentence, length_text, plan_text
from formcheck.store.progress import Progress
from formcheck.types import DISCLAIMER

if TYPE_CHECKING:
    from matplotlib.figure import Figure, SubFigure

A4 = (8.27, 11.69)


def _text(into: Figure | SubFigure, title: str, lines: list[tuple[str, str]]) -> None:
    """Headed paragraphs, wrapped to the page width, from the top of `into` down."""
    height = into.get_window_extent().height / into.figure.dpi  # inches
    step = 0.2 / height
    y = 1 - 0.5 / height
    into.text(0.07, y, title, fontsize=17, weight="bold", va="top")
    y -= 2.2 * step
    for head, body in lines:
        if head:
            into.text(0.07, y, head, fontsize=12, weight="bold", va="top")
            y -= 1.4 * step
        for para in body.split("\n"):
            for line in textwrap.wrap(para, 95) or [""]:
                into.text(0.07, y, line, fontsize=9.5, va="top")
                y -= step
        y -= 0.6 * step


def _sessions_page(p: Progress) -> Figure:
    fig = new_figure(*A4)
    fig.set_layout_engine("none")
    fig.text(0.07, 0.95, "Sessions", fontsize=14, weight="bold", va="top")
    ax = fig.add_axes((0.05, 0.08, 0.9, 0.83))
    ax.axis("off")
    rows = [
        [
            s.started_at.replace("T", " ")[:16],
            "\n".join(textwrap.wrap(Path(s.source).name, 30, break_on_hyphens=False) or [""]),
            length_text(s.duration_s),
            str(s.holds),
            str(s.in_range),
            str(p.motion_warnings(s.id)),
        ]
        for s in p.sessions[-40:]
    ]
    table = ax.table(
        cellText=rows,
        colLabels=["when", "video or camera", "length", "holds", "in range", "motion warnings"],
        loc="upper left",
        cellLoc="left",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1, 1.3)
    base = table[0, 0].get_height()
    for (row, _col), cell in table.get_celld().items():  # a wrapped name makes its row taller, not cut
        if row > 0:
            cell.set_height(base * rows[row - 1][1].count("\n") + base)
    if len(p.sessions) > 40:
        fig.text(0.07, 0.05, f"The latest 40 of {len(p.sessions)} sessions.", fontsize=8)
    return fig


def write_progress_pdf(p: Progress, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    period = f"{p.since:%d %b %Y} – {p.until:%d %b %Y}"
    lines = [("", f"{period}\nPlan: {plan_text(p)}")]
    if p.state == "empty":
        lines.append(("", f"No sessions recorded between {period}."))
    else:
        lines.append(("Adherence", p.adherence_sentence()))
        in_range = p.holds_in_range
        holds = f"{in_range} of {len(p.holds)} holds in range." if p.holds else "No holds recognised yet."
        lines.append(("Holds", holds))
        trends = "\n".join(t.sentence() for t in p.trends) or "Nothing measured yet."
        lines.append(("Flexibility", trends))
        lines.append(("Gentleness", gentleness_sentence(p)))
    lines.append(("", DISCLAIMER))
    first = new_figure(*A4)
    pages = [first]
    if p.state == "empty":
        _text(first, "Stretching progress", lines)
    else:
        top, bottom = first.subfigures(2, 1, height_ratios=[3, 2])  # type: ignore[misc]
        _text(top, "Stretching progress", lines)
        calendar_figure(p, bottom)
        charts = new_figure(*A4)
        gentle = p.total_warnings > 0
        if p.holds_per_week:
            if gentle:
                upper, lower = charts.subfigures(2, 1, height_ratios=[3, 2])  # type: ignore[misc]
                holds_figure(p, upper)
                gentleness_figure(p, lower)
            else:
                holds_figure(p, charts)
            pages.append(charts)
        elif gentle:
            gentleness_figure(p, charts)
            pages.append(charts)
        if p.trends:
            flex = new_figure(*A4)
            flexibility_figure(p, flex)
            pages.append(flex)
        pages.append(_sessions_page(p))

    def write(f: object) -> None:
        with PdfPages(f) as pdf:
            for i, fig in enumerate(pages):
                engine = fig.get_layout_engine()
                if isinstance(engine, ConstrainedLayoutEngine):
                    engine.set(rect=(0.0, 0.03, 1.0, 0.97))  # room for the page footer
                fig.text(0.5, 0.012, f"formcheck · {period} · page {i + 1} of {len(pages)}", ha="center", fontsize=7)
                pdf.savefig(fig)
            info = pdf.infodict()
            info["Title"] = f"Stretching progress {period}"
            info["Creator"] = "formcheck"

    return atomic_write(path, write)
