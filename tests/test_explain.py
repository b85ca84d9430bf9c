"""`formcheck explain`: every rule with its measured value, read from the recognisers' own rules."""

import json
import re

import formcheck
from formcheck.explain import describe, explain
from tests.conftest import ROOT, SHARED
from tests.test_cli import assert_one_line_error, run

SESSION = ROOT / "samples" / "knee_to_chest_session.npz"


def test_explain_during_a_hold_shows_the_matching_stretch_and_its_rules() -> None:
    result = formcheck.analyze_track(SESSION)
    hold = result.holds[0]
    mid = (hold.start_s + hold.end_s) / 2
    _, collected = explain(SESSION, at=mid)
    (moment,) = collected.moments
    assert abs(moment.t_s - mid) < 0.1
    lines = describe(moment)
    header = f"knee-to-chest ({hold.side}, single) (keeping the hold: exit thresholds): MATCHES"
    assert header in lines, lines
    # The running hold keeps its exit thresholds: every rule of its stretch passes, with numbers
    after = lines[lines.index(header) + 1 :]
    rules = after[: next((i for i, ln in enumerate(after) if not ln.startswith("  ")), len(after))]
    assert len(rules) == 7 and all(ln.startswith("  ok") for ln in rules), rules
    assert any(re.search(r"thigh pulled in \(hip flexion\) \d+° >= 70°", ln) for ln in rules)


def test_explain_says_why_not_between_holds() -> None:
    result = formcheck.analyze_track(SESSION)
    gap = (result.holds[0].end_s + result.holds[1].start_s) / 2
    _, collected = explain(SESSION, at=gap)
    (moment,) = collected.moments
    assert moment.match is None
    failed = [o for v in moment.verdicts for o in v.failed]
    assert failed, "nothing matches, so some rule fails"
    text = "\n".join(describe(moment))
    assert "NO " in text and "nearest:" in text


def test_the_explained_verdict_agrees_with_the_recogniser_on_every_frame() -> None:
    """One definition: a frame matched a stretch exactly when its rules all passed."""
    from formcheck.analysis.config import AnalysisConfig
    from formcheck.analysis.stretches import verdicts

    seen = []

    def check(st) -> None:
        if st.features is None:
            return
        vs = verdicts(st.features, AnalysisConfig(), st.holding)
        passed = [v for v in vs if v.passed]
        seen.append((st.match is not None, bool(passed)))
        if st.match is not None:
            assert any(v.stretch == st.match.stretch for v in passed)

    formcheck.analyze_track(SESSION, on_frame=check)
    assert len(seen) > 500 and all(a == b for a, b in seen)
    assert sum(a for a, _ in seen) > 100


def test_explain_command_timeline_and_closest_miss() -> None:
    p = run("explain", str(SESSION))
    assert p.returncode == 0, p.stderr
    assert "once a second" in p.stdout and "matches" in p.stdout and "nearest" in p.stdout
    assert "the frame that came closest without matching" in p.stdout


def test_explain_command_bad_input(tmp_path) -> None:
    assert "no such file" in assert_one_line_error(run("explain", str(tmp_path / "missing.mp4")))


def test_explain_a_real_photo(require_shared) -> None:
    """On a photo the model sees, the rules say why a look-alike is not the stretch."""
    label = json.loads((SHARED / "photos" / "labels" / "neg_child_pose_a.json").read_text())
    p = run("explain", str(SHARED / "photos" / label["image"]), "--at", "5")
    assert p.returncode == 0, p.stderr
    assert "0 hold(s)" in p.stdout
    assert re.search(r"NO  posture: \w+ \(needs lying on the back\)", p.stdout), p.stdout


def test_explain_says_what_the_hold_logic_is_doing() -> None:
    result = formcheck.analyze_track(SESSION)
    hold = result.holds[0]
    _, collected = explain(SESSION, at=(hold.start_s + hold.end_s) / 2)
    (moment,) = collected.moments
    side = f"knee-to-chest ({hold.side}, single)"
    assert any(re.match(rf"hold: {re.escape(side)} held since [\d.]+ s \([\d.]+ s\)", ln) for ln in describe(moment))
    # on the timeline too, next to each matching second
    proc = run("explain", str(SESSION))
    assert proc.returncode == 0
    assert re.search(r"knee-to-chest \((left|right), single\): matches; held since [\d.]+ s \(", proc.stdout)
