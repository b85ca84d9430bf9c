"""The runnable examples in samples/ work without the model or the shared clips."""

from pathlib import Path

import formcheck

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_knee_to_chest_session_sample() -> None:
    """Composed from a right hold of ~25 s and a mirrored (left) hold of ~21 s, both 20-30 s by construction."""
    r = formcheck.analyze_track(SAMPLES / "knee_to_chest_session.npz")
    assert [(h.stretch, h.side, h.rep) for h in r.holds] == [
        ("knee_to_chest", "right", 1),
        ("knee_to_chest", "left", 1),
    ]
    assert all(h.verdict == "in_range" for h in r.holds)


def test_forward_fold_sample() -> None:
    r = formcheck.analyze_track(SAMPLES / "forward_fold_standing.npz")
    (hold,) = r.holds
    assert (hold.stretch, hold.variant, hold.open_at_end) == ("forward_bend", "standing", True)
