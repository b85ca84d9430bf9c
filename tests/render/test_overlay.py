import itertools

import cv2
import numpy as np
import pytest

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


@pytest.mark.parametrize(("scale", "thick"), [(0.5, 1), (0.6, 1), (0.9, 2), (1.4, 3)])
@pytest.mark.parametrize("background", [60, 128, 230])
def test_text_sits_on_a_dark_panel_that_surrounds_it(scale: float, thick: int, background: int) -> None:
    """Fill and its dark backing line up at every size: the light glyph pixels all lie inside a
    darkened panel that frames the text on every side (OpenCV 5 draws thicker text wider, so a
    thicker dark copy behind it, the usual outline, does not line up and garbles the line)."""
    from formcheck.render.overlay import WHITE, _text

    img = np.full((140, 900, 3), background, np.uint8)
    _text(img, "Knee to chest (left): 0/3", (20, 80), scale, WHITE, thick)
    grey = img[:, :, 1].astype(int)
    light = grey > max(background, 128) + 40 if background < 200 else grey > 250
    ys, xs = np.nonzero(light)
    assert len(xs) > 50, "no text drawn"
    dark = grey < background * 0.5
    pad = 2
    ring = np.zeros_like(light)
    ring[ys.min() - pad : ys.max() + pad + 1, xs.min() - pad : xs.max() + pad + 1] = True
    ring[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] = False
    assert dark[ring].mean() > 0.95, "the text is not framed by a dark backing on every side"


def _full_state(elapsed_s: float) -> OverlayState:
    return OverlayState(
        stretch_text="Knee to chest - right",
        elapsed_s=elapsed_s,
        holding=True,
        reps_lines=["Knee to chest (left): 0/3", "Knee to chest (right): 1/3", "Forward bend: 0/3"],
        next_text="next: Knee to chest (left)",
        warning="Slow down, no bouncing",
        guidance="Step back, I can't see your feet",
        fps=29.8,
        muted=True,
    )


