"""Finishing live sessions whose process was killed (SIGKILL, a crash, a power cut): the next
formcheck start finds their notes in `in-progress/`, turns each journal into the session's
track and report, adds it to the history marked partial, and says so."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.store.journal import Note, in_progress_dir, read_journal, source_of


def _alive(pid: int) -> bool:
    """Is `pid` still a running formcheck (a reused pid of another program does not count)?"""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    if sys.platform.startswith("linux") and cmdline.exists():
        try:
            return b"formcheck" in cmdline.read_bytes()
        except OSError:
            return True
    return True


def _finish(note: Note) -> str:
    from formcheck.api import analyze_track
    from formcheck.report.json_report import write_json
    from formcheck.store.history import History

    journal = Path(note.journal)
    _, rec = read_journal(journal)
    if rec.n == 0:
        journal.unlink(missing_ok=True)
        return f"an interrupted live session of {note.started_at.replace('T', ' ')} had no frames recorded"
    track = Path(note.track_target)
    if not track.is_file():
        rec.save(track, source_of(note, rec))
    result = replace(analyze_track(track, config=note.config), partial=True)
    result.source = replace(
        result.source, path=note.source.get("path", str(track)), kind=note.source.get("kind", "camera")
    )
    if note.json_target != "-" and not Path(note.json_target).exists():
        write_json(result, note.json_target)
    added = ""
    if not note.no_history:
        with History(Path(note.db) if note.db else None) as h:
            known = {(s.started_at, s.source) for s in h.sessions()}
            if (note.started_at, result.source.path) not in known:
                h.add(result, note.folder, started_at=note.started_at)
                added = ", added to the history"
    journal.unlink(missing_ok=True)
    return (
        f"recovered the live session of {note.started_at.replace('T', ' ')} that was cut off: "
        f"{result.source.duration_s:.0f} s, {len(result.holds)} hold(s){added} (track: {track})"
    )


def recover_interrupted(say: Callable[[str], None]) -> int:
    """Recover every interrupted session; returns how many. A note is claimed by renaming it, so
    two formcheck processes starting at once never recover the same session twice."""
    folder = in_progress_dir()
    if not folder.is_dir():
        return 0
    done = 0
    for path in sorted(folder.glob("*.json")):
        try:
            note = Note(**json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            path.unlink(missing_ok=True)  # formcheck's own note, unreadable: nothing to recover from
            continue
        if _alive(note.pid):
            continue
        claimed = path.with_suffix(f".recovering-{os.getpid()}")
        try:
            path.rename(claimed)
        except OSError:
            continue  # another process took it
        try:
            if Path(note.journal).is_file():
                say(_finish(note))
                done += 1
            claimed.unlink(missing_ok=True)
        except (FormcheckError, OSError) as exc:
            claimed.rename(path)  # try again next time (the history may be locked or damaged, the disk full)
            say(f"could not recover the live session of {note.started_at} yet: {exc}")
        except ValueError as exc:  # the journal itself is unreadable: keep it aside, do not ask again
            kept = Path(note.journal).with_suffix(".damaged")
            Path(note.journal).replace(kept)
            claimed.unlink(missing_ok=True)
            say(f"could not recover the live session of {note.started_at}: {exc} (kept as {kept})")
    return done
