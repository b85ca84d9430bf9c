"""`formcheck report` and `formcheck history`: stored sessions, re-rendered and followed over time."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from formcheck.cli import DbOpt, app, friendly_errors, out
from formcheck.errors import FormcheckError


@app.command()
@friendly_errors
def report(
    session: Annotated[Path, typer.Argument(help="A session folder, its track (.npz) or its report (.json).")],
    fmt: Annotated[str, typer.Option("--format", help="html, csv, json or all.")] = "all",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Where to write (default: beside the session).", metavar="DIR")
    ] = None,
) -> None:
    """Re-render a stored session's reports (the track is re-analysed with this formcheck)."""
    from formcheck.report.outputs import FORMATS, load_session, write_outputs

    formats = FORMATS if fmt == "all" else (fmt,)
    if any(f not in FORMATS for f in formats):
        raise FormcheckError(f"unknown format {fmt!r}; use html, csv, json or all")
    result = load_session(session)
    folder = out_dir or (session if session.is_dir() else session.parent)
    for written in write_outputs(result, folder, formats):
        out.print(f"wrote {written}")


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
