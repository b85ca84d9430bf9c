"""CSV and HTML exports from one result (escaping included); the browser test lives in integration."""

import csv
import io
import json

from formcheck.report.csv_report import holds_csv, warnings_csv
from formcheck.report.html_report import render_html
from formcheck.report.json_report import to_json
from formcheck.types import FrameCounts, Hold, SessionResult, SourceInfo, Warning


def _result(path: str = "clip.mp4") -> SessionResult:
    w = Warning("jerky_motion", 3.2, "Slow down — ease into the stretch", "caution", 300.0)
    holds = [
        Hold(
            "forward_bend",
            "standing",
            None,
            1,
            2.0,
            24.5,
            22.5,
            "in_range",
            False,
            150.0,
            entry_smoothness=-8.2,
            steadiness_deg=2.1,
            knee_flexion_deg=9.0,
            warnings=[w],
        ),
        Hold("knee_to_chest", "single", "left", 1, 30.0, 41.0, 11.0, "too_short", True, 112.0),
    ]
    return SessionResult(SourceInfo(path, 41.0, 30.0, 1230, 640, 480), holds, [w], FrameCounts(1230, 1200, 3, 0))


def test_csv_reads_back_to_the_json_numbers() -> None:
    r = _result()
    report = json.loads(to_json(r))
    rows = list(csv.DictReader(io.StringIO(holds_csv(r))))
    assert len(rows) == len(report["holds"])
    for row, h in zip(rows, report["holds"], strict=True):
        for key in ("start_s", "end_s", "duration_s", "peak_hip_flexion_deg"):
            assert float(row[key]) == h[key]
        assert row["verdict"] == h["verdict"] and int(row["rep"]) == h["rep"]
        assert int(row["warning_count"]) == len(h["warnings"])
        assert (row["side"] or None) == h["side"]
    warns = list(csv.DictReader(io.StringIO(warnings_csv(r))))
    assert [(float(w["t_s"]), w["kind"]) for w in warns] == [(3.2, "jerky_motion")]


def test_hostile_file_names_are_escaped_in_html() -> None:
    page = render_html(_result('<img src=x onerror="alert(1)">&<script>bad()</script>.mp4'))
    assert "<script>bad()" not in page and 'onerror="alert' not in page
    assert "&lt;script&gt;bad()&lt;/script&gt;" in page
    assert "not a medical device" in page
    assert 'id="angles-plot"' in page and 'id="holds"' in page
    import re

    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing loaded from the network


def test_a_session_without_angles_plots_without_library_warnings() -> None:
    """No person seen: the plot has no angle lines, and matplotlib must not warn about an empty legend
    on the user's terminal."""
    import warnings

    from formcheck.report.plots import angles_svg

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = angles_svg(_result("nobody.mp4"))
    assert svg.startswith("<svg")
    assert not [w for w in caught if issubclass(w.category, UserWarning)], [str(w.message) for w in caught]
