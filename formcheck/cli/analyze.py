"""`formcheck analyze`: recorded video (a clip, a photo, a saved track, or a folder of clips)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from formcheck.cli.app import (
    ConfigOpt,
    DbOpt,
    JsonOpt,
    ModelOpt,
    NoHistoryOpt,
    OutOpt,
    TrackOpt,
    app,
    check_outputs,
    err,
    friendly_errors,
    out,
    progress_bar,
    record,
    recover,
)
from formcheck.errors import FormcheckError


def parse_date(text: str) -> str:
    """--date: a day or a day and time, as the history stores it (local, to the second)."""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise FormcheckError(f"--date {text!r}: use a date like 2026-11-20 or 2026-11-20T18:30") from None
    return when.replace(tzinfo=None).isoformat(timespec="seconds")


def batch_line(n: int, skipped: int, failed: int, root: Path) -> str:
    """What a batch did, in counts that add up; the reports folder only when something is in it."""
    done = n - skipped - failed
    parts = [f"{n} clip{'s' if n != 1 else ''}: {done} analysed"]
    if skipped:
        parts.append(f"{skipped} skipped (analysed before; --force to redo)")
    if failed:
        parts.append(f"{failed} failed")
    where = f"; reports in {root}" if done or skipped else ""
    return ", ".join(parts) + where


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
    config: Path | None = None,
    every_frame: bool = False,
) -> None:
    from formcheck.batch import find_clips, run_batch
    from formcheck.report.summary import hold_phrase

    clips = find_clips(spec)
    root = out_dir or Path("formcheck-reports")
    failed: list[str] = []
    skipped: list[str] = []
    with progress_bar() as progress:
        task = progress.add_task(f"analysing {len(clips)} clips", total=len(clips))

        def on_done(o: object) -> None:
            from formcheck.batch import ClipOutcome

            assert isinstance(o, ClipOutcome)
            progress.advance(task)
            if o.error:
                failed.append(f"{o.path}: {o.error}")
                err.print(f"[red]failed[/] {o.path}: {o.error}", soft_wrap=True)  # a path is never broken
            elif o.skipped:
                skipped.append(str(o.path))
                out.print(f"[dim]skipped[/] {o.path} (already analysed; --force to redo)", soft_wrap=True)
            else:
                r = o.result
                assert r is not None
                holds = "; ".join(hold_phrase(h) for h in r.holds)
                out.print(f"[green]done[/] {o.path}: {holds or 'no holds'}  -> {o.out_dir}", soft_wrap=True)
                record(r, db, no_history, str(o.out_dir))

        run_batch(
            clips,
            root,
            workers,
            force,
            str(model) if model else None,
            on_done,
            executor,
            scheduler,
            str(config) if config else None,
            every_frame,
        )
    out.print(batch_line(len(clips), len(skipped), len(failed), root), soft_wrap=True)
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
    executor: Annotated[
        str,
        typer.Option(
            "--executor",
            help="Where a folder's clips run: local (processes on this computer) or dask (a Dask cluster; "
            "pip install 'formcheck[dask]').",
            metavar="local|dask",
        ),
    ] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler, e.g. tcp://host:8786.")] = None,
    config: ConfigOpt = None,
    adaptive: Annotated[
        bool,
        typer.Option(
            "--adaptive/--every-frame",
            help="Video files: run the pose model only as often as motion needs (default: several "
            "times quicker, the same holds), or on every frame.",
        ),
    ] = True,
    db: DbOpt = None,
    no_history: NoHistoryOpt = False,
    name: Annotated[
        str | None,
        typer.Option("--name", help="Whose session, printed on the report (default: [user] name in the settings)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="When the clip was recorded, e.g. 2026-11-20 or 2026-11-20T18:30 (default: the video's "
            "own creation time, else the file's modification time).",
            metavar="WHEN",
        ),
    ] = None,
) -> None:
    """Analyse recorded video: which stretches were held, on which side, for how long, how gently."""
    from formcheck.api import analyze_track, analyze_video
    from formcheck.report.json_report import write_json
    from formcheck.report.outputs import write_outputs
    from formcheck.report.summary import print_summary
    from formcheck.settings import load_settings
    from formcheck.sources.track import is_track

    settings = load_settings(config)
    given = parse_date(date) if date is not None else None
    if not no_history:
        recover()
    p = Path(path)
    history_db: Path | bool | None = False if no_history else db
    if p.is_dir() or any(ch in path for ch in "*?["):
        from formcheck.batch import default_workers

        if json_path or save_track or annotate:
            raise FormcheckError("--json, --save-track and --annotate are for one clip; a folder uses --out")
        check_outputs(out_dir=out_dir or Path("formcheck-reports"), db=history_db)
        if executor not in ("local", "dask"):
            raise FormcheckError("--executor takes local or dask")
        _analyze_batch(
            path,
            out_dir,
            workers or default_workers(),
            force,
            model,
            db,
            no_history,
            executor,
            scheduler,
            config,
            not adaptive,
        )
        return
    if not p.exists():
        raise FormcheckError(f"no such file: {p}")
    check_outputs(json=json_path, save_track=save_track, annotate=annotate, out_dir=out_dir, db=history_db)
    if out_dir is not None:  # each session its own folder under --out: two clips never share a report
        from formcheck.api import fingerprint
        from formcheck.report.outputs import session_folder
        from formcheck.sources.recorded import recorded_at

        when = given or recorded_at(p)[0]
        out_dir = session_folder(out_dir, when, p.stem, fingerprint(p, settings.analysis))
        if out_dir.exists():
            err.print(f"[dim]{out_dir} holds this session's earlier reports: they are replaced[/]", soft_wrap=True)
    if is_track(p):
        if save_track is not None or annotate is not None:
            raise FormcheckError("--save-track and --annotate need a video; the input is already a track")
        result = analyze_track(p, config=settings)
    else:
        if save_track is None and out_dir is not None:
            save_track = out_dir / "track.npz"
        with progress_bar() as progress:
            task = progress.add_task(f"analysing {p.name}", total=None)

            def on_progress(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or None)

            result = analyze_video(
                p,
                model=model,
                config=settings,
                save_track=save_track,
                annotate=annotate,
                on_progress=on_progress,
                every_frame=not adaptive,
            )
    if given is not None:
        result.source.recorded_at, result.source.recorded_from = given, "given"
    result.person = (name or "").strip() or settings.user_name
    if json_path is not None:
        write_json(result, json_path)
    if out_dir is not None:
        write_outputs(result, out_dir)
    # the history first: a closed pipe or a full terminal must not cost the session its record
    photo = result.source.kind == "photo"  # a pose checked, not a session done: kept out of the history
    record(result, db, no_history or photo, str(out_dir) if out_dir else None)
    if json_path != "-":
        print_summary(result, out)
        if out_dir is not None:
            out.print(f"[dim]reports: {out_dir}/report.html, report.json, holds.csv, warnings.csv[/]")
        if result.annotated_path:
            out.print(f"[dim]annotated video: {result.annotated_path}[/]")
    if result.partial:
        err.print(f"interrupted at {result.source.duration_s:.1f} s: the partial report was kept")
        raise typer.Exit(130)
    damaged = [n for n in result.notices if n.kind == "damaged_file"]
    if damaged:
        err.print(f"[yellow]damaged file:[/] {damaged[0].message}", soft_wrap=True)
        raise typer.Exit(1)
