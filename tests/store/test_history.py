"""History on a real SQLite file: trends, migration from an old schema, two writers at once."""

import sqlite3
import subprocess
import sys
from pathlib import Path

from formcheck.store.history import MIGRATIONS, SCHEMA_VERSION, History
from formcheck.types import FrameCounts, Hold, SessionResult, SourceInfo, Warning


def _result(n_holds: int = 2, verdict: str = "in_range") -> SessionResult:
    holds = [
        Hold("knee_to_chest", "single", side, 1, 2.0, 27.0, 25.0, verdict, False, 110.0)  # type: ignore[arg-type]
        for side in ("left", "right")[:n_holds]
    ]
    return SessionResult(
        SourceInfo("clip.mp4", 60.0, 30.0, 1800, 640, 480),
        holds,
        [Warning("bouncing", 5.0, "Don't bounce: hold still")],
        FrameCounts(1800, 1800, 0, 0),
        summary={"gentleness": "mostly_gentle"},
    )


def test_two_sessions_and_a_weekly_trend(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as h:
        h.add(_result(), started_at="2026-11-02T09:00:00")
        h.add(_result(1, "too_short"), started_at="2026-11-10T09:00:00")
        rows = h.sessions()
        assert [(r.holds, r.in_range, r.warnings) for r in rows] == [(2, 2, 1), (1, 0, 1)]
        trend = h.trends("week")
    assert {(p, side, n, secs) for p, _, side, n, secs in trend} == {
        ("2026-11-02", "left", 1, 25.0),
        ("2026-11-02", "right", 1, 25.0),
        ("2026-11-09", "left", 1, 0.0),
    }


def test_old_schema_is_migrated_without_losing_sessions(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    MIGRATIONS[0](db)  # a version-1 database, as the first release wrote it
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO sessions (started_at, source, kind, duration_s) VALUES ('2026-10-01T08:00:00', 'a.mp4',"
        " 'video', 30.0)"
    )
    db.execute(
        "INSERT INTO holds (session_id, stretch, side, rep, start_s, end_s, duration_s, verdict)"
        " VALUES (1, 'forward_bend', NULL, 1, 1.0, 23.0, 22.0, 'in_range')"
    )
    db.close()
    with History(tmp_path / "old.db") as h:
        assert h.version == SCHEMA_VERSION
        h.add(_result())
        rows = h.sessions()
    assert rows[0].source == "a.mp4" and len(rows) == 2
    assert rows[0].holds == 1 and rows[0].warnings == 0


WRITER = """
import sys
from tests.store.test_history import _result
from formcheck.store.history import History
with History(sys.argv[1]) as h:
    for i in range(int(sys.argv[2])):
        h.add(_result())
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db), "40"], cwd=root, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    with History(db) as h:
        rows = h.sessions()
        assert len(rows) == 80
        assert sum(r.holds for r in rows) == 160
        assert h.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _fold_session(reaches: list[float], hips: list[float], variant: str = "seated") -> SessionResult:
    holds = [
        Hold(
            "forward_bend",
            variant,
            None,
            i + 1,
            2.0,
            24.0,
            22.0,
            "in_range",
            False,
            hip + 5,
            hip_flexion_deg=hip,
            reach_cm=cm,
            camera_side="left",
        )
        for i, (cm, hip) in enumerate(zip(reaches, hips, strict=True))
    ]
    return SessionResult(SourceInfo("fold.mp4", 60.0, 30.0, 1800, 640, 480), holds, [], FrameCounts(1800, 1800, 0, 0))


def test_the_session_summary_puts_flexibility_next_to_the_previous_session(tmp_path: Path) -> None:
    from formcheck.analysis.routine import Plan, PlanItem
    from formcheck.report.summary import flexibility_lines, plan_lines

    with History(tmp_path / "h.db") as h:
        h.add(_fold_session([-16.0, -14.0, -12.0], [98.0, 100.0, 101.0]), started_at="2026-11-02T09:00:00")
        h.add(_fold_session([-11.0, -10.0], [103.0, 104.0]), started_at="2026-11-09T09:00:00")
        previous = h.last_flexibility()
        assert {r.camera_side for r in h.holds()} == {"left"}  # kept with each hold (schema 6)
    today = _fold_session([-9.0, -8.0, -7.0], [104.0, 105.0, 106.0])
    assert previous[("forward_bend", "seated")][0] == -10.0  # the latest session's median, not the first's
    assert flexibility_lines(today, previous) == [
        "forward bend (seated), reach -8 cm; previous session (2026-11-09): -10 cm"
    ]
    assert flexibility_lines(today, {}) == ["forward bend (seated), reach -8 cm; first time measured"]
    # like with like: a standing fold in between is not the seated fold's "previous session"
    with History(tmp_path / "h.db") as h:
        h.add(_fold_session([-20.0], [140.0], "standing"), started_at="2026-11-12T09:00:00")
        previous = h.last_flexibility()
    assert flexibility_lines(today, previous) == [
        "forward bend (seated), reach -8 cm; previous session (2026-11-09): -10 cm"
    ]
    assert previous[("forward_bend", "standing")][0] == -20.0
    plan = Plan((PlanItem("forward_bend", None, 3), PlanItem("knee_to_chest", "left", 2)), (20.0, 30.0), 15.0)
    assert plan_lines(today, plan) == ["Forward bend: 3 of 3 in range", "Knee to chest (left): 0 of 2 in range"]


def test_damaged_text_in_the_history_reads_instead_of_crashing(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 in a stored row (a flipped bit; the fuzzer found one in the schema)."""
    db = tmp_path / "h.db"
    with History(db) as h:
        h.add(_result(), started_at="2026-11-02T09:00:00")
        h.db.execute("UPDATE sessions SET source = CAST(x'666f6ec3282e6d7034' AS TEXT)")
        (row,) = h.sessions()
    assert row.source.startswith("fo") and row.source.endswith(".mp4") and "\ufffd" in row.source
