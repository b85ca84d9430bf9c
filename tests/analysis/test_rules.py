"""Rules as data: thresholds with hysteresis, yes/no conditions, either-or groups."""

import pytest

from formcheck.analysis.rules import AnyOf, Condition, Threshold, Verdict, nearest_miss

KNEE = Threshold("knee bend", lambda f, s: f["knee"], "<=", 45.0, 70.0, "°", "mostly straight", "Straighten")
LEAN = Threshold("trunk lean", lambda f, s: f["lean"], ">=", 45.0, 35.0, "°", "leaning forward", "Bend forward")


def test_a_threshold_is_strict_to_enter_and_loose_to_keep() -> None:
    f = {"knee": 55.0}
    entering, keeping = KNEE.evaluate(f, None, holding=False), KNEE.evaluate(f, None, holding=True)
    assert not entering.passed and keeping.passed
    assert entering.text == "knee bend 55° > 45°" and keeping.text == "knee bend 55° <= 70°"
    assert entering.miss == pytest.approx(10 / 25) and keeping.miss == 0.0


def test_a_condition_can_guard_only_the_start() -> None:
    c = Condition("over the legs", lambda f, s: f["over"], lambda f, s: "yes" if f["over"] else "no", "yes", "why",
                  exit_read=lambda f, s: 1.0)  # fmt: skip
    assert not c.evaluate({"over": 0.0}, None, holding=False).passed
    assert c.evaluate({"over": 0.0}, None, holding=True).passed
    assert c.evaluate({"over": 0.0}, None, holding=False).text == "over the legs: no (needs yes)"


def test_any_of_passes_on_one_and_explains_all_when_none() -> None:
    g = AnyOf("reach or depth", (KNEE, LEAN), "either")
    assert g.evaluate({"knee": 10.0, "lean": 0.0}, None, False).passed
    miss = g.evaluate({"knee": 60.0, "lean": 40.0}, None, False)
    assert not miss.passed and "knee bend 60° > 45° and trunk lean 40° < 45°" in miss.text
    assert miss.miss == pytest.approx(min(15 / 25, 5 / 10))


def test_the_nearest_miss_is_the_stretch_with_fewest_and_smallest_misses() -> None:
    f = {"knee": 50.0, "lean": 10.0}
    one = Verdict(
        "forward_bend", "standing", None, (KNEE.evaluate(f, None, False), LEAN.evaluate({"lean": 50.0}, None, False))
    )
    two = Verdict("knee_to_chest", "single", "left", (KNEE.evaluate(f, None, False), LEAN.evaluate(f, None, False)))
    assert nearest_miss([two, one]) is one
    ok = Verdict("forward_bend", "standing", None, (LEAN.evaluate({"lean": 50.0}, None, False),))
    assert nearest_miss([one, ok]) is None  # something matches: nothing to coach
