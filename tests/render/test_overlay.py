import numpy as np

from formcheck.render.overlay import GREEN, ORANGE, RED, OverlayState, draw_overlay, phase, timer_box
from tests.helpers.synth import FOLD, pose_frame


def test_phases_follow_the_target() -> None:
    assert phase(5, (20, 30)) == ("keep going", ORANGE)
    assert phase(25, (20, 30)) == ("in range", GREEN)
    assert phase(31, (20, 30)) == ("release", RED)


def test_overlay_draws_timer_ring_skeleton_and_text_without_touching_the_input() -> None:
    frame = np.full((480, 640, 3), 120, np.uint8)
    lm = pose_frame(FOLD, 0.0, np.random.default_rng(0)).landmarks
    state = OverlayState(
        landmarks=lm,
        stretch_text="Forward bend",
        elapsed_s=24.0,
        holding=True,
        reps_lines=["Forward bend: 1/3"],
        warning="Don't bounce: hold still",
    )
    out = draw_overlay(frame, state)
    assert (frame == 120).all()  # the input frame is not modified
    cx, cy, r = timer_box(out)
    ring = out[cy - r - 8 : cy + r + 8, cx - r - 8 : cx + r + 8]
    green = (ring[..., 1] > 180) & (ring[..., 0] < 120) & (ring[..., 2] < 120)
    assert green.sum() > 100  # 24 s: the "in range" ring
    assert (np.abs(out.astype(int) - 120).sum(axis=2) > 60).mean() > 0.02  # skeleton and text drawn


def test_mirroring_flips_the_video_but_not_the_text() -> None:
    frame = np.zeros((480, 640, 3), np.uint8)
    frame[:, :100] = 255  # a bright band on the left
    out = draw_overlay(frame, OverlayState(), mirror=True)
    assert out[240, 600].mean() > 200 and out[240, 50].mean() < 50
