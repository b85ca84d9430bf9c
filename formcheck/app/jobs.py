"""Analysing an uploaded video in the background, with its progress for the page's bar."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcheck.settings import Settings


@dataclass
class Job:
    name: str
    done: int = 0
    total: int = 0
    state: str = "running"  # running | done | failed
    error: str = ""
    summary: dict[str, Any] = field(default_factory=dict)


class Jobs:
    """At most one analysis at a time per app (the model uses a core; two would only share it)."""

    def __init__(self, settings: Settings, db: Path | None, reports: Path, model: Path | None) -> None:
        self.settings, self.db, self.reports, self.model = settings, db, reports, model
        self.jobs: dict[str, Job] = {}
        self._one = threading.Lock()

    def start(self, video: Path, name: str, recorded_at: str | None) -> str:
        job_id = uuid.uuid4().hex[:12]
        self.jobs[job_id] = Job(name)
        threading.Thread(target=self._run, args=(job_id, video, recorded_at), daemon=True).start()
        return job_id

    def _run(self, job_id: str, video: Path, recorded_at: str | None) -> None:
        from formcheck.api import analyze_video
        from formcheck.app.keep import Keeper
        from formcheck.report.outputs import session_folder

        job = self.jobs[job_id]
        try:
            with self._one:

                def progress(done: int, total: int) -> None:
                    job.done, job.total = done, total

                result = analyze_video(video, model=self.model, config=self.settings, on_progress=progress)
                result.source.path = job.name  # the name the person chose, not the upload's temporary one
                if recorded_at:  # the file's own date, as the browser read it
                    result.source.recorded_at, result.source.recorded_from = recorded_at, "file"
                when = result.source.recorded_at or ""
                folder = session_folder(self.reports, when, Path(job.name).stem, result.fingerprint)
                job.summary = Keeper(folder, self.settings, self.db, when)(result)
                job.state = "done"
        except Exception as exc:
            job.state, job.error = "failed", str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        finally:
            video.unlink(missing_ok=True)  # the upload: the report and history keep what matters