@pytest.mark.parametrize(("h", "w"), [(360, 640), (720, 1280), (1080, 1920), (1280, 720)])
@pytest.mark.parametrize("background", ["mid", "bright", "textured"])
@pytest.mark.parametrize("elapsed_s", [5.0, 25.0, 35.0])  # every phase colour: keep going, in range, release
def test_every_line_of_the_overlay_is_legible(h: int, w: int, background: str, elapsed_s: float) -> None:
    """All 9 lines (stretch, 3 plan lines, next, phase label, guidance, warning, status), at
    every frame size: on their own panel, inside it, and contrasted enough (WCAG 4.5)."""
    from tests.helpers.legibility import assert_legible

    rng = np.random.default_rng(h + w)
    if background == "textured":  # a room: smooth light and dark patches, camera noise
        base = cv2.resize(rng.uniform(70, 255, (9, 16, 3)), (w, h), interpolation=cv2.INTER_CUBIC)
        frame = np.clip(base + rng.normal(0, 6, base.shape), 61, 255).astype(np.uint8)
    else:
        frame = np.full((h, w, 3), {"mid": 128, "bright": 235}[background], np.uint8)
    out = draw_overlay(frame, _full_state(elapsed_s))
    cx, cy, r = timer_box(out)
    panels = assert_legible(out, cv2.flip(frame, 1), 9, skip=[(cx - r - 5, cy - r - 5, cx + r + 5, cy + r + 5)])
    tops = sorted((p.y0, p.y1) for p in panels if p.x0 < w // 2)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(tops)), "stacked panels overlap"
    # the seconds fill the ring, to be read from the mat: digits at least 0.6 of its radius high
    yy, xx = np.mgrid[: out.shape[0], : out.shape[1]]
    inner = (yy - cy) ** 2 + (xx - cx) ** 2 < (0.8 * r) ** 2
    ys = np.nonzero(inner & (np.abs(out.astype(int) - 40).sum(axis=2) > 150))[0]
    assert len(ys) and ys.max() - ys.min() >= 0.6 * r, "the hold's seconds are small in the ring"


def test_a_rejected_detection_gets_no_skeleton() -> None:
    """The quality gate refused the look (a bird, a blur): the banner says no one is in view, and
    no skeleton is drawn on whatever the model found."""
    from formcheck.analysis.routine import Plan
    from formcheck.analysis.session import Analyzer, FrameState
    from formcheck.render.overlay import state_from
    from formcheck.types import SourceInfo

    analyzer = Analyzer(SourceInfo("x.mp4", 10.0, 30.0, 300, 640, 480))
    frame = pose_frame(FOLD, 1.0, np.random.default_rng(1))
    analyzer.last = FrameState(frame, False, None, None)
    assert state_from(analyzer, Plan(), 1.0).landmarks is None
    analyzer.last = FrameState(frame, True, None, None)
    assert state_from(analyzer, Plan(), 1.0).landmarks is not None


@pytest.mark.parametrize(("w", "h"), [(1152, 650), (1728, 972), (608, 1080)])
def test_text_is_drawn_at_the_window_size_and_keeps_its_share(w: int, h: int) -> None:
    """A 640x360 camera frame drawn for a large window: the cue's capitals are CAP_BIG of the
    window's shorter side (not the camera's), and a long cue wraps inside the picture."""
    from formcheck.render.overlay import CAP_BIG, WHITE

    frame = np.full((360, 640, 3), 128, np.uint8)
    cue = "Pull the knee straight toward your shoulder, not across"
    out = draw_overlay(frame, OverlayState(cue=cue), mirror=False, size=(w, h))
    assert out.shape[:2] == (h, w)
    _, cy, r = timer_box(out)
    below = out[cy + r :, :]
    white = (below == WHITE).all(axis=2)
    rows = np.nonzero(white.any(axis=1))[0]
    cols = np.nonzero(white.any(axis=0))[0]
    assert len(rows), "the cue is not drawn under the ring"
    # capitals and ascenders: the tallest run of rows with white pixels is one text line
    runs = np.split(rows, np.nonzero(np.diff(rows) > 1)[0] + 1)
    tallest = max(len(run) for run in runs)
    assert tallest >= 0.9 * CAP_BIG * min(h, w), (tallest, CAP_BIG * min(h, w))
    assert len(runs) >= 2 and cols.min() > 0 and cols.max() < w - 1, "a long cue wraps inside the picture"


def test_fit_fills_the_screen_whatever_the_camera() -> None:
    from formcheck.render.screen import fit

    assert fit((640, 360), (1920, 1080)) == (1632, 918)  # a small webcam enlarged
    assert fit((3840, 2160), (1280, 800)) == (1152, 648)  # a 4K camera shrunk
    w, h = fit((1080, 1920), (1280, 800))  # a phone held upright: as tall as fits
    assert h == 680 and abs(w / h - 1080 / 1920) < 0.01
    assert fit((640, 480), None) == (816, 612)  # no screen found: 1280x720 assumed (85% of its height)


def test_during_a_hold_the_plan_line_counts_its_reps_and_after_it_names_the_next() -> None:
    """Replaying the sample session through the analyzer as live does: while the right knee is held
    the line under the ring says which rep of the plan it is (not "next: " the stretch being done)."""
    from pathlib import Path

    from formcheck.analysis.routine import Plan
    from formcheck.analysis.session import Analyzer
    from formcheck.render.overlay import state_from
    from formcheck.sources.track import Track
    from formcheck.types import PoseFrame

    track = Track(Path(__file__).resolve().parents[2] / "samples" / "knee_to_chest_session.npz")
    analyzer, plan = Analyzer(track.info()), Plan()
    seen: dict[str, str] = {}
    for item in track:
        if not isinstance(item, PoseFrame):
            continue
        analyzer.update(item)
        state = state_from(analyzer, plan, item.t_s)
        key = "holding" if state.holding else "after" if analyzer.holds.holds else "before"
        seen.setdefault(key, state.next_text)
    assert seen["holding"] == "rep 1 of 3", seen
    assert seen["after"].startswith(("rest ", "next: ")) and "Knee to chest" in seen["after"], seen
