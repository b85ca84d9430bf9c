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


def _delete(path: Path, words: list[str]) -> None:
    """`formcheck history delete ID...`: one line per session removed; unknown ids are an error."""
    from formcheck.store.history import History

    if words[0] != "delete" or len(words) < 2:
        raise FormcheckError(f"unknown history action {' '.join(words)!r}: try 'formcheck history delete ID…'")
    try:
        ids = [int(w) for w in words[1:]]
    except ValueError:
        raise FormcheckError(f"history delete takes session numbers (the # column), not {words[1:]}") from None
    if not path.exists():
        raise FormcheckError(f"no history at {path}")
    with History(path) as h:
        known = {r.id for r in h.sessions()}
        missing = [i for i in ids if i not in known]
        if missing:
            raise FormcheckError(f"no session {', '.join(map(str, missing))} in {path} (formcheck history lists them)")
        for r in h.delete(ids):
            out.print(f"deleted session {r.id}: {Path(r.source).name}, recorded {r.started_at.replace('T', ' ')}")


def _show(path: Path, sid: int) -> None:
    """`formcheck history --show ID`: one session in full, as recorded."""
    from formcheck.report.flexibility import hold_row_text
    from formcheck.store.history import History

    with History(path if path.exists() else ":memory:") as h:
        row = h.session(sid)
        if row is None:
            raise FormcheckError(f"no session {sid} in {path} (formcheck history lists them)")
        holds = [x for x in h.holds() if x.session_id == sid]
        warnings = h.motion_warnings().get(sid, {})
    out.print(f"[bold]Session {row.id}[/]: {row.source}", soft_wrap=True)
    out.print(
        f"recorded {row.started_at.replace('T', ' ')}"
        + (f", analysed {row.analysed_at.replace('T', ' ')}" if row.analysed_at else "")
        + f"; {row.duration_s:.0f} s"
        + (" (stopped early: what was recorded)" if row.partial else "")
    )
    if row.files:
        out.print(f"reports: {row.files}", soft_wrap=True)
    for x in holds:
        out.print(f"  {hold_row_text(x)}")
    if not holds:
        out.print("  no stretch was recognised")
    out.print("motion warnings: " + (", ".join(f"{k.replace('_', ' ')} ×{n}" for k, n in warnings.items()) or "none"))


@app.command()
@friendly_errors
def history(
    action: Annotated[
        list[str] | None,
        typer.Argument(
            help="delete ID…: remove those sessions (the # column) from the history.", metavar="[delete ID…]"
        ),
    ] = None,
    show: Annotated[int | None, typer.Option("--show", help="One session in full.", metavar="ID")] = None,
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
    from rich import box
    from rich.padding import Padding
    from rich.table import Table

    from formcheck.report.progress_html import length_text
    from formcheck.settings import load_settings
    from formcheck.store.history import History, default_db
    from formcheck.store.progress import progress

    if action:
        return _delete(db or default_db(), action)
    if show is not None:
        return _show(db or default_db(), show)
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
        t = Table(title=f"Sessions ({path})", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        for col in ("#", "recorded", "clip", "length", "in range", "motion"):
            numeric = col in ("#", "length", "in range")
            t.add_column(
                col, justify="right" if numeric else "left", no_wrap=col != "clip", overflow="fold",
                min_width=12 if col == "clip" else None,
            )  # fmt: skip
        for r in p.sessions[-SHOWN:]:
            motion = (r.gentleness or "-").replace("_", " ")
            if r.warnings:
                motion += f", {r.warnings} warning{'s' if r.warnings != 1 else ''}"
            t.add_row(
                str(r.id),
                r.started_at.replace("T", " ")[:16],
                Path(r.source).name,
                length_text(r.duration_s),
                f"{r.in_range} of {r.holds}",
                motion,
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
                out.print(Padding(trend.sentence(), (0, 0, 0, 2)))
        elif p.holds:
            out.print("[bold]Flexibility[/]: no hold could be measured yet.")
    if html is not None:
        from formcheck.report.progress_html import write_progress_html

        out.print(f"wrote {write_progress_html(p, html)}")
    if pdf is not None:
        from formcheck.report.progress_pdf import write_progress_pdf

        out.print(f"wrote {write_progress_pdf(p, pdf)}")
