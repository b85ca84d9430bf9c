"""`formcheck history`: the sessions, adherence to the plan and the flexibility trend, in the
terminal, as an HTML page (`--html`) or a PDF (`--pdf`) to send a physiotherapist."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from formcheck.cli.app import ConfigOpt, DbOpt, app, check_outputs, friendly_errors, out, recover
from formcheck.errors import FormcheckError

SHOWN = 12  # sessions listed in the terminal; the reports list them all


def _date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FormcheckError(f"{option} takes a date as YYYY-MM-DD, not {text!r}") from None


@app.command()
@friendly_errors
def history(
    db: DbOpt = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the progress report as a web page.", metavar="PATH")
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Write the progress report as a PDF.", metavar="PATH")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="First day of the period (YYYY-MM-DD).", metavar="DATE")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last day of the period (YYYY-MM-DD; default today).", metavar="DATE")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Past sessions, days stretched against the plan, and flexibility over the weeks."""
    from rich.table import Table

    from formcheck.settings import load_settings
    from formcheck.store.history import History, default_db
    from formcheck.store.progress import progress

    first, last = _date(since, "--since"), _date(until, "--until")
    if first and last and first > last:
        raise FormcheckError(f"--since {first} is after --until {last}")
    check_outputs(html=html, pdf=pdf)
    plan = load_settings(config).plan
    recover()
    path = db or default_db()
    # Reading creates nothing: a mistyped --db gets "no sessions" without a new empty file there.
    with History(path if path.exists() else ":memory:") as h:
        p = progress(h, plan, first, last)
        monday = date.today() - timedelta(days=date.today().weekday())
        this_week = progress(h, plan, monday, date.today())
        held_s = sum(secs or 0 for week, *_, secs in h.trends("week") if week == monday.isoformat())
    if p.state == "empty":
        where = path if path.exists() else f"{path} (no history there yet)"
        out.print(f"No sessions recorded {'in this period ' if since or until else ''}in {where}.", soft_wrap=True)
    else:
        t = Table(title=f"Sessions ({path})", title_justify="left")
        for col in ("#", "when", "source", "length", "holds", "in range", "warnings", "gentleness"):
            t.add_column(col)
        for r in p.sessions[-SHOWN:]:
            t.add_row(
                str(r.id),
                r.started_at.replace("T", " ")[:16],
                Path(r.source).name,
                f"{r.duration_s:.0f} s",
                str(r.holds),
                str(r.in_range),
                str(r.warnings),
                (r.gentleness or "-").replace("_", " "),
            )
        out.print(t)
        if len(p.sessions) > SHOWN:
            out.print(f"[dim]… and {len(p.sessions) - SHOWN} earlier sessions (the --html report lists all)[/]")
        week = this_week.weeks[-1] if this_week.weeks else None
        if week is not None and not (since or until):
            out.print(
                f"[bold]This week[/]: stretched on {week.days} of {week.planned} planned days so far, "
                f"{held_s:.0f} s held within the {plan.hold_s[0]:g}–{plan.hold_s[1]:g} s target."
            )
        out.print(f"[bold]Adherence[/] ({p.since} – {p.until}): {p.adherence_sentence()}")
        if p.trends:
            out.print(
                "[bold]Flexibility[/] (first week measured → latest; a change inside ± the measured noise "
                "can be the camera, not you)"
            )
            for trend in p.trends:
                out.print(f"  {trend.sentence()}")
        elif p.holds:
            out.print("[bold]Flexibility[/]: no hold could be measured yet.")
    if html is not None:
        from formcheck.report.progress_html import write_progress_html

        out.print(f"wrote {write_progress_html(p, html)}")
    if pdf is not None:
        from formcheck.report.progress_pdf import write_progress_pdf

        out.print(f"wrote {write_progress_pdf(p, pdf)}")
