"""The live journal on a real file: frames with dropouts go to disk once a second of stream time,
memory is released, the whole track reads back equal, and a chunk torn by a kill is dropped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcheck.sources.track import TrackRecorder
from formcheck.store.journal import Journal, Note, read_journal
from formcheck.types import PoseFrame


def _frames(n: int, fps: float = 30.0, seed: int = 0) -> list[PoseFrame]:
    """A person swaying a little, with jitter and every seventh frame lost (nobody found)."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(0.2, 0.8, (33, 5)).astype(np.float32)
    world = rng.normal(0, 0.3, (33, 3)).astype(np.float32)
    out = []
    for i in range(n):
        t = i / fps
        if i % 7 == 3:
            out.append(PoseFrame(t, None, None, 0))
            continue
        lm = base + np.float32(0.01 * np.sin(t)) + rng.normal(0, 0.002, base.shape).astype(np.float32)
        out.append(PoseFrame(t, lm, world + rng.normal(0, 0.003, world.shape).astype(np.float32), 1))
    return out


def _note(path: Path) -> Note:
    source = {"path": "camera 0", "duration_s": 0.0, "fps": 30.0, "frames": 0, "width": 640, "height": 480}
    return Note(str(path), 1, "2026-12-04T08:00:00", source, "r.json", "t.npz", None, None, True, None)


def test_journal_keeps_every_frame_and_memory_stays_small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    frames = _frames(900)  # 30 s
    rec, log = TrackRecorder(capacity=64), Journal(tmp_path / "s.journal", _note(tmp_path / "s.journal"))
    for f in frames:
        rec.update(f)
        log.update(rec)
        assert rec.n - rec.released <= 40  # at most a second and a bit held in memory
    log.update(rec, force=True)
    assert len(rec.arrays()[0]) == 0 and rec.n == 900 and log.written == 900
    whole = log.whole_track(rec)
    t, lm, w, p = whole.arrays()
    assert np.allclose(t, [f.t_s for f in frames])
    lost = np.array([f.landmarks is None for f in frames])
    assert np.isnan(lm[lost]).all() and not np.isnan(lm[~lost]).any()  # a reused slot never keeps old landmarks
    assert np.allclose(lm[~lost], np.stack([f.landmarks for f in frames if f.landmarks is not None]))
    assert np.allclose(w[~lost], np.stack([f.world for f in frames if f.world is not None]))
    assert list(p[lost]) == [0] * lost.sum()
    with pytest.raises(ValueError, match="released"):
        rec.save(tmp_path / "t.npz", None)  # type: ignore[arg-type]


def test_a_chunk_torn_by_a_kill_is_dropped_and_the_rest_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = tmp_path / "s.journal"
    rec, log = TrackRecorder(), Journal(path, _note(path))
    for f in _frames(95):
        rec.update(f)
        log.update(rec)
    log.close()
    whole = path.read_bytes()
    note, back = read_journal(path)
    assert note.started_at == "2026-12-04T08:00:00" and back.n == log.written
    path.write_bytes(whole[:-500])  # the last chunk half-written
    _, torn = read_journal(path)
    assert 0 < torn.n < back.n and np.allclose(torn.arrays()[0], back.arrays()[0][: torn.n])
    path.write_bytes(b"not a journal at all")
    with pytest.raises(ValueError, match="not a formcheck journal"):
        read_journal(path)
