"""Settings from one TOML file: thresholds and the plan, and one hold target everywhere."""

import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.analysis.session import Analyzer
from formcheck.errors import FormcheckError
from formcheck.live import describe
from formcheck.runner import run_session
from formcheck.settings import load_settings
from formcheck.store.history import History
from formcheck.types import SourceInfo
from tests.helpers.synth import FOLD, STAND, H, W, sequence

SETTINGS = """
[plan]
hold_s = [15, 25]
rest_s = 10
[[plan.stretch]]
name = "forward_bend"
reps = 2

[hold]
min_dwell_s = 0.8
[forward_bend]
enter_reach = 0.55
"""


def test_a_file_sets_thresholds_and_the_plan(tmp_path: Path) -> None:
    f = tmp_path / "settings.toml"
    f.write_text(SETTINGS)
    s = load_settings(f)
    assert s.analysis.hold.min_dwell_s == 0.8 and s.analysis.forward_bend.enter_reach == 0.55
    assert s.analysis.forward_bend.exit_reach == 0.5  # untouched: the default
    assert s.plan.hold_s == (15.0, 25.0) and s.plan.rest_s == 10.0 and [it.reps for it in s.plan.items] == [2]
    assert s.analysis.hold.target_s == (15.0, 25.0)  # the plan's target is the analysis target
    rows = {k: (v, src) for k, v, src in s.rows()}
    assert rows["hold.min_dwell_s"] == (0.8, f.name) and rows["hold.exit_dwell_s"][1] == "default"
    assert rows["hold.target_s"] == ([15.0, 25.0], "plan.hold_s")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[hold]\nmin_dwel_s = 1\n", "unknown setting hold.min_dwel_s"),
        ("[holds]\nmin_dwell_s = 1\n", "unknown section [holds]"),
        ("[hold]\ntarget_s = [10, 20]\n", "hold_s in [plan]"),
        ("[hold]\nmin_dwell_s = 'long'\n", "must be a number"),
        ("[plan]\nhold_s = [30, 20]\n", "hold_s must be"),
        ("[plan\n", "cannot read settings"),
    ],
)
def test_bad_settings_are_one_clear_error(tmp_path: Path, text: str, fragment: str) -> None:
    f = tmp_path / "s.toml"
    f.write_text(text)
    with pytest.raises(FormcheckError) as exc:
        load_settings(f)
    assert fragment in str(exc.value)


def test_config_show_prints_values_and_sources(tmp_path: Path) -> None:
    f = tmp_path / "settings.toml"
    f.write_text(SETTINGS)
    p = subprocess.run(
        [sys.executable, "-m", "formcheck", "config", "show", "--config", str(f)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    line = next(ln for ln in p.stdout.splitlines() if "hold.min_dwell_s" in ln)
    assert "0.8" in line and "settings.toml" in line
    bad = tmp_path / "bad.toml"
    bad.write_text("[hold]\nnope = 1\n")
    p = subprocess.run(
        [sys.executable, "-m", "formcheck", "config", "show", "--config", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr


def test_a_15_to_25_s_plan_makes_cue_verdict_and_history_agree(tmp_path: Path) -> None:
    f = tmp_path / "settings.toml"
    f.write_text(SETTINGS)
    s = load_settings(f)
    events = []
    # A 27 s fold: in range for the default 20-30 s, too long for this plan.
    keys = [(0, STAND), (2, STAND), (4, FOLD), (31, FOLD), (33, STAND), (35, STAND)]
    result = run_session(
        sequence(keys), Analyzer(SourceInfo("synthetic", 35.0, 30.0, 1050, W, H), s.analysis), on_event=events.append
    )
    (hold,) = result.holds
    assert hold.verdict == "too_long" and result.target_hold_s == (15.0, 25.0)
    cues = [describe(e) for e in events if e.kind == "hold_progress"]
    assert cues == ["Forward bend: 15 s - good, in range", "Forward bend: 25 s - release now"]
    with History(tmp_path / "h.db") as h:
        h.add(result, started_at="2026-11-20T09:00:00")
        ((_, _, _, n, credited),) = h.trends("day")
    assert n == 1 and credited == 25.0  # a too-long hold counts up to this plan's maximum, not 30 s
