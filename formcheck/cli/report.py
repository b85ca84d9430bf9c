"""`formcheck report`: a stored session's reports, re-rendered (its track re-analysed)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from formcheck.cli.app import ConfigOpt, app, friendly_errors, out
from formcheck.errors import FormcheckError


@app.command()
@friendly_errors
def report(
    session: Annotated[Path, typer.Argument(help="A session folder, its track (.npz) or its report (.json).")],
    fmt: Annotated[str, typer.Option("--format", help="html, csv, json or all.")] = "all",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Where to write (default: beside the session).", metavar="DIR")
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Re-render a stored session's reports (the track is re-analysed with this formcheck)."""
    from formcheck.api import load_session
    from formcheck.report.outputs import FORMATS, write_outputs

    formats = FORMATS if fmt == "all" else (fmt,)
    if any(f not in FORMATS for f in formats):
        raise FormcheckError(f"unknown format {fmt!r}; use html, csv, json or all")
    result = load_session(session, config)
    folder = out_dir or (session if session.is_dir() else session.parent)
    for written in write_outputs(result, folder, formats):
        out.print(f"wrote {written}")
