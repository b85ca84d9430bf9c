import numpy as np
import pytest

from formcheck.errors import FormcheckError
from formcheck.sources.track import Track, TrackRecorder
from formcheck.types import PoseFrame, SourceInfo
from tests.helpers.synth import FOLD, STAND, sequence

INFO = SourceInfo("clip.mp4", 5.0, 30.0, 150, 1280, 720)


def test_round_trip_keeps_every_frame(tmp_path) -> None:
    frames = sequence([(0, STAND), (2, FOLD), (5, FOLD)], dropouts=((1.0, 1.3),))
    rec = TrackRecorder(capacity=16)  # forces growth
    for f in frames:
        rec.update(f)
    path = rec.save(tmp_path / "s.npz", INFO)
    back = list(Track(path))
    assert len(back) == len(frames)
    for a, b in zip(frames, back, strict=True):
        assert a.t_s == b.t_s
        assert (a.landmarks is None) == (b.landmarks is None)
        if a.landmarks is not None:
            np.testing.assert_allclose(a.landmarks, b.landmarks, rtol=1e-6)
            np.testing.assert_allclose(a.world, b.world, rtol=1e-6)
    assert Track(path).info().kind == "track"
    assert rec.nbytes_per_frame < 1200


def test_not_a_track_is_a_clear_error(tmp_path) -> None:
    p = tmp_path / "x.npz"
    np.savez(p, something=np.zeros(3))
    with pytest.raises(FormcheckError, match=r"cannot read track|not a formcheck track"):
        Track(p)
    (tmp_path / "junk.npz").write_text("hello")
    with pytest.raises(FormcheckError):
        Track(tmp_path / "junk.npz")


def test_failed_write_leaves_no_partial_file(tmp_path) -> None:
    rec = TrackRecorder()
    rec.update(PoseFrame(0.0, None, None, 0))
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(FormcheckError, match="cannot write"):
        rec.save(blocker / "t.npz", INFO)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not_a_dir"]


def test_frames_the_model_skipped_replay_as_skipped(tmp_path) -> None:
    """A track of an adaptive run keeps the frames the model did not see, so re-analysing it
    weighs each pose as the run did: the same holds, to the millisecond."""
    from formcheck.analysis.session import Analyzer
    from formcheck.runner import Runner
    from formcheck.sources.frame import Frame, Sample

    frames = sequence([(0, STAND), (2, FOLD), (26, FOLD), (28, STAND), (30, STAND)], dropouts=((9.0, 9.4),))
    # the model saw one frame in four while still, every frame around the entry and release
    seen = [abs(f.t_s - 2) < 1.5 or abs(f.t_s - 27) < 1.5 or i % 4 == 0 for i, f in enumerate(frames)]
    samples = [
        Sample(Frame(i, f.t_s, None), f if s else None) for i, (f, s) in enumerate(zip(frames, seen, strict=True))
    ]
    rec = TrackRecorder()
    first = Runner(Analyzer(INFO), recorder=rec).run(samples)
    path = rec.save(tmp_path / "adaptive.npz", INFO)
    again = Runner(Analyzer(INFO)).run(Track(path))
    assert len(first.holds) == 1
    assert [(h.start_s, h.end_s, h.hip_flexion_deg) for h in again.holds] == [
        (h.start_s, h.end_s, h.hip_flexion_deg) for h in first.holds
    ]
    # the skipped frames are in the file as such
    assert sum(isinstance(x, Sample) for x in Track(path)) == seen.count(False) > 0


@pytest.mark.parametrize("flag", [1 << 0, 1 << 6])  # "encrypted", "strong encryption": a flipped bit
def test_a_flipped_zip_flag_is_a_damaged_track_not_a_crash(tmp_path, flag: int) -> None:
    """Found by the fuzzer: zipfile raises NotImplementedError/RuntimeError for these bits."""
    rec = TrackRecorder()
    for f in sequence([(0, STAND), (1, FOLD)]):
        rec.update(f)
    data = bytearray(rec.save(tmp_path / "s.npz", INFO).read_bytes())
    at = data.find(b"PK\x01\x02", data.find(b"landmarks") - 200)  # a central-directory entry
    while at != -1:
        data[at + 8] |= flag
        at = data.find(b"PK\x01\x02", at + 4)
    (tmp_path / "flipped.npz").write_bytes(bytes(data))
    with pytest.raises(FormcheckError, match="cut short or damaged"):
        Track(tmp_path / "flipped.npz")
