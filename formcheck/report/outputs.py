"""Write every report format of one session into a folder (what `--out DIR` produces)."""

from __future__ import annotations

from pathlib import Path

from formcheck.analysis.routine import Plan
from formcheck.report.csv_report import write_csv
from formcheck.report.html_report import write_html
from formcheck.report.json_report import write_json
from formcheck.types import SessionResult

FORMATS = ("json", "csv", "html")


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
