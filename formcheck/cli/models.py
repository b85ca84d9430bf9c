"""`formcheck models`: which pose models are there, are they intact, and downloading the others."""

from __future__ import annotations

from typing import Annotated

import typer

from formcheck.cli.app import app, friendly_errors, out

models_app = typer.Typer(help="Show, verify and download pose models.", invoke_without_command=True)
app.add_typer(models_app, name="models")


@models_app.callback()
@friendly_errors
def models(ctx: typer.Context) -> None:
    """List the pose models formcheck can use and verify their checksums."""
    if ctx.invoked_subcommand is not None:
        return
    from formcheck.pose.models import MODELS, find_model, identify, resolve_model

    in_use = resolve_model(None)
    for name, spec in MODELS.items():
        path = find_model(name)
        if path is None:
            out.print(f"  {name:6s} not installed  (formcheck models download {name})")
            continue
        ok = identify(path) == spec
        mark = "[green]checksum ok[/]" if ok else "[red]CHECKSUM MISMATCH[/]"
        star = "*" if path == in_use else " "
        out.print(f"{star} {name:6s} {path}  {mark}")
        if not ok:
            raise typer.Exit(1)
    out.print("* = used by default; --model PATH picks another .task file")


@models_app.command("download")
@friendly_errors
def models_download(name: Annotated[str, typer.Argument(help="lite or heavy (full ships with formcheck).")]) -> None:
    """Download an official model variant and verify its pinned checksum (needs internet)."""
    from formcheck.pose.models import download

    path = download(name)
    out.print(f"downloaded {path} (checksum ok)")
