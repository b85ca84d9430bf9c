"""`formcheck history`: every session, the time held in range, and flexibility over the weeks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from formcheck.cli.app import DbOpt, app, friendly_errors, out
from formcheck.errors import FormcheckError


@app.command()
@friendly_errors
def history(
    db: DbOpt = None,
    by: Annotated[str, typer.Option("--by", help="Trend period: day or week.")] = "week",
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write a chart of the trend.", metavar="PATH")
    ] = None,
) -> None:
    """List past sessions and the trend of hold time in range per stretch and side."""
    from rich.table import Table

    from formcheck.store.history import History

    if by not in ("day", "week"):
        raise FormcheckError("--by takes day or week")
    with History(db) as h:
        rows, trend, flex = h.sessions(), h.trends(by), h.flexibility()
    if not rows:
        out.print(f"No sessions recorded yet in {h.path}.")
        return
    t = Table(title=f"Sessions ({h.path})", title_justify="left")
    for col in ("#", "when", "source", "length", "holds", "in range", "warnings", "gentleness"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            str(r.id),
            r.started_at.replace("T", " "),
            Path(r.source).name,
            f"{r.duration_s:.0f} s",
            str(r.holds),
            str(r.in_range),
            str(r.warnings),
            (r.gentleness or "-").replace("_", " "),
        )
    out.print(t)
    tt = Table(title=f"Hold time in range per {by}", title_justify="left")
    for col in (by, "stretch", "side", "holds", "seconds in range"):
        tt.add_column(col)
    for period, stretch, side, n, secs in trend:
        tt.add_row(period, stretch.replace("_", " "), side or "-", str(n), f"{secs or 0:.0f}")
    out.print(tt)
    if flex:
        out.print("[bold]Flexibility[/] (first day → latest day, median of the day's holds)")
        for f in flex:
            out.print(f"  {f.text()}")
    if html is not None:
        from formcheck.report.history_html import write_history_html

        out.print(f"wrote {write_history_html(rows, trend, by, html)}")
