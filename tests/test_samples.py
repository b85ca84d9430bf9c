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


def test_the_demo_clip_drawn_from_the_track_gives_the_track_s_holds(tmp_path: Path) -> None:
    """samples/demo_knee_to_chest.mp4 is a figure drawn on the sample track's landmarks
    (samples/make_demo.py): the real model, on the real encoder's output, must find the holds
    the track itself gives, with their sides, so live, --annotate and key frames can be tried on it.
    The key frames of its report show the figure."""
    track = formcheck.analyze_track(SAMPLES / "knee_to_chest_session.npz")
    clip = formcheck.analyze_video(SAMPLES / "demo_knee_to_chest.mp4")
    assert [(h.stretch, h.side) for h in clip.holds] == [(h.stretch, h.side) for h in track.holds]
    for a, b in zip(clip.holds, track.holds, strict=True):
        assert abs(a.start_s - b.start_s) < 1.0 and abs(a.end_s - b.end_s) < 1.0, (a, b)
        assert a.verdict == b.verdict == "in_range"
    assert not [w for w in clip.warnings if w.severity != "info"], clip.warnings  # a gentle session
    assert len(clip.keyframes) == len(clip.holds)
