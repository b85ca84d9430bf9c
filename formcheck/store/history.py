"""Session history in SQLite: every analysed or live session, for trends over weeks.

Versioned schema (PRAGMA user_version) with forward migrations; WAL mode and a busy timeout, and
each session is written in one IMMEDIATE transaction, so two formcheck processes can write at once.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from formcheck.errors import FormcheckError
from formcheck.stats import typical
from formcheck.types import SessionResult


def default_db() -> Path:
    env = os.environ.get("FORMCHECK_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("formcheck")) / "history.db"


def _run(db: sqlite3.Connection, script: str) -> None:
    """Statement by statement: executescript() would commit the surrounding migration transaction."""
    for stmt in script.split(";"):
        if stmt.strip():
            db.execute(stmt)


def _v1(db: sqlite3.Connection) -> None:
    _run(
        db,
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL,
            duration_s REAL NOT NULL, files TEXT);
        CREATE TABLE holds (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, stretch TEXT NOT NULL,
            side TEXT, rep INTEGER NOT NULL, start_s REAL NOT NULL, end_s REAL NOT NULL,
            duration_s REAL NOT NULL, verdict TEXT NOT NULL);
    """,
    )


def _v2(db: sqlite3.Connection) -> None:
    _run(
        db,
        """
        ALTER TABLE sessions ADD COLUMN gentleness TEXT;
        ALTER TABLE sessions ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE holds ADD COLUMN steadiness_deg REAL;
        ALTER TABLE holds ADD COLUMN entry_smoothness REAL;
        CREATE TABLE warnings (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, t_s REAL NOT NULL,
            kind TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL);
        CREATE INDEX holds_by_session ON holds(session_id);
        CREATE INDEX warnings_by_session ON warnings(session_id);
    """,
    )


def _v3(db: sqlite3.Connection) -> None:
    _run(
        db,
        """
        ALTER TABLE holds ADD COLUMN hip_flexion_deg REAL;
        ALTER TABLE holds ADD COLUMN reach_cm REAL;
        ALTER TABLE holds ADD COLUMN knee_to_chest_cm REAL;
        ALTER TABLE holds ADD COLUMN view TEXT;
    """,
    )


def _v4(db: sqlite3.Connection) -> None:
    """The session's own hold target, so a too-long hold is credited up to the plan's maximum."""
    _run(db, "ALTER TABLE sessions ADD COLUMN target_min_s REAL; ALTER TABLE sessions ADD COLUMN target_max_s REAL")


def _v5(db: sqlite3.Connection) -> None:
    """Standing or seated fold: their reach differs by 10-15 cm, so a trend must not mix them."""
    _run(db, "ALTER TABLE holds ADD COLUMN variant TEXT")


def _v6(db: sqlite3.Connection) -> None:
    """The side of the body toward the camera: filmed from the other side, the numbers shift."""
    _run(db, "ALTER TABLE holds ADD COLUMN camera_side TEXT")


