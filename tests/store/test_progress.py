"""Progress from a real SQLite history: adherence against the plan, holds per week, flexibility
trends judged against the measurement noise, and the deliberate empty and one-session states."""

import random
from datetime import date, timedelta
from pathlib import Path

from formcheck.analysis.routine import Plan
from formcheck.stats import smallest_change
from formcheck.store.history import History
from formcheck.store.progress import monday, progress
from formcheck.types import FrameCounts, Hold, SessionResult, SourceInfo, Warning


def _session(reach: list[float], hip: list[float], verdicts: list[str], warnings: int = 0) -> SessionResult:
    holds = [
        Hold(
            "forward_bend",
            "standing",
            None,
            i + 1,
            2.0 + 40 * i,
            26.0 + 40 * i,
            24.0,
            v,
            False,
            h + 4,  # type: ignore[arg-type]
            hip_flexion_deg=h,
            reach_cm=r,
        )
        for i, (r, h, v) in enumerate(zip(reach, hip, verdicts, strict=True))
    ]
    warns = [Warning("bouncing", 10.0 + i, "Don't bounce: hold still") for i in range(warnings)]
    return SessionResult(
        SourceInfo("fold.mp4", 120.0, 30.0, 3600, 640, 480), holds, warns, FrameCounts(3600, 3600, 0, 0)
    )


def test_six_weeks_adherence_missed_week_and_a_real_improvement(tmp_path: Path) -> None:
    rng = random.Random(3)
    start = date(2026, 10, 19)  # a Monday
    stretched: set[date] = set()
    with History(tmp_path / "h.db") as h:
        for d in range(42):
            day = start + timedelta(days=d)
            if 14 <= d < 21 or rng.random() < 0.25:  # the third week missed, other days at random
                continue
            reach = [-16 + 7 * d / 41 + rng.gauss(0, 1.5) for _ in range(3)]  # noise of a real measurement
            hip = [120 + rng.gauss(0, 2.0) for _ in range(3)]
            h.add(
                _session(reach, hip, ["in_range", "too_short", "in_range"], warnings=d % 5 == 0),
                started_at=f"{day}T08:00:00",
            )
            stretched.add(day)
        p = progress(h, Plan(days_per_week=5), start, start + timedelta(days=41))
    assert len(p.weeks) == 6
    assert [w.days for w in p.weeks] == [
        sum(1 for d in stretched if monday(d) == start + timedelta(weeks=k)) for k in range(6)
    ]
    assert p.weeks[2].days == 0 and "No stretching in the week of 02 Nov" in p.adherence_sentence()
    assert [w.planned for w in p.weeks] == [5] * 6
    assert p.days_stretched == len(stretched)
    fold = p.holds_per_week[("forward_bend", "standing")]
    assert sum(c["in_range"] for c in fold.values()) == 2 * len(stretched)
    assert sum(c["too_short"] for c in fold.values()) == len(stretched)
    reach, hip = p.trends  # cm first, then hip
    assert reach.measure == "cm" and reach.weeks == 5 and reach.better > 5.0
    # the bands are the measured smallest real change of a standing fold's numbers (formcheck.stats)
    assert reach.noise == smallest_change("cm", "forward_bend", "standing") < reach.better
    assert "improved" in reach.sentence() and f"beyond the ±{reach.noise:g} cm noise" in reach.sentence()
    assert hip.measure == "hip" and not hip.beyond_noise  # the same depth all along: noise only
    assert f"within the ±{smallest_change('hip', 'forward_bend', 'standing'):g}° noise" in hip.sentence()
    assert sum(sum(k.values()) for k in p.warnings.values()) == sum(
        1 for d in range(0, 42, 5) if start + timedelta(days=d) in stretched
    )


