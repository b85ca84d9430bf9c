"""Adaptive sampling (the default for video files) gives the same answers as every frame.

Every shared clip against its full-rate analysis (the session fixture), and generated sessions
(entries and releases at 0.5x-5x, holds played forward and backward, stills, dim light, mirrored):
the same holds, start and end within 0.2 s, the same verdicts, the same numbers (hip flexion within
1 degree, reach and knee-chest distance within 1 cm), the same motion-warning kinds within 0.3 s.
(bench/equivalence.py runs many more generated sessions; bench/realtime.py times 3-minute sessions.)
"""

from __future__ import annotations

import pytest

import formcheck
from formcheck.analysis.motion import MOTION_KINDS
from formcheck.evaluation import measure_differences
from tests.conftest import CLIPS, SHARED, label

pytestmark = pytest.mark.usefixtures("require_shared")
SLACK_S = 0.2
HOLD_CLIPS = {"forward_fold_standing", "forward_bend_seated", "knee_to_chest_generated"}


def _same_answers(full, adaptive, cuts: tuple[float, ...] = (), motion: bool = True) -> None:
    assert adaptive.sampling["mode"] == "adaptive" and full.sampling["mode"] == "every_frame"
    assert adaptive.frames.total == full.frames.total
    assert len(adaptive.holds) == len(full.holds), (adaptive.holds, full.holds)
    for a, f in zip(adaptive.holds, full.holds, strict=False):
        assert (a.stretch, a.side, a.verdict, a.open_at_end) == (f.stretch, f.side, f.verdict, f.open_at_end)
        assert abs(a.start_s - f.start_s) <= SLACK_S and abs(a.end_s - f.end_s) <= SLACK_S, (a, f)
        assert measure_differences(f, a) == []  # hip flexion within 1°, reach and knee-chest within 1 cm

    # a cut from one clip to another (composed sessions) teleports the body: not a movement
    def moving(ws):
        return [w for w in ws if w.kind in MOTION_KINDS and all(abs(w.t_s - c) > 1.0 for c in cuts)]

    if not motion:
        return
    motion_a, motion_f = moving(adaptive.warnings), moving(full.warnings)
    assert [w.kind for w in motion_a] == [w.kind for w in motion_f]
    assert all(abs(a.t_s - f.t_s) <= 0.3 for a, f in zip(motion_a, motion_f, strict=False))


# Every clip with a labelled hold (where the numbers are compared), the fast ones (jerky warnings) and
# the 60-fps clips whose warnings once differed; bench/equivalence.py and `bench/accuracy.py`
# (default and --every-frame) cover every shared clip.
EQUIVALENCE_CLIPS = sorted(
    {n for n in CLIPS if label(n)["holds"]} | {"burpees", "jumping_jacks", "seated_twist_knee_hug", "supine_bicycle"}
)


@pytest.mark.parametrize("name", EQUIVALENCE_CLIPS)
def test_shared_clip_same_answers_as_every_frame(clip_result, name: str) -> None:
    full, _ = clip_result(name)
    adaptive = formcheck.analyze_video(SHARED / "videos" / f"{name}.mp4", every_frame=False)
    _same_answers(full, adaptive)
    if name in HOLD_CLIPS:  # a held stretch is where the model is spared
        assert adaptive.sampling["model_frames"] < 0.95 * adaptive.frames.total


# Sessions no one recorded (tests/helpers/generate.py; bench/equivalence.py runs many): four
# seeds chosen by what they contain and their length (under 32 s), before their answers were
# known: a standing fold entered at 5x (116); knee-to-chest small in the frame, entered at 3x and
# 5x, reps joined by a still (84); a seated fold mirrored, then a still (101); a standing fold in
# dim light released at 5x (73).
# One of them does not agree yet (issue 17, open): marked as an expected failure, with what differs
# (not strict: the model's tracker can round differently on another CPU; an XPASS says look).
OPEN = "issue 17: adaptive sampling does not give every frame's answers here yet"
GENERATED = (
    pytest.param(
        116,
        marks=pytest.mark.xfail(
            strict=False,
            reason=f"{OPEN}: both modes warn jerky_motion on the 5x entry now (issue 29: a gap of looks the "
            "quality gate rejected no longer restarts the adaptive histories), at 5.03 s and 5.37 s: the share of "
            "the last second over the acceleration threshold is 0.61 and 0.58 against 0.6 at 5.03 s",
        ),
    ),
    84,
    101,
    73,
)


@pytest.mark.parametrize("seed", GENERATED)
def test_generated_session_same_answers_as_every_frame(tmp_path, seed: int) -> None:
    from formcheck.evaluation import mode_differences
    from tests.helpers.generate import generated_session

    gen = generated_session(seed, tmp_path / f"gen{seed}.mp4")
    full = formcheck.analyze_video(gen.composed.path, every_frame=True)
    adaptive = formcheck.analyze_video(gen.composed.path)
    assert full.holds, gen.description  # each has a stretch to time
    assert mode_differences(full, adaptive) == [], gen.description
    assert adaptive.sampling["model_frames"] < 0.8 * adaptive.frames.total
