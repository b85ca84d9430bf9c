"""`formcheck live`: coach a session from a webcam, a phone's stream, or a file played like a camera."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from formcheck.cli.app import (
    ConfigOpt,
    DbOpt,
    JsonOpt,
    ModelOpt,
    NoHistoryOpt,
    TrackOpt,
    app,
    check_outputs,
    err,
    friendly_errors,
    last_flexibility,
    record,
    recover,
)
from formcheck.cli.app import out as stdout
from formcheck.errors import FormcheckError

if TYPE_CHECKING:
    from formcheck.store.journal import Journal
    from formcheck.types import SourceInfo


def first_run_note() -> str | None:
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


def session_dir(out_dir: Path | None) -> Path:
    from platformdirs import user_data_dir

    from formcheck.report.outputs import live_session_folder

    return live_session_folder(out_dir if out_dir is not None else Path(user_data_dir("formcheck")) / "sessions")


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
    voice: Annotated[
        bool, typer.Option("--voice/--no-voice", help="Spoken cues (the system's voice), or tones.")
    ] = True,
    voice_wav: Annotated[
        Path | None,
        typer.Option(
            "--voice-wav",
            help="Render the spoken cues to this WAV file instead of the speakers (and their timeline to the "
            "same name with .json).",
        ),
    ] = None,
    plan_path: Annotated[
        Path | None, typer.Option("--plan", help="A TOML routine (see docs/usage.md, Settings).", metavar="PATH")
    ] = None,
    config: ConfigOpt = None,
    json_path: JsonOpt = None,
    save_track: TrackOpt = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Folder for the session's report and track.")] = None,
    model: ModelOpt = None,
    duration: Annotated[float, typer.Option("--duration", help="Stop after this many seconds (0: until q).")] = 0.0,
    db: DbOpt = None,
    no_history: NoHistoryOpt = False,
    retry_s: Annotated[float, typer.Option("--retry-s", help="How long to retry a lost camera or stream.")] = 5.0,
    stats_every: Annotated[
        float,
        typer.Option("--stats-every", help="Print frame rate, latency and memory every this many seconds."),
    ] = 0.0,
) -> None:
    """Coach your stretches live from a webcam or stream (q quit, space pause, f full screen, m mute, d why not)."""
    from formcheck.analysis.routine import load_plan
    from formcheck.live import has_display, live_session
    from formcheck.report.json_report import write_json
    from formcheck.report.outputs import write_outputs
    from formcheck.report.summary import flexibility_lines, plan_lines, print_summary
    from formcheck.settings import load_settings, resolve
    from formcheck.sources.capture import describe_source

    describe_source(camera, source)  # a bad camera number, URL or file: one line, before anything starts
    settings = load_settings(config)
    if plan_path is not None:
        settings = resolve(settings, load_plan(plan_path))
    folder = session_dir(out_dir) if (json_path is None or save_track is None) else None
    json_target = json_path or str(Path(str(folder)) / "report.json")
    track_target = save_track or Path(str(folder)) / "track.npz"
    check_outputs(json=json_target, save_track=track_target, voice_wav=voice_wav, db=False if no_history else db)
    recover()
    from formcheck.store.journal import Journal, Note, in_progress_dir

    started = time.strftime("%Y-%m-%dT%H:%M:%S")

    def journal(info: SourceInfo) -> Journal:
        path = in_progress_dir() / f"{os.getpid()}-{time.strftime('%Y%m%d-%H%M%S')}.journal"
        where = str(folder.resolve()) if folder else None
        note = Note(str(path), os.getpid(), started, asdict(info), json_target, str(track_target), where,
                    str(db) if db else None, no_history, str(config) if config else None)  # fmt: skip
        return Journal(path, note)

    if window and not has_display():
        raise FormcheckError("no display to open a window on: use --no-window")
    note = first_run_note()
    if note:
        err.print(f"[bold]{note}.[/] formcheck gives exercise feedback; see a doctor after a back injury.")
    console = err if window or json_path == "-" else stdout  # stdout stays clean for a JSON report
    speaker = None
    if voice_wav is not None:
        from formcheck.render.voice import WavSpeaker, espeak_exe

        exe = espeak_exe()
        if exe is None:
            raise FormcheckError("--voice-wav needs espeak-ng (or espeak) installed")
        speaker = WavSpeaker(exe, Path(tempfile.mkdtemp(prefix="formcheck-voice-")))
    result, session = live_session(
        camera,
        source,
        plan=settings.plan,
        config=settings.analysis,
        model=model,
        window=window,
        audio=not mute,
        realtime=realtime,
        retry_s=retry_s,
        duration_s=duration or None,
        save_track=track_target,
        say=console.print,
        first_run_note=note,
        notify=lambda m: err.print(f"[dim]{m}[/]"),
        voice=speaker if speaker is not None else voice,
        journal=journal,
        stats_every_s=stats_every,
    )
    if speaker is not None and voice_wav is not None:
        speaker.timeline(session.voice.said if session.voice else [], voice_wav)
        shutil.rmtree(speaker.folder, ignore_errors=True)  # the phrases, now mixed into voice_wav
    result.person = settings.user_name
    write_json(result, json_target)
    if folder is not None:  # the same outputs as `analyze --out`: the HTML report and the CSVs too
        write_outputs(result, folder, ("csv", "html"), settings.plan)
    previous = {} if no_history else last_flexibility(db)
    record(result, db, no_history, str(folder) if folder else None, started)
    if json_path != "-":
        print_summary(result, stdout)
        stdout.print("[bold]Against your plan[/]")
        for line in plan_lines(result, settings.plan) + flexibility_lines(result, previous):
            stdout.print(f"  {line}")
        shown = folder / "report.html" if folder is not None else json_target
        stdout.print(
            f"[dim]report: {shown}  track: {track_target}  ({result.source.fps:.1f} fps, "
            f"{session.capture.dropped} frames dropped)[/]",
            soft_wrap=True,
        )
    if result.partial:
        raise typer.Exit(130)
    if session.stop_reason not in ("end of source", "quit", "window closed"):
        err.print(f"[red]error:[/] {session.stop_reason} (the session so far was saved)")
        raise typer.Exit(1)
