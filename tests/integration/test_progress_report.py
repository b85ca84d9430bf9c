"""The progress report of six weeks of sessions built from the shared clips' real analyses,
rendered by `formcheck history` and read back from headless Chromium and from the PDF: every
number on the page is compared with the SQLite file, queried here independently of formcheck."""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.report.outputs import write_outputs
from formcheck.stats import smallest_change
from formcheck.store.history import History
from formcheck.types import Warning
from tests.integration.test_reports_batch import ARTIFACTS, CHROMIUM

START = date(2026, 9, 7)  # a Monday; six weeks to 18 Oct, the third week missed
UNTIL = START + timedelta(days=41)
CLIPS = ("forward_fold_standing", "forward_bend_seated", "knee_to_chest_generated")
WARNED = {1: ("bouncing",), 4: ("jerky_motion", "bouncing"), 8: ("jerky_motion",)}  # session index: its warnings


class Tables(HTMLParser):
    """The text of every cell of every table with an id, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.text: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _seed(db: Path, clip_result, reports: Path) -> None:
    """Sessions on about five days a week, the real clips' holds with reach improving by ~7 cm."""
    rng = random.Random(18)
    seeded: list[date] = []
    results = {name: clip_result(name)[0] for name in CLIPS}
    with History(db) as h:
        for d in range(42):
            day = START + timedelta(days=d)
            if 14 <= d < 21 or rng.random() < 0.3:
                continue
            for k, name in enumerate(CLIPS):
                if name != "forward_fold_standing" and rng.random() < 0.5:
                    continue
                r = results[name]
                gain = 7.0 * d / 41 + rng.gauss(0, 1.0)  # cm of reach; the hip closes with it
                holds = [
                    dataclasses.replace(
                        x,
                        reach_cm=None if x.reach_cm is None else x.reach_cm + gain,
                        hip_flexion_deg=None if x.hip_flexion_deg is None else x.hip_flexion_deg + 0.8 * gain,
                    )
                    for x in r.holds
                ]
                jerks = [Warning(kind, 5.0 + i, "Move slowly") for i, kind in enumerate(WARNED.get(len(seeded), ()))]
                session = (
                    dataclasses.replace(
                        r,
                        holds=holds,
                        warnings=r.warnings + jerks,
                        summary={**r.summary, "gentleness": "mostly_gentle"},
                    )
                    if jerks
                    else dataclasses.replace(r, holds=holds)
                )
                # each is another recording of that stretch (one clip stands for them): its own identity
                session = dataclasses.replace(session, fingerprint=f"{name}-{day}")
                seeded.append(day)
                files = None
                if d % 9 == 0 and k == 0:
                    folder = reports / f"{day}"
                    write_outputs(session, folder, ("html",))
                    files = str(folder)
                h.add(session, files, started_at=f"{day}T{8 + k:02d}:15:00")


def _chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--hide-scrollbars"]  # fmt: skip
    return subprocess.run([CHROMIUM, *flags, *extra, page.as_uri()], capture_output=True, text=True, timeout=120)


