"""CSV exports for spreadsheets: one row per hold, one row per warning."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from formcheck.files import atomic_write
from formcheck.types import SessionResult

HOLD_COLUMNS = (
    "stretch",
    "variant",
    "side",
    "rep",
    "start_s",
    "end_s",
    "duration_s",
    "verdict",
    "open_at_end",
    "peak_hip_flexion_deg",
    "hip_flexion_deg",
    "reach_cm",
    "knee_to_chest_cm",
    "view",
    "knee_flexion_deg",
    "entry_smoothness",
    "steadiness_deg",
    "paused_s",
    "warning_count",
)
WARNING_COLUMNS = ("t_s", "kind", "severity", "message", "value")


def holds_csv(result: SessionResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HOLD_COLUMNS)
    for h in result.holds:
        row = {**{c: getattr(h, c, None) for c in HOLD_COLUMNS}, "warning_count": len(h.warnings)}
        w.writerow(["" if row[c] is None else row[c] for c in HOLD_COLUMNS])
    return buf.getvalue()


def warnings_csv(result: SessionResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(WARNING_COLUMNS)
    for x in [*result.warnings, *result.notices]:
        w.writerow(["" if getattr(x, c) is None else getattr(x, c) for c in WARNING_COLUMNS])
    return buf.getvalue()


def write_csv(result: SessionResult, folder: Path) -> list[Path]:
    out = []
    for name, text in (("holds.csv", holds_csv(result)), ("warnings.csv", warnings_csv(result))):
        data = text.encode("utf-8")
        out.append(atomic_write(folder / name, lambda f, data=data: f.write(data)))  # type: ignore[misc]
    return out
