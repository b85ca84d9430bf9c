"""What every command shares: the typer app, consoles, one-line errors, common options.

Exit codes: 0 done, 1 done with failures, 2 bad input or usage, 130 interrupted (report kept).
"""

from __future__ import annotations

import functools
import os
import sys
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


def _flags_without_a_type() -> None:
    """typer's help lists a type beside every option, flags too (`--force <bool>`): a flag takes no
    value, so it shows none (patched where typer draws it; left alone if typer changes)."""
    from typer.core import TyperOption

    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None:
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag or self.count else shown(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_without_a_type()


def _version(show: bool) -> None:
    if show:
        from formcheck import __version__

        typer.echo(f"formcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    show_version: Annotated[
        bool, typer.Option("--version", help="Print formcheck's version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Camera feedback for gentle lower-back stretches (knee-to-chest, forward bend). Not a medical device."""


def quiet_stdout() -> None:
    """Point stdout at /dev/null: after a closed pipe, Python's own flush at exit must not fail too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class _Out(Console):
    """stdout. A reader that closed the pipe (`formcheck ... | head`) has what it wanted: stop
    writing, quietly, with success (rich's default exits 1). The history is written before any
    summary is printed, so nothing is lost."""

    def on_broken_pipe(self) -> None:
        quiet_stdout()
        raise SystemExit(0)


out = _Out(highlight=False)
if not out.is_terminal:  # pipes and files get the whole table instead of an 80-column squeeze
    out = _Out(highlight=False, width=120)
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
        except BrokenPipeError:  # `formcheck ... | head`: the reader has what it wanted; not an error
            quiet_stdout()
            raise typer.Exit(0) from None
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


def check_outputs(
    *,
    db: Path | bool | None = False,
    out_dir: Path | None = None,
    **files: str | Path | None,
) -> None:
    """Every output a command will write, checked before any work starts (a folder named as a
    file, a missing or read-only folder), and the history database opened (`db=None`: the
    default one; `False`: no history), so nothing is found unusable after a long analysis."""
    from formcheck.files import check_output

    for name, path in files.items():
        if path is not None:
            check_output(path, "--" + name.replace("_", "-"))
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            raise FormcheckError(f"--out {out_dir} is a file; give a folder")
        check_output(out_dir / "report.json", "--out")
    if db is not False:
        from formcheck.store.history import History

        History(db if isinstance(db, Path) else None).close()


def recover() -> None:
    """Finish live sessions a kill or power cut interrupted (formcheck/recovery.py): say so, never fail."""
    from formcheck.recovery import recover_interrupted

    try:
        recover_interrupted(lambda line: err.print(f"[yellow]{line}[/]", soft_wrap=True))
    except Exception as exc:  # recovery must never stop today's session
        err.print(f"[yellow]could not look for interrupted sessions: {exc}[/]")


def record(result: object, db: Path | None, no_history: bool, files: str | None, started_at: str | None = None) -> None:
    """Add the session to the history. If that fails now (the disk filled up, another program
    broke the file), the reports and track are already written: say where, and how to recover."""
    if no_history:
        return
    from formcheck.store.history import History

    started_at = started_at or getattr(getattr(result, "source", None), "recorded_at", None)  # when it was filmed
    try:
        with History(db) as h:
            before = h.find(getattr(result, "fingerprint", None))
            h.add(result, str(Path(files).resolve()) if files else None, started_at)  # type: ignore[arg-type]
    except FormcheckError as exc:
        kept = f" This session is kept in {files}." if files else " This session's reports were written."
        raise FormcheckError(f"{exc}.{kept}") from None
    if before is not None:  # stderr: `--json -` keeps stdout for the report
        when = (before.analysed_at or before.started_at).replace("T", " ")
        err.print(
            f"[dim]analysed before (on {when}): its record in the history is replaced, not counted twice[/]",
            soft_wrap=True,
        )


def last_flexibility(db: Path | None) -> dict[tuple[str, str | None], tuple[float | None, float | None, str]]:
    """The previous session's flexibility numbers, read before this session is recorded."""
    from formcheck.store.history import History

    try:
        with History(db) as h:
            return h.last_flexibility()
    except Exception:  # an unreadable history must not cost the session its summary
        return {}
