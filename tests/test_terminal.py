"""What a person reads in a terminal window: 80 columns (the default of most terminals) and 120,
in a real pseudo-terminal; every number whole, nothing cut off with an ellipsis."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers.terminal import run_in_terminal

HUG = ROOT / "samples" / "knee_to_chest_session.npz"
FOLD = ROOT / "samples" / "forward_fold_standing.npz"


def _fits(text: str, columns: int) -> None:
    assert text.strip(), "nothing printed"
    too_long = [line for line in text.splitlines() if len(line) > columns]
    assert not too_long, too_long
    assert "…" not in text, text  # rich cuts a cell it cannot fit with an ellipsis


@pytest.mark.parametrize("columns", [80, 120])
def test_analyze_fits_the_terminal_and_keeps_every_number(columns: int) -> None:
    shown = run_in_terminal("analyze", str(HUG), "--no-history", columns=columns)
    _fits(shown, columns)
    flat = " ".join(shown.split())
    for fragment in ("3.5–30.8 s", "27.3 s", "41.3–63.1 s", "21.8 s", "knee–chest 40 cm", "knee–chest 47 cm", "±3.4°"):
        assert fragment in flat, (fragment, shown)
    assert flat.count("in range") == 2
    assert "(right)" in flat and "(left)" in flat


@pytest.mark.parametrize("columns", [80, 120])
def test_history_fits_the_terminal_with_whole_dates(tmp_path: Path, columns: int) -> None:
    db = tmp_path / "h.db"
    for track, when in ((HUG, "2026-11-20T07:15"), (FOLD, "2026-11-24T18:30")):
        done = subprocess.run(
            [sys.executable, "-m", "formcheck", "analyze", str(track), "--db", str(db), "--date", when],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    shown = run_in_terminal("history", "--db", str(db), columns=columns)
    _fits(shown, columns)
    assert "2026-11-20 07:15" in shown and "2026-11-24 18:30" in shown, shown
    assert "knee_to_chest_session.npz" in shown and "forward_fold_standing.npz" in shown, shown
    assert re.search(r"2 of 2\s", shown) and re.search(r"0 of 1\s", shown), shown
    one = run_in_terminal("history", "--db", str(db), "--show", "2", columns=columns)
    _fits(one, columns)
    # the fold was held 19.65 s: a tenth of a second, never "20 s, too short"
    assert "19.7 s, too short" in " ".join(one.split()), one


@pytest.mark.parametrize("columns", [80, 120])
def test_explain_settings_and_help_fit_the_terminal(columns: int) -> None:
    _fits(run_in_terminal("explain", str(HUG), columns=columns), columns)
    settings = run_in_terminal("config", "show", columns=columns)
    _fits(settings, columns)
    assert "forward_bend.enter_max_knee_flexion" in settings and "knee_to_chest.enter_hip_flexion" in settings
    shown = run_in_terminal("analyze", "--help", columns=columns)
    _fits(shown, columns)
    assert "<bool>" not in shown and "--force" in shown, shown
