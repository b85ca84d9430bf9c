"""Command line: `formcheck analyze`, `formcheck models` (and more as the tool grows).

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
models_app = typer.Typer(help="Show, verify and download pose models.", invoke_without_command=True)
app.add_typer(models_app, name="models")

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


def _progress() -> Progress:
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


@app.command()
@friendly_errors
def analyze(
    path: Annotated[Path, typer.Argument(help="A video file, or a landmark track (.npz) saved with --save-track.")],
    json_path: JsonOpt = None,
    save_track: TrackOpt = None,
    model: ModelOpt = None,
) -> None:
    """Analyse a recorded video: which stretches were held, on which side, and for how long."""
    from formcheck.api import analyze_track, analyze_video
    from formcheck.report.json_report import write_json
    from formcheck.report.summary import print_summary
    from formcheck.sources.track import is_track

    if path.is_dir():
        raise FormcheckError(f"{path} is a directory; give a video file")
    if is_track(path):
        if save_track is not None:
            raise FormcheckError("--save-track needs a video; the input is already a track")
        result = analyze_track(path)
    else:
        with _progress() as progress:
            task = progress.add_task(f"analysing {path.name}", total=None)

            def on_progress(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or None)

            result = analyze_video(path, model=model, save_track=save_track, on_progress=on_progress)
    if json_path is not None:
        write_json(result, json_path)
    if json_path != "-":
        print_summary(result, out)
    if result.partial:
        err.print("interrupted: the partial report was kept")
        raise typer.Exit(130)


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


def main() -> None:
    from formcheck.pose.quiet import route_native_stderr_away

    route_native_stderr_away()
    app()


if __name__ == "__main__":
    sys.exit(main())
