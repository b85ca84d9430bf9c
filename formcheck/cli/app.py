"""What every command shares: the typer app, consoles, one-line errors, common options.

Exit codes: 0 done, 1 done with failures, 2 bad input or usage, 130 interrupted (report kept).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from formcheck.errors import FormcheckError

app = typer.Typer(
    help="Camera feedback for gentle lower-back stretches (knee-to-chest, forward bend). Not a medical device.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

out = Console(highlight=False)
if not out.is_terminal:  # pipes and files get the whole table instead of an 80-column squeeze
    out = Console(highlight=False, width=120)
err = Console(stderr=True, highlight=False)
F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(fn: F) -> F:
    """Bad input -> one line and exit 2; a bug -> one line and exit 3 (FORMCHECK_DEBUG=1 shows it)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except FormcheckError as exc:
            err.print(f"[red]error:[/] {exc}", soft_wrap=True)
            raise typer.Exit(2) from None
        except typer.Exit:
            raise
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:
            if os.environ.get("FORMCHECK_DEBUG"):
                raise
            first = (str(exc).strip().splitlines() or [""])[0]
            err.print(f"[red]internal error:[/] {type(exc).__name__}: {first} (set FORMCHECK_DEBUG=1 for details)")
            raise typer.Exit(3) from None

    return wrapper  # type: ignore[return-value]


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


JsonOpt = Annotated[
    str | None, typer.Option("--json", help="Write the JSON report to PATH ('-' for stdout).", metavar="PATH")
]
TrackOpt = Annotated[
    Path | None, typer.Option("--save-track", help="Keep the per-frame landmarks (.npz, no video).", metavar="PATH")
]
ModelOpt = Annotated[
    Path | None, typer.Option("--model", help="Use another MediaPipe .task pose model.", metavar="PATH")
]


OutOpt = Annotated[
    Path | None, typer.Option("--out", help="Write JSON, CSV and HTML reports (and the track) here.", metavar="DIR")
]
DbOpt = Annotated[
    Path | None, typer.Option("--db", help="History database (default: user data folder).", metavar="PATH")
]
NoHistoryOpt = Annotated[bool, typer.Option("--no-history", help="Do not record this session in the history.")]


ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="A settings TOML: thresholds and the plan (formcheck config show).", metavar="PATH"),
]


def record(result: object, db: Path | None, no_history: bool, files: str | None) -> None:
    if no_history:
        return
    from formcheck.store.history import History

    with History(db) as h:
        h.add(result, str(Path(files).resolve()) if files else None)  # type: ignore[arg-type]


def last_flexibility(db: Path | None) -> dict[tuple[str, str | None], tuple[float | None, float | None, str]]:
    """The previous session's flexibility numbers, read before this session is recorded."""
    from formcheck.store.history import History

    try:
        with History(db) as h:
            return h.last_flexibility()
    except Exception:  # an unreadable history must not cost the session its summary
        return {}
