"""Adaptive sampling (the default for video files) gives the same answers as every frame.

Every shared clip against its full-rate analysis (the session fixture), and two composed sessions
(standing folds at 60 fps; knee-to-chest per side and a seated fold at 30 fps): the same holds,
start and end within 0.2 s, the same verdicts, hip flexion within a few degrees, the same
motion-warning kinds within 0.3 s. (bench/realtime.py runs 3-minute versions of the sessions.)
"""

from __future__ import annotations

import pytest

import formcheck
from formcheck.analysis.motion import MOTION_KINDS
from tests.conftest import CLIPS, SHARED
from tests.helpers import sessions

pytestmark = pytest.mark.usefixtures("require_shared")
SLACK_S = 0.2
HOLD_CLIPS = {"forward_fold_standing", "forward_bend_seated", "knee_to_chest_generated"}


def _same_answers(full, adaptive, cuts: tuple[float, ...] = (), motion: bool = True) -> None:
    assert adaptive.sampling["mode"] == "adaptive" and full.sampling["mode"] == "every_frame"
    assert adaptive.frames.total == full.frames.total
    assert len(adaptive.holds) == len(full.holds), (adaptive.holds, full.holds)
    for a, f in zip(adaptive.holds, full.holds, strict=True):
        assert (a.stretch, a.side, a.verdict, a.open_at_end) == (f.stretch, f.side, f.verdict, f.open_at_end)
        assert abs(a.start_s - f.start_s) <= SLACK_S and abs(a.end_s - f.end_s) <= SLACK_S, (a, f)
        assert a.hip_flexion_deg == pytest.approx(f.hip_flexion_deg, abs=5.0)

    # a cut from one clip to another (composed sessions) teleports the body: not a movement
    def moving(ws):
        return [w for w in ws if w.kind in MOTION_KINDS and all(abs(w.t_s - c) > 1.0 for c in cuts)]

    if not motion:
        return
    motion_a, motion_f = moving(adaptive.warnings), moving(full.warnings)
    assert [w.kind for w in motion_a] == [w.kind for w in motion_f]
    assert all(abs(a.t_s - f.t_s) <= 0.3 for a, f in zip(motion_a, motion_f, strict=True))


@pytest.mark.parametrize("name", CLIPS)
def test_shared_clip_same_answers_as_every_frame(clip_result, name: str) -> None:
    full, _ = clip_result(name)
    adaptive = formcheck.analyze_video(SHARED / "videos" / f"{name}.mp4", every_frame=False)
    _same_answers(full, adaptive)
    if name in HOLD_CLIPS:  # a held stretch is where the model is spared
        assert adaptive.sampling["model_frames"] < 0.95 * adaptive.frames.total


# Shorter than the benchmark's 3-minute sessions (CI time), the same composition: entries from
# rest, holds with the clip's own micro-motion, releases, rests; both sides.
# In the knee-to-chest routine, motion warnings are not compared. Its releases replay the
# generated clip backwards, and the model glitches at 2.8-3.0 s of that clip (the hugged leg's hip
# angle drops 19 deg for a few frames). Replayed after a hold's last turn, that makes 2 or 3
# reversals within the bouncing window; whether the third counts depends on the tracker's state at
# the glitch, which differs after the sampler switches landmarkers. Both modes raise 2-3
# bouncing warnings there. Holds, boundaries, verdicts and measurements are compared.
MOTION_COMPARED = {"folds_60fps"}
SESSIONS = {
    "folds_60fps": lambda out: sessions.folds_60fps(out, phone=False, max_side=640, holds=2, hold_s=14.0, rest_s=4.0),
    "routine_30fps": lambda out: sessions.routine_30fps(
        out, phone=False, max_side=640, hold_s=12.0, rest_s=3.0, per_side=1
    ),
}


@pytest.mark.parametrize("name", SESSIONS)
def test_composed_session_same_answers_as_every_frame(tmp_path, name: str) -> None:
    comp = SESSIONS[name](tmp_path / f"{name}.mp4")
    full = formcheck.analyze_video(comp.path, every_frame=True)
    adaptive = formcheck.analyze_video(comp.path, every_frame=False)
    assert len(full.holds) >= 2
    # another clip, or the mirrored clip (the other side): the body jumps between two frames
    src = [(clip, flipped) for clip, _, flipped in comp.src]
    cuts = tuple(i / comp.fps for i in range(1, len(src)) if src[i] != src[i - 1])
    _same_answers(full, adaptive, cuts, motion=name in MOTION_COMPARED)
    assert adaptive.sampling["model_frames"] < 0.6 * adaptive.frames.total