def test_a_knee_hug_getting_closer_is_progress() -> None:
    from formcheck.store.progress import Trend

    closer = Trend(
        ("knee_to_chest", "left"), "cm", ((date(2026, 11, 2), 38.0), (date(2026, 11, 23), 30.0)), 38.0, 30.0, 3
    )
    assert closer.better == 8.0 and closer.sentence().startswith(
        "Knee to chest (left): knee–chest distance improved 8 cm"
    )
    worse = Trend(("forward_bend", "seated"), "cm", (), -5.0, -15.0, 2)
    assert "went down 10 cm" in worse.sentence() and "physiotherapist" in worse.sentence()
    # 7 cm is a real change for a standing fold, and within the camera's noise for a seated one
    assert Trend(("forward_bend", "standing"), "cm", (), -8.0, -15.0, 2).beyond_noise
    assert not Trend(("forward_bend", "seated"), "cm", (), -8.0, -15.0, 2).beyond_noise


def test_the_band_is_finer_when_every_session_filmed_the_same_side() -> None:
    from formcheck.store.progress import Trend

    pts = ((date(2026, 11, 2), 40.0), (date(2026, 11, 23), 36.0))
    one = Trend(("knee_to_chest", "left"), "cm", pts, 40.0, 36.0, 3, ("right",))
    both = Trend(("knee_to_chest", "left"), "cm", pts, 40.0, 36.0, 3, ("left", "right"))
    unknown = Trend(("knee_to_chest", "left"), "cm", pts, 40.0, 36.0, 3, (None,))
    assert one.noise == smallest_change("cm", "knee_to_chest", "left", same_side=True) < 4.0
    assert both.noise == unknown.noise == smallest_change("cm", "knee_to_chest", "left") > 4.0
    assert one.beyond_noise and "improved 4 cm" in one.sentence() and "Filmed from both" not in one.sentence()
    assert not both.beyond_noise and "Filmed from both sides; from one side each time" in both.sentence()


def test_empty_no_holds_and_one_session_states(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as h:
        assert progress(h).state == "empty"
        h.add(_session([], [], []), started_at="2026-11-02T08:00:00")
        none = progress(h, until=date(2026, 11, 8))
        assert none.state == "no_holds" and none.trends == [] and none.days_stretched == 0
        h.add(_session([-12.0], [118.0], ["in_range"]), started_at="2026-11-03T08:00:00")
        h.add(_session([-11.0], [119.0], ["in_range"]), started_at="2026-11-20T08:00:00")
        one = progress(h, since=date(2026, 11, 3), until=date(2026, 11, 8))
    assert one.state == "one_session" and one.days_stretched == 1
    (reach, _) = one.trends
    assert reach.weeks == 0 and "a trend needs two" in reach.sentence()


def test_reading_a_history_that_is_not_there_creates_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    missing = tmp_path / "typo" / "history.db"
    p = subprocess.run([sys.executable, "-m", "formcheck", "history", "--db", str(missing)],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)  # fmt: skip
    assert p.returncode == 0 and "no history there yet" in p.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_short_history_gets_sentences_and_whole_names(tmp_path: Path) -> None:
    """One day, six sessions: no one-dot charts (a sentence per measure instead), and the PDF's
    sessions table wraps a long file name instead of cutting it."""
    from formcheck.report.progress_figures import flexibility_figure
    from formcheck.report.progress_html import render_progress_html
    from formcheck.report.progress_pdf import _sessions_page

    long_name = "forward_fold_standing_filmed_on_the_phone_in_the_living_room.mp4"
    with History(tmp_path / "h.db") as h:
        for k in range(6):
            r = _session([-12.0 - k], [118.0 + k], ["in_range"])
            r.source.path = f"/home/ann/{long_name}" if k == 0 else f"/home/ann/clip{k}.mp4"
            h.add(r, started_at=f"2026-11-03T0{8 + k // 3}:{10 * k:02d}:00")
        p = progress(h, Plan(), date(2026, 11, 3), date(2026, 11, 3))
    assert p.trends and all(len(t.points) == 1 for t in p.trends)
    assert flexibility_figure(p) is None
    page = render_progress_html(p, tmp_path / "progress.html")
    assert "<svg" not in page.split('id="flexibility-plot"')[1].split("</figure>")[0]
    assert "measured in one week so far: a trend needs two" in page
    table = _sessions_page(p).axes[0].tables[0]
    names = [c.get_text().get_text() for (row, col), c in table.get_celld().items() if col == 1 and row > 0]
    assert any(n.replace("\n", "") == long_name for n in names), names
