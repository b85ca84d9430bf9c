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


def load_session(path: Path, config: Path | None = None) -> SessionResult:
    """A stored session: a session folder, its landmark track (re-analysed, with the settings file
    `config` if given) or its JSON report."""
    import json

    from formcheck.api import analyze_track
    from formcheck.errors import FormcheckError

    path = Path(path)
    if path.is_dir():
        for name in ("track.npz", "report.json"):
            if (path / name).is_file():
                return load_session(path / name, config)
        raise FormcheckError(f"{path} holds no track.npz or report.json")
    if path.suffix == ".npz":
        return analyze_track(path, config=config)
    if path.suffix == ".json":
        try:
            return SessionResult.from_dict(json.loads(path.read_text("utf-8")))
        except FileNotFoundError:
            raise FormcheckError(f"no such file: {path}") from None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise FormcheckError(f"{path} is not a formcheck report: {exc}") from None
    raise FormcheckError(f"{path}: give a session folder, a track (.npz) or a report (.json)")