def _history(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "formcheck", "history", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_six_week_progress_report_says_what_the_history_holds(clip_result, tmp_path: Path) -> None:
    db, page, pdf = tmp_path / "history.db", tmp_path / "progress.html", tmp_path / "progress.pdf"
    _seed(db, clip_result, tmp_path / "reports")
    run = _history(
        "--db", str(db), "--since", str(START), "--until", str(UNTIL), "--html", str(page), "--pdf", str(pdf)
    )
    assert run.returncode == 0, run.stderr
    dom = _chromium(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0
    parsed = Tables()
    parsed.feed(dom.stdout)
    text = " ".join(" ".join(parsed.text).split())
    sql = sqlite3.connect(db)

    # adherence: days with a hold per calendar week, straight from SQL
    days = {date.fromisoformat(d) for (d,) in sql.execute(
        "SELECT DISTINCT substr(s.started_at, 1, 10) FROM sessions s JOIN holds h ON h.session_id = s.id")}  # fmt: skip
    calendar = parsed.tables["calendar"][1:]
    assert len(calendar) == 6
    for k, row in enumerate(calendar):
        week = {START + timedelta(days=7 * k + i) for i in range(7)}
        assert row[-1] == f"{len(days & week)} of 7 days", row
    assert calendar[2][-1] == "0 of 7 days" and "No stretching in the week of 21 Sep" in text
    assert f"Stretched on {len(days)} of 42 planned days" in text

    # holds per week and stretch, by verdict
    counts = {
        (wk, stretch, side or "", verdict): n
        for wk, stretch, side, verdict, n in sql.execute("""
            SELECT date(s.started_at, 'weekday 0', '-6 days'), h.stretch,
                   CASE WHEN h.stretch = 'forward_bend' THEN h.variant ELSE h.side END, h.verdict, COUNT(*)
            FROM holds h JOIN sessions s ON s.id = h.session_id GROUP BY 1, 2, 3, 4""")
    }
    rows = parsed.tables["holds-per-week"][1:]
    assert sum(int(c) for r in rows for c in r[2:]) == sql.execute("SELECT COUNT(*) FROM holds").fetchone()[0]
    for week, label, *cells in rows:
        wk = date.fromisoformat(str(np.datetime64(_day(week))))
        stretch = "knee_to_chest" if label.startswith("Knee") else "forward_bend"
        side = re.search(r"\((left|right|standing|seated)\)", label)
        for verdict, cell in zip(("in_range", "too_short", "too_long"), cells, strict=True):
            assert int(cell) == counts.get((str(wk), stretch, side.group(1) if side else "", verdict), 0)

    # every session, its holds and motion warnings, and a link to the reports that were saved
    sessions = parsed.tables["sessions"][1:]
    db_sessions = sql.execute("""SELECT s.id, (SELECT COUNT(*) FROM holds h WHERE h.session_id = s.id),
        (SELECT COUNT(*) FROM warnings w WHERE w.session_id = s.id AND w.severity != 'info'), s.files
        FROM sessions s ORDER BY s.started_at, s.id""").fetchall()
    assert len(sessions) == len(db_sessions)
    for row, (_, holds, warnings, _) in zip(sessions, db_sessions, strict=True):
        assert (int(row[4]), int(row[6])) == (holds, warnings)
    linked = [f for *_, f in db_sessions if f]
    assert len(parsed.links) == len(linked) >= 3
    for href in parsed.links:
        assert (page.parent / href).resolve().is_file()

    # the flexibility trend: first and last week's medians of the day medians, from SQL
    by_day: dict[date, list[float]] = {}
    for d, cm in sql.execute("""SELECT substr(s.started_at, 1, 10), h.reach_cm FROM holds h
            JOIN sessions s ON s.id = h.session_id WHERE h.variant = 'standing' AND h.reach_cm IS NOT NULL"""):
        by_day.setdefault(date.fromisoformat(d), []).append(cm)
    day_medians = {d: sorted(v)[len(v) // 2] for d, v in by_day.items()}
    first = [v for d, v in day_medians.items() if d < START + timedelta(days=7)]
    last = [v for d, v in day_medians.items() if d >= START + timedelta(days=35)]
    f, la = sorted(first)[len(first) // 2], sorted(last)[len(last) // 2]
    sentence = next(s for s in parsed.text if s.startswith("Forward bend (standing): reach"))
    assert f"({f:+.0f} → {la:+.0f} cm)" in sentence and "over 5 weeks" in sentence
    # the measured smallest real change: the finer one when every hold was filmed from one side
    query = "SELECT camera_side FROM holds WHERE variant = 'standing' AND reach_cm IS NOT NULL"
    sides = {r[0] for r in sql.execute(query)}
    band = smallest_change("cm", "forward_bend", "standing", same_side=len(sides) == 1 and None not in sides)
    assert ("improved" in sentence and f"beyond the ±{band:g} cm noise" in sentence) == (la - f >= band)
    assert la - f >= band  # the seeded history improves by ~7 cm: the page must say so

    # the terminal says the same in a few lines
    terminal = " ".join(_history("--db", str(db), "--since", str(START), "--until", str(UNTIL)).stdout.split())
    assert f"Stretched on {len(days)} of 42 planned days" in terminal
    assert " ".join(sentence.split()) in terminal

    assert "4 motion warnings in 3 of" in text
    assert "not a medical device" in text
    for figure in ("holds-plot", "flexibility-plot", "gentleness-plot"):
        assert f'id="{figure}"><svg' in dom.stdout

    shot = tmp_path / "progress.png"
    _chromium(page, tmp_path, f"--screenshot={shot}", "--window-size=1100,4200")
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "progress.png")
    img = cv2.imread(str(shot))
    green = (np.abs(img.astype(int) - [92, 184, 92]).sum(axis=2) < 20).sum()  # #5cb85c: stretched days, in range
    assert green > 20 * 300, "the calendar strip is not visible"

    # the PDF says the same (text extracted from the file, pages counted)
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    pdf_text = " ".join(" ".join((pg.extract_text() or "").split()) for pg in reader.pages)
    assert len(reader.pages) >= 4
    assert f"Stretched on {len(days)} of 42 planned days" in pdf_text
    assert f"{f:+.0f} → {la:+.0f} cm" in pdf_text and "not a medical device" in pdf_text
    shutil.copy(pdf, ARTIFACTS / "progress.pdf")


def _day(text: str) -> str:
    from datetime import datetime

    return datetime.strptime(text, "%d %b %Y").date().isoformat()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_empty_and_one_session_histories_say_so_in_a_sentence(clip_result, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    History(db).close()
    page = tmp_path / "empty.html"
    assert _history("--db", str(db), "--html", str(page)).returncode == 0
    dom = _chromium(page, tmp_path, "--dump-dom").stdout
    assert "No sessions recorded between" in dom and "<svg" not in dom
    with History(db) as h:
        h.add(clip_result("forward_fold_standing")[0], started_at=f"{date.today()}T09:00:00")
    run = _history("--db", str(db), "--html", str(page))
    assert run.returncode == 0 and "a trend needs two" in run.stdout
    dom = _chromium(page, tmp_path, "--dump-dom").stdout
    assert "One session so far" in dom and "a trend needs two" in dom and 'id="gentleness-plot"' not in dom
    zero = tmp_path / "zero.db"
    with History(zero) as h:  # sessions where nothing was held: a sentence, not empty axes
        for day in (2, 4):
            h.add(
                dataclasses.replace(clip_result("forward_fold_standing")[0], holds=[], fingerprint=f"day{day}"),
                started_at=f"2026-11-0{day}T09:00:00",
            )
    assert (
        _history("--db", str(zero), "--html", str(page), "--since", "2026-11-02", "--until", "2026-11-08").returncode
        == 0
    )
    dom = _chromium(page, tmp_path, "--dump-dom").stdout
    assert "No holds were recognised in these sessions yet" in dom and "Nothing measured yet" in dom
    assert 'id="holds-plot"' not in dom and 'id="flexibility-plot"' not in dom
    assert "Stretched on 0 of 7 planned days" in dom
