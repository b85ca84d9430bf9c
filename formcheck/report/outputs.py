"""Write every report format of one session into a folder (what `--out DIR` produces)."""

from __future__ import annotations

from pathlib import Path

from formcheck.analysis.routine import Plan
from formcheck.report.csv_report import write_csv
from formcheck.report.html_report import write_html
from formcheck.report.json_report import write_json
from formcheck.types import SessionResult

FORMATS = ("json", "csv", "html")


def live_session_folder(root: Path, create: bool = False) -> Path:
    """Where a live session's reports go: ROOT/<start date and time>, with -2, -3, ... when another
    session started in the same second (two browser tabs, a quick restart) so none overwrites another.
    `create`: make it now, so a session starting at the same moment cannot take it too."""
    import itertools
    import time

    stem = time.strftime("%Y%m%d-%H%M%S")
    for n in itertools.count(1):
        folder = root / (stem if n == 1 else f"{stem}-{n}")
        if not create:
            if not folder.exists():
                return folder
            continue
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            continue
    raise AssertionError("unreachable")


def session_folder(root: Path, recorded_at: str, name: str, fingerprint: str | None) -> Path:
    """Where `--out ROOT` puts one session: ROOT/<recorded date and time>_<clip name>, so two clips
    never share (and overwrite) a report. The same session analysed again (same fingerprint) goes
    back to its own folder; another session that happens to share the name gets -2, -3, ..."""
    import json
    import re

    stamp = recorded_at[:16].replace("T", "_").replace(":", "")
    stem = re.sub(r"[^\w.-]+", "_", name)[:48] or "session"
    base = f"{stamp}_{stem}"
    for n in range(1, 1000):
        folder = root / (base if n == 1 else f"{base}-{n}")
        report = folder / "report.json"
        if not folder.exists():
            return folder
        try:
            theirs = json.loads(report.read_text(encoding="utf-8")).get("fingerprint") if report.is_file() else None
        except (OSError, ValueError, AttributeError):
            theirs = None
        if fingerprint is not None and theirs == fingerprint:
            return folder  # this very session, analysed again: its reports are replaced (and said so)
    raise FileExistsError(f"{root} holds a thousand sessions named {base}")


def write_outputs(
    result: SessionResult, folder: Path, formats: tuple[str, ...] = FORMATS, plan: Plan | None = None
) -> list[Path]:
    folder = Path(folder)
    written: list[Path] = []
    if "json" in formats:
        write_json(result, folder / "report.json")
        written.append(folder / "report.json")
    if "csv" in formats:
        written += write_csv(result, folder)
    if "html" in formats:
        written.append(write_html(result, folder / "report.html", plan, result.keyframes))
    return written
