"""`formcheck config show`: the effective settings, and where each one comes from."""

from __future__ import annotations

import typer

from formcheck.cli.app import ConfigOpt, app, friendly_errors, out

config_app = typer.Typer(help="Settings: every threshold and the plan, from one TOML file.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
@friendly_errors
def show(config: ConfigOpt = None) -> None:
    """Print every setting with its value and its source (the file, default, or plan.hold_s)."""
    from rich import box
    from rich.table import Table

    from formcheck.settings import load_settings

    settings = load_settings(config)
    title = f"Settings ({settings.path or 'defaults'})"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("setting", "value", "source"):  # names are whole on one line; values wrap
        table.add_column(col, no_wrap=col == "setting", overflow="fold")
    for key, value, source in settings.rows():
        table.add_row(key, str(value), source)
    out.print(table)
