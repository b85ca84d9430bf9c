import pytest

from formcheck.analysis.routine import Plan, PlanItem, load_plan
from formcheck.errors import FormcheckError
from formcheck.types import Hold


def _hold(stretch: str, side: str | None) -> Hold:
    return Hold(stretch, "single", side, 1, 0.0, 25.0, 25.0, "in_range", False, 110.0)  # type: ignore[arg-type]


def test_default_plan_follows_the_seed_advice() -> None:
    plan = Plan()
    assert plan.hold_s == (20.0, 30.0)
    assert {(i.stretch, i.side, i.reps) for i in plan.items} == {
        ("knee_to_chest", "left", 3),
        ("knee_to_chest", "right", 3),
        ("forward_bend", None, 3),
    }


def test_progress_and_next() -> None:
    plan = Plan()
    holds = [_hold("knee_to_chest", "left")] * 3 + [_hold("knee_to_chest", "right")]
    assert plan.done(holds)[PlanItem("knee_to_chest", "left", 3)] == 3
    assert plan.next_item(holds) == PlanItem("knee_to_chest", "right", 3)


def test_toml_overrides(tmp_path) -> None:
    p = tmp_path / "plan.toml"
    p.write_text('hold_s = [15, 25]\nrest_s = 10\n[[stretch]]\nname = "forward_bend"\nreps = 2\n')
    plan = load_plan(p)
    assert plan.items == (PlanItem("forward_bend", None, 2),) and plan.hold_s == (15.0, 25.0)


@pytest.mark.parametrize(
    "text",
    [
        '[[stretch]]\nname = "squat"\n',
        '[[stretch]]\nname = "knee_to_chest"\nside = "up"\n',
        "hold_s = [30, 10]\n",
        "not = toml = at all",
    ],
)
def test_bad_plans_are_clear_errors(tmp_path, text: str) -> None:
    p = tmp_path / "plan.toml"
    p.write_text(text)
    with pytest.raises(FormcheckError, match="plan"):
        load_plan(p)
