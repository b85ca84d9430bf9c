"""Keeping a browser session or an uploaded video: the same reports and history rows as the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.report.json_report import write_json
from formcheck.report.outputs import write_outputs
from formcheck.report.summary import flexibility_lines, hold_phrase, plan_lines
from formcheck.settings import Settings
from formcheck.store.history import History
from formcheck.types import SessionResult


@dataclass
class Keeper:
    """Writes one session's folder (report.json, report.html, CSVs; the track is written by the
    session itself) and adds it to the history; returns what the page shows at the end."""

    folder: Path
    settings: Settings
    db: Path | None
    started_at: str

    @property
    def track_path(self) -> Path:
        return self.folder / "track.npz"

    def __call__(self, result: SessionResult) -> dict[str, Any]:
        self.folder.mkdir(parents=True, exist_ok=True)
        result.person = self.settings.user_name
        write_json(result, self.folder / "report.json")
        write_outputs(result, self.folder, ("csv", "html"), self.settings.plan)
        with History(self.db) as h:
            previous = h.last_flexibility()
            session_id = h.add(result, str(self.folder.resolve()), self.started_at)
        return {
            "session": session_id,
            "partial": result.partial,
            "holds": [hold_phrase(h) for h in result.holds],
            "plan": plan_lines(result, self.settings.plan),
            "flexibility": flexibility_lines(result, previous),
            "report": f"/sessions/{session_id}/report.html",
        }
