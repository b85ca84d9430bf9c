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


OutOpt = Annotated[
    Path | None, typer.Option("--out", help="Write JSON, CSV and HTML reports (and the track) here.", metavar="DIR")
]
DbOpt = Annotated[
    Path | None, typer.Option("--db", help="History database (default: user data folder).", metavar="PATH")
]
NoHistoryOpt = Annotated[bool, typer.Option("--no-history", help="Do not record this session in the history.")]


def _record(result: object, db: Path | None, no_history: bool, files: str | None) -> None:
    if no_history:
        return
    from formcheck.store.history import History

    with History(db) as h:
        h.add(result, files)  # type: ignore[arg-type]


def _analyze_batch(
    spec: str,
    out_dir: Path | None,
    workers: int,
    force: bool,
    model: Path | None,
    db: Path | None,
    no_history: bool,
    executor: str = "local",
    scheduler: str | None = None,
) -> None:
    from formcheck.batch import find_clips, run_batch

    clips = find_clips(spec)
    root = out_dir or Path("formcheck-reports")
    failed: list[str] = []
    with _progress() as progress:
        task = progress.add_task(f"analysing {len(clips)} clips", total=len(clips))

        def on_done(o: object) -> None:
            from formcheck.batch import ClipOutcome

            assert isinstance(o, ClipOutcome)
            progress.advance(task)
            if o.error:
                failed.append(f"{o.path}: {o.error}")
                err.print(f"[red]failed[/] {o.path}: {o.error}")
            elif o.skipped:
                out.print(f"[dim]skipped[/] {o.path} (already analysed; --force to redo)")
            else:
                r = o.result
                assert r is not None
                holds = ", ".join(f"{h.stretch}/{h.side or h.variant} {h.duration_s:.0f}s {h.verdict}" for h in r.holds)
                out.print(f"[green]done[/] {o.path}: {holds or 'no holds'}  -> {o.out_dir}")
                _record(r, db, no_history, str(o.out_dir))

        run_batch(clips, root, workers, force, str(model) if model else None, on_done, executor, scheduler)
    out.print(f"{len(clips) - len(failed)} of {len(clips)} clips analysed; reports in {root}")
    if failed:
        raise typer.Exit(1)


