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


def test_explain_command_answers_first_and_lists_the_rules_when_asked() -> None:
    p = run("explain", str(SESSION))
    assert p.returncode == 0, p.stderr
    first, second = [" ".join(p.stdout.split("\n" + w)[0].split()) for w in ("Closest", "formcheck explain --rules")]
    assert first.startswith("2 hold(s) found: knee to chest (right)"), p.stdout
    assert "This looks most like a knee-to-chest stretch" in second and "needs at least" in second, p.stdout
    assert "once a second" not in p.stdout and "NO " not in p.stdout  # the plain answer only
    full = run("explain", str(SESSION), "--rules")
    assert "once a second" in full.stdout and "matches" in full.stdout and "nearest" in full.stdout
    assert "the frame that came closest without matching" in full.stdout


def test_explain_command_bad_input(tmp_path) -> None:
    assert "no such file" in assert_one_line_error(run("explain", str(tmp_path / "missing.mp4")))


def test_explain_a_real_photo(require_shared) -> None:
    """On a photo the model sees, the rules say why a look-alike is not the stretch."""
    label = json.loads((SHARED / "photos" / "labels" / "neg_child_pose_a.json").read_text())
    p = run("explain", str(SHARED / "photos" / label["image"]), "--rules")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("This is not a stretch formcheck counts"), p.stdout
    assert re.search(r"NO  posture: \w+ \(needs lying on the back\)", p.stdout), p.stdout
    # a photo is one pose: explained once, not once a second
    assert "once a second" not in p.stdout and p.stdout.count("knee-to-chest (left, single)") == 1, p.stdout


def _photo(name: str) -> tuple[str, dict]:
    label = json.loads((SHARED / "photos" / "labels" / f"{name}.json").read_text())
    p = run("explain", str(SHARED / "photos" / label["image"]))
    assert p.returncode == 0, p.stderr
    return " ".join(p.stdout.split()), label


def test_explain_answers_in_one_sentence_for_a_stretch_a_near_miss_and_a_look_alike(require_shared) -> None:
    """The first sentence is the answer, in words a person uses, with the one thing to change."""
    stretch, _ = _photo("fb_seated_shallow_reach")
    assert stretch.startswith("This is a seated forward bend, and formcheck recognises it (reach"), stretch
    near, _ = _photo("amb_good_morning")  # a hip hinge, hands on the thighs: a fold not deep enough yet
    assert near.startswith("This looks most like a standing forward bend, but it can't count yet:"), near
    assert "needs at least" in near and "Reach down toward your feet." in near, near
    alike, _ = _photo("neg_child_pose_a")  # kneeling, folded: not one of the two stretches
    assert alike.startswith("This is not a stretch formcheck counts: it sees someone"), alike
    assert "The closest is a knee-to-chest stretch" in alike and "Lie on your back." in alike, alike
    for said in (stretch, near, alike):
        assert "body >" not in said and "°<" not in said  # no rule notation in the answer


def test_analyze_a_photo_gives_a_verdict_on_the_pose_not_a_hold_time(require_shared, tmp_path) -> None:
    db = tmp_path / "h.db"
    seen = run("analyze", str(SHARED / "photos" / "fb_seated_shallow_reach.jpg"), "--db", str(db))
    assert seen.returncode == 0, seen.stderr
    text = " ".join(seen.stdout.split())
    assert "recognised: forward bend (seated); reach" in text, text
    assert "too short" not in text and "open" not in text and "Holds (target" not in text, text
    assert not db.exists() or "No sessions" in run("history", "--db", str(db)).stdout  # a pose, not a session
    missed = run("analyze", str(SHARED / "photos" / "neg_child_pose_a.jpg"), "--no-history")
    assert "not recognised as knee-to-chest or a forward bend" in " ".join(missed.stdout.split()), missed.stdout


def test_explain_says_what_the_hold_logic_is_doing() -> None:
    result = formcheck.analyze_track(SESSION)
    hold = result.holds[0]
    _, collected = explain(SESSION, at=(hold.start_s + hold.end_s) / 2)
    (moment,) = collected.moments
    side = f"knee-to-chest ({hold.side}, single)"
    assert any(re.match(rf"hold: {re.escape(side)} held since [\d.]+ s \([\d.]+ s\)", ln) for ln in describe(moment))
    # on the timeline too, next to each matching second
    proc = run("explain", str(SESSION), "--rules")
    assert proc.returncode == 0
    assert re.search(r"knee-to-chest \((left|right), single\): matches; held since [\d.]+ s \(", proc.stdout)
