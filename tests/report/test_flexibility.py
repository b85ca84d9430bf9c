"""A hold's numbers in words: a distance the camera's view cannot measure says so instead of a number."""

from __future__ import annotations

from formcheck.report.flexibility import flexibility_text
from formcheck.stats import EITHER_SIDE, SAME_SIDE, measurable, smallest_change
from formcheck.types import Hold


def _hold(stretch: str, view: str, reach: float | None = None, kc: float | None = None) -> Hold:
    return Hold(
        stretch,  # type: ignore[arg-type]
        "seated" if stretch == "forward_bend" else "single",
        None if stretch == "forward_bend" else "left",
        1, 2.0, 26.0, 24.0, "in_range", False, 140.0,
        hip_flexion_deg=135.0, reach_cm=reach, knee_to_chest_cm=kc, view=view,
    )  # fmt: skip


def test_numbers_from_the_side_and_the_front() -> None:
    assert flexibility_text(_hold("forward_bend", "side", reach=-8.4)) == "reach -8 cm, hip 135°"
    assert flexibility_text(_hold("knee_to_chest", "oblique", kc=33.6)) == "knee–chest 34 cm, hip 135°"
    front = flexibility_text(_hold("forward_bend", "front"))
    assert "reach not measurable from the front (film from the side)" in front and "hip 135°" in front
    assert "not measurable" in flexibility_text(_hold("knee_to_chest", "front"))


def test_the_smallest_real_change_is_per_stretch_and_the_front_gives_no_distance() -> None:
    assert smallest_change("cm", "forward_bend", "standing") == EITHER_SIDE[("cm", "forward_bend", "standing")]
    assert smallest_change("hip", "knee_to_chest", "left") == EITHER_SIDE[("hip", "knee_to_chest", None)]
    assert smallest_change("cm", "knee_to_chest", None, same_side=True) == SAME_SIDE[("cm", "knee_to_chest", None)]
    # an unknown fold variant gets the looser band of the two
    assert smallest_change("cm", "forward_bend", None) == max(
        EITHER_SIDE[("cm", "forward_bend", v)] for v in ("standing", "seated")
    )
    # the same renderings minus the other side's: never a wider band
    assert SAME_SIDE.keys() == EITHER_SIDE.keys() and all(SAME_SIDE[k] <= EITHER_SIDE[k] for k in SAME_SIDE)
    assert not measurable("cm", "front") and measurable("cm", "side") and measurable("hip", "front")