@app.command()
@friendly_errors
def analyze(
    path: Annotated[
        str, typer.Argument(help="A video, a track (.npz) from --save-track, or a folder / glob of videos.")
    ],
    json_path: JsonOpt = None,
    save_track: TrackOpt = None,
    out_dir: OutOpt = None,
    annotate: Annotated[
        Path | None, typer.Option("--annotate", help="Write the video with the overlay (MP4).", metavar="PATH")
    ] = None,
    model: ModelOpt = None,
    workers: Annotated[int, typer.Option("--workers", help="Parallel clips for a folder (default: all cores).")] = 0,
    force: Annotated[bool, typer.Option("--force", help="Re-analyse clips that already have reports.")] = False,
    executor: Annotated[str, typer.Option("--executor", help="local (processes) or dask (formcheck[dask]).")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler, e.g. tcp://host:8786.")] = None,
    db: DbOpt = None,
    no_history: NoHistoryOpt = False,
) -> None:
    """Analyse recorded video: which stretches were held, on which side, for how long, how gently."""
    from formcheck.api import analyze_track, analyze_video
    from formcheck.report.json_report import write_json
    from formcheck.report.outputs import write_outputs
    from formcheck.report.summary import print_summary
    from formcheck.sources.track import is_track

    p = Path(path)
    if p.is_dir() or any(ch in path for ch in "*?["):
        from formcheck.batch import default_workers

        if json_path or save_track or annotate:
            raise FormcheckError("--json, --save-track and --annotate are for one clip; a folder uses --out")
        if executor not in ("local", "dask"):
            raise FormcheckError("--executor takes local or dask")
        _analyze_batch(path, out_dir, workers or default_workers(), force, model, db, no_history, executor, scheduler)
        return
    if is_track(p):
        if save_track is not None or annotate is not None:
            raise FormcheckError("--save-track and --annotate need a video; the input is already a track")
        result = analyze_track(p)
    else:
        if save_track is None and out_dir is not None:
            save_track = out_dir / "track.npz"
        with _progress() as progress:
            task = progress.add_task(f"analysing {p.name}", total=None)

            def on_progress(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or None)

            result = analyze_video(p, model=model, save_track=save_track, annotate=annotate, on_progress=on_progress)
    if json_path is not None:
        write_json(result, json_path)
    if out_dir is not None:
        write_outputs(result, out_dir)
    if json_path != "-":
        print_summary(result, out)
        if out_dir is not None:
            out.print(f"[dim]reports: {out_dir}/report.html, report.json, holds.csv, warnings.csv[/]")
        if result.annotated_path:
            out.print(f"[dim]annotated video: {result.annotated_path}[/]")
    _record(result, db, no_history, str(out_dir) if out_dir else None)
    if result.partial:
        err.print("interrupted: the partial report was kept")
        raise typer.Exit(130)


def _first_run_note() -> str | None:
    """The not-a-medical-device note, shown on the first live session of this user."""
    from platformdirs import user_config_dir

    marker = Path(user_config_dir("formcheck")) / "live_note_seen"
    if marker.exists():
        return None
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass
    return "Not a medical device: move gently, stop if it hurts"


def _session_dir(out_dir: Path | None) -> Path:
    import time

    from platformdirs import user_data_dir

    base = out_dir if out_dir is not None else Path(user_data_dir("formcheck")) / "sessions"
    return base / time.strftime("%Y%m%d-%H%M%S")


@app.command()
@friendly_errors
def live(
    camera: Annotated[int, typer.Option("--camera", help="Webcam index.")] = 0,
    source: Annotated[str | None, typer.Option("--source", help="A stream URL (MJPEG/RTSP) or a video file.")] = None,
    realtime: Annotated[
        bool, typer.Option("--realtime", help="Play a file source at its own speed, like a camera.")
    ] = False,
    window: Annotated[bool, typer.Option("--window/--no-window", help="Show the coaching window.")] = True,
    mute: Annotated[bool, typer.Option("--mute", help="No audio cues.")] = False,
    plan_path: Annotated[
        Path | None, typer.Option("--plan", help="A TOML routine (see README).", metavar="PATH")
    ] = None,
    json_path: JsonOpt = None,
    save_track: TrackOpt = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Folder for the session's report and track.")] = None,
    model: ModelOpt = None,
    duration: Annotated[float, typer.Option("--duration", help="Stop after this many seconds (0: until q).")] = 0.0,
    db: DbOpt = None,
    no_history: NoHistoryOpt = False,
    retry_s: Annotated[float, typer.Option("--retry-s", help="How long to retry a lost camera or stream.")] = 5.0,
) -> None:
    """Coach your stretches live from a webcam or a stream (q quits, space pauses, m mutes)."""
    from dataclasses import replace

    from formcheck.analysis.config import AnalysisConfig, HoldConfig
    from formcheck.analysis.routine import load_plan
    from formcheck.analysis.session import Analyzer
    from formcheck.live import LiveSession
    from formcheck.pose.landmarker import PoseEstimator
    from formcheck.render.audio import AudioCues
    from formcheck.report.json_report import write_json
    from formcheck.report.summary import print_summary
    from formcheck.sources.capture import LiveCapture
    from formcheck.sources.track import TrackRecorder
    from formcheck.types import SourceInfo

    plan = load_plan(plan_path)
    note = _first_run_note()
    if note:
        err.print(f"[bold]{note}.[/] formcheck gives exercise feedback; see a doctor after a back injury.")
    session_dir = _session_dir(out_dir) if (json_path is None or save_track is None) else None
    json_target = json_path or str(session_dir / "report.json")
    track_target = save_track or (session_dir / "track.npz")  # type: ignore[operator]
    from formcheck.live import has_display

    if window and not has_display():
        raise FormcheckError("no display to open a window on: use --no-window")
    capture = LiveCapture(
        None if source else camera, source, realtime=realtime, retry_s=retry_s, max_duration_s=duration or None
    )
    recorder = TrackRecorder()
    stats = None
    try:
        with PoseEstimator(model, count_async=True) as estimator:
            info = SourceInfo(capture.name, 0.0, capture.fps, 0, capture.width, capture.height, 0, capture.kind)  # type: ignore[arg-type]
            config = AnalysisConfig(hold=HoldConfig(target_s=plan.hold_s))
            analyzer = Analyzer(info, config)
            console = err if window or json_path == "-" else out  # stdout stays clean for a JSON report
            say = console.print
            audio = AudioCues(enabled=not mute, notify=lambda m: err.print(f"[dim]{m}[/]"))
            session = LiveSession(capture, estimator, analyzer, plan, window, audio, recorder, say, note)
            result = session.run()
            stats = session.stats
    finally:
        capture.close()
    last_t = float(recorder._t[recorder.n - 1]) if recorder.n else 0.0
    result.source = replace(
        result.source, duration_s=round(last_t, 3), frames=recorder.n, fps=round(stats.fps, 2) if stats else capture.fps
    )
    recorder.save(track_target, result.source)
    write_json(result, json_target)
    _record(result, db, no_history, str(session_dir) if session_dir else None)
    if json_path != "-":
        print_summary(result, out)
        out.print(
            f"[dim]report: {json_target}  track: {track_target}  ({stats.fps if stats else 0:.1f} fps, "
            f"{capture.dropped} frames dropped)[/]"
        )
    if result.partial:
        raise typer.Exit(130)
    if session.stop_reason not in ("end of source", "quit", "window closed"):
        err.print(f"[red]error:[/] {session.stop_reason} (the session so far was saved)")
        raise typer.Exit(1)


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


from formcheck import cli_reports  # noqa: E402, F401 - registers `report` and `history`


def main() -> None:
    from formcheck.pose.quiet import route_native_stderr_away

    route_native_stderr_away()
    app()


if __name__ == "__main__":
    sys.exit(main())