def _v7(db: sqlite3.Connection) -> None:
    """A session is its content: analysing the same clip again replaces its record. And when it was
    analysed, apart from when it was recorded (`started_at`)."""
    _run(
        db,
        """
        ALTER TABLE sessions ADD COLUMN fingerprint TEXT;
        ALTER TABLE sessions ADD COLUMN analysed_at TEXT;
        CREATE INDEX sessions_by_fingerprint ON sessions(fingerprint)
    """,
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    started_at: str
    source: str
    kind: str
    duration_s: float
    holds: int
    in_range: int
    warnings: int
    gentleness: str | None
    files: str | None = None  # the --out folder its reports were written to, if any
    fingerprint: str | None = None  # the media and settings (schema 7); None for live sessions and older rows
    analysed_at: str | None = None  # when formcheck analysed it (schema 7); `started_at` is when it was recorded
    partial: int = 0  # stopped early (Ctrl-C, camera lost): the record covers what was recorded

    @property
    def day(self) -> str:
        return self.started_at[:10]


@dataclass(frozen=True, slots=True)
class HoldRow:
    """One recorded hold with its session's day: what the progress report counts and draws."""

    session_id: int
    day: str
    stretch: str
    side: str | None
    verdict: str
    duration_s: float
    cm: float | None  # reach for a fold, knee-chest for a knee hug
    hip_deg: float | None
    variant: str | None = None  # standing or seated for a fold (None if recorded before schema 5)
    camera_side: str | None = None  # the person's side toward the camera (None before schema 6)


def _day_median(values: list[tuple[float, float | None]]) -> tuple[float | None, float | None]:
    """Median cm and hip angle of one session's holds (3 reps give one number)."""
    return typical(cm for cm, _ in values), typical(hip for _, hip in values if hip is not None)


T = TypeVar("T")
P = ParamSpec("P")


def _guarded(method: Callable[Concatenate[History, P], T]) -> Callable[Concatenate[History, P], T]:
    """Damage found while reading or writing (a page torn by a crash, a disk error): one clear line."""

    @functools.wraps(method)
    def wrapper(self: History, *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise self.damaged(exc) from None

    return wrapper


def _period(since: str | None, until: str | None) -> tuple[str, str]:
    return since or "0000-00-00", until or "9999-99-99"


class History:
    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_db()
        if self.path.is_dir():
            raise FormcheckError(f"history database {self.path} is a folder; give a file name with --db")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            # Damaged text (a torn page, a flipped bit) reads as replacement characters instead of
            # failing inside sqlite3's decoder (found by the fuzzer).
            self.db.text_factory = lambda raw: raw.decode("utf-8", "replace")
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("PRAGMA foreign_keys = ON")
            # Switching to WAL needs a moment alone with the file; when another process is creating
            # the same database, SQLite answers "locked" at once instead of waiting: retry briefly.
            for attempt in range(50):
                try:
                    # Damage is found before anything is written to the file, so it stays as it was.
                    check = self.db.execute("PRAGMA quick_check").fetchone()[0]
                    if check != "ok":
                        detail = " ".join(check.replace("*** in database main ***", "").split())[:100]
                        raise sqlite3.DatabaseError(f"the file is damaged ({detail})")
                    self.db.execute("PRAGMA journal_mode = WAL")
                    self._migrate()
                    break
                except sqlite3.OperationalError as exc:
                    if ("locked" not in str(exc) and "busy" not in str(exc)) or attempt == 49:
                        raise
                    time.sleep(0.1)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # damaged text in the schema itself
            self.close()
            raise self.damaged(exc) from None
        except OSError as exc:
            raise FormcheckError(f"cannot open history database {self.path}: {exc.strerror or exc}") from None

    def damaged(self, exc: Exception) -> FormcheckError:
        reason = "the file is damaged (it holds text that is not UTF-8)" if isinstance(exc, UnicodeError) else exc
        return FormcheckError(
            f"cannot use history database {self.path}: {reason}. It was left untouched: move it aside "
            f"(mv '{self.path}' '{self.path}.broken') and formcheck starts a new one, or use --db PATH or "
            "--no-history"
        )

    def _migrate(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then see it done
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise FormcheckError(f"{self.path} was written by a newer formcheck (schema {version})")
            for step in MIGRATIONS[version:]:
                step(self.db)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    @_guarded
    def add(self, result: SessionResult, files: str | None = None, started_at: str | None = None) -> int:
        """Record a session; one with the same fingerprint (the same media and settings) is replaced."""
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        started = started_at or now
        src = result.source
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            if result.fingerprint:
                db.execute("DELETE FROM sessions WHERE fingerprint = ?", (result.fingerprint,))
            cur = db.execute(
                "INSERT INTO sessions (started_at, source, kind, duration_s, files, gentleness, partial,"
                " target_min_s, target_max_s, fingerprint, analysed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    started,
                    src.path,
                    src.kind,
                    src.duration_s,
                    files,
                    result.summary.get("gentleness"),
                    int(result.partial),
                    result.target_hold_s[0],
                    result.target_hold_s[1],
                    result.fingerprint,
                    now,
                ),
            )
            sid = int(cur.lastrowid or 0)
            db.executemany(
                "INSERT INTO holds (session_id, stretch, side, rep, start_s, end_s, duration_s, verdict,"
                " steadiness_deg, entry_smoothness, hip_flexion_deg, reach_cm, knee_to_chest_cm, view, variant,"
                " camera_side) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        sid,
                        h.stretch,
                        h.side,
                        h.rep,
                        h.start_s,
                        h.end_s,
                        h.duration_s,
                        h.verdict,
                        h.steadiness_deg,
                        h.entry_smoothness,
                        h.hip_flexion_deg,
                        h.reach_cm,
                        h.knee_to_chest_cm,
                        h.view,
                        h.variant,
                        h.camera_side,
                    )
                    for h in result.holds
                ],
            )
            db.executemany(
                "INSERT INTO warnings (session_id, t_s, kind, severity, message) VALUES (?, ?, ?, ?, ?)",
                [(sid, w.t_s, w.kind, w.severity, w.message) for w in result.warnings],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return sid

    @_guarded
    def find(self, fingerprint: str | None) -> SessionRow | None:
        """The recorded session with this fingerprint, if any (what analysing a clip again replaces)."""
        if not fingerprint:
            return None
        rows = [r for r in self.sessions() if r.fingerprint == fingerprint]
        return rows[-1] if rows else None

    def session(self, session_id: int) -> SessionRow | None:
        """One recorded session by its id (what `history --show` and the app's report links read)."""
        return next((r for r in self.sessions() if r.id == session_id), None)

    @_guarded
    def delete(self, ids: list[int]) -> list[SessionRow]:
        """Remove sessions (their holds and warnings go with them); returns what was removed."""
        gone = [r for r in self.sessions() if r.id in set(ids)]
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany("DELETE FROM sessions WHERE id = ?", [(r.id,) for r in gone])
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return gone

    @_guarded
    def sessions(self, since: str | None = None, until: str | None = None) -> list[SessionRow]:
        """Every session, or those whose day is within [since, until] (ISO dates, both included)."""
        rows = self.db.execute(
            """
            SELECT s.id, s.started_at, s.source, s.kind, s.duration_s,
                   (SELECT COUNT(*) FROM holds h WHERE h.session_id = s.id),
                   (SELECT COUNT(*) FROM holds h WHERE h.session_id = s.id AND h.verdict = 'in_range'),
                   (SELECT COUNT(*) FROM warnings w WHERE w.session_id = s.id AND w.severity != 'info'),
                   s.gentleness, s.files, s.fingerprint, s.analysed_at, s.partial
            FROM sessions s WHERE substr(s.started_at, 1, 10) BETWEEN ? AND ?
            ORDER BY s.started_at, s.id""",
            _period(since, until),
        ).fetchall()
        return [SessionRow(*r) for r in rows]

    @_guarded
    def holds(self, since: str | None = None, until: str | None = None) -> list[HoldRow]:
        rows = self.db.execute(
            """
            SELECT s.id, substr(s.started_at, 1, 10) AS day, h.stretch, h.side, h.verdict, h.duration_s,
                   CASE WHEN h.stretch = 'forward_bend' THEN h.reach_cm ELSE h.knee_to_chest_cm END,
                   h.hip_flexion_deg, h.variant, h.camera_side
            FROM holds h JOIN sessions s ON s.id = h.session_id WHERE day BETWEEN ? AND ?
            ORDER BY s.started_at, s.id, h.start_s""",
            _period(since, until),
        ).fetchall()
        return [HoldRow(*r) for r in rows]

    @_guarded
    def motion_warnings(self, since: str | None = None, until: str | None = None) -> dict[int, dict[str, int]]:
        """Per session: how many motion warnings of each kind (set-up notes are not counted)."""
        rows = self.db.execute(
            """
            SELECT w.session_id, w.kind, COUNT(*) FROM warnings w JOIN sessions s ON s.id = w.session_id
            WHERE w.severity != 'info' AND substr(s.started_at, 1, 10) BETWEEN ? AND ?
            GROUP BY w.session_id, w.kind""",
            _period(since, until),
        ).fetchall()
        out: dict[int, dict[str, int]] = {}
        for sid, kind, n in rows:
            out.setdefault(sid, {})[kind] = n
        return out

    @_guarded
    def trends(self, by: str = "day") -> list[tuple[str, str, str | None, int, float]]:
        """(period, stretch, side, holds, seconds held within the target) per day or per week (its Monday)."""
        # a week is named by its Monday ("weekday 0" is the next Sunday; six days back is Monday)
        period = "substr(s.started_at, 1, 10)" if by == "day" else "date(s.started_at, 'weekday 0', '-6 days')"
        return self.db.execute(f"""
            SELECT {period} AS p, h.stretch, h.side, COUNT(*),
                   SUM(CASE WHEN h.verdict = 'in_range' THEN h.duration_s
                            WHEN h.verdict = 'too_long' THEN COALESCE(s.target_max_s, 30.0) ELSE 0 END)
            FROM holds h JOIN sessions s ON s.id = h.session_id
            GROUP BY p, h.stretch, h.side ORDER BY p, h.stretch, h.side""").fetchall()

    @_guarded
    def last_flexibility(self) -> dict[tuple[str, str | None], tuple[float | None, float | None, str]]:
        """Per stretch and side (a fold: per standing / seated), the median cm and hip angle of its
        holds in the latest session that measured it, and that session's start: "this session next
        to the previous one", like with like."""
        rows = self.db.execute("""
            SELECT s.id, s.started_at, h.stretch,
                   CASE WHEN h.stretch = 'forward_bend' THEN h.variant ELSE h.side END,
                   CASE WHEN h.stretch = 'forward_bend' THEN h.reach_cm ELSE h.knee_to_chest_cm END AS cm,
                   h.hip_flexion_deg
            FROM holds h JOIN sessions s ON s.id = h.session_id
            WHERE cm IS NOT NULL ORDER BY s.started_at, s.id""").fetchall()
        latest: dict[tuple[str, str | None], tuple[int, str, list[tuple[float, float | None]]]] = {}
        for sid, started, stretch, side, cm, hip in rows:
            key = (stretch, side)
            if key not in latest or latest[key][0] != sid:
                latest[key] = (sid, started, [])
            latest[key][2].append((cm, hip))
        return {k: (*_day_median(v[2]), v[1]) for k, v in latest.items()}

    def close(self) -> None:
        if getattr(self, "db", None) is not None:
            self.db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
