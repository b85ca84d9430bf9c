"""A live session's landmarks on disk as they come, so a killed process or a power cut loses at
most the last second or two, and the next start puts the session into the history.

The journal is append-only: a header (magic, then the session's description as JSON), then
chunks of whole frames (count, times, landmarks, world landmarks, people counts), each written
with one `write` and fsync'ed. A chunk torn by a kill is detected by its length and dropped.

While a session runs, a small note in the user data folder (`in-progress/`) names its journal,
its outputs and its history database; the next formcheck start that finds a note whose process
is gone recovers the session (see `recover_interrupted`).
"""

from __future__ import annotations

import json
import os
import struct
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.skeleton import NUM_LANDMARKS
from formcheck.sources.track import TrackRecorder
from formcheck.types import SourceInfo

MAGIC = b"FCJ1"
FLUSH_EVERY_S = 1.0  # stream time between writes: what a kill can cost at most, plus the last frame
_LM, _W = (NUM_LANDMARKS, 5), (NUM_LANDMARKS, 3)
_FRAME_BYTES = 8 + 4 * (_LM[0] * _LM[1] + _W[0] * _W[1]) + 1


def in_progress_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("formcheck")) / "in-progress"


@dataclass(frozen=True, slots=True)
class Note:
    """What the next start needs to finish an interrupted session."""

    journal: str
    pid: int
    started_at: str
    source: dict[str, Any]
    json_target: str
    track_target: str
    folder: str | None
    db: str | None  # None: the default database
    no_history: bool
    config: str | None


class Journal:
    """Appends the recorder's new frames to `path` once a second of stream time (see module doc)."""

    def __init__(self, path: Path, note: Note) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        header = json.dumps(asdict(note)).encode("utf-8")
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        os.write(self._fd, MAGIC + struct.pack("<I", len(header)) + header)
        os.fsync(self._fd)
        self.written = 0  # frames on disk
        self._last_t: float | None = None
        self.note_path = in_progress_dir() / f"{os.getpid()}-{int(time.time() * 1000)}.json"
        self.note_path.parent.mkdir(parents=True, exist_ok=True)
        self.note_path.write_text(json.dumps(asdict(note)), "utf-8")

    def update(self, recorder: TrackRecorder, force: bool = False) -> None:
        """Write what the recorder gained since the last write, if a second has passed."""
        n = recorder.n
        if n == self.written or self._fd < 0:
            return
        t = recorder.last_t_s
        if not force and self._last_t is not None and t - self._last_t < FLUSH_EVERY_S:
            return
        t_s, lm, w, p = recorder.arrays(self.written, n)  # all held: released up to `written`
        chunk = struct.pack("<I", n - self.written) + t_s.tobytes() + lm.tobytes() + w.tobytes() + p.tobytes()
        try:
            complete = os.write(self._fd, chunk) == len(chunk)
            if complete:
                os.fsync(self._fd)
        except OSError:
            complete = False
        if not complete:  # a full disk: stop here (a torn chunk ends the journal); memory keeps the rest
            self.close()
            return
        self.written, self._last_t = n, t
        recorder.release()  # on disk now: memory stays flat however long the session

    def whole_track(self, recorder: TrackRecorder) -> TrackRecorder:
        """Every frame of the session: the journal's, then those the recorder still holds (a
        full disk stops the journal; the frames since are still in memory)."""
        _, whole = read_journal(self.path)
        whole.extend(*recorder.arrays(whole.n, recorder.n))
        return whole

    def finish(self) -> None:
        """The session was saved the normal way: the journal and its note are no longer needed."""
        self.close()
        for p in (self.path, self.note_path):
            p.unlink(missing_ok=True)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def read_journal(path: Path) -> tuple[Note, TrackRecorder]:
    """The note and every whole frame of a journal (a torn last chunk is dropped); ValueError if
    it is not a readable journal."""
    try:
        return _read(Path(path).read_bytes(), path)
    except (struct.error, UnicodeDecodeError, TypeError, KeyError) as exc:
        raise ValueError(f"{path} is a damaged journal ({exc})") from None


def _read(data: bytes, path: Path) -> tuple[Note, TrackRecorder]:
    if data[:4] != MAGIC or len(data) < 8:
        raise ValueError(f"{path} is not a formcheck journal")
    (size,) = struct.unpack_from("<I", data, 4)
    note = Note(**json.loads(data[8 : 8 + size].decode("utf-8")))
    rec = TrackRecorder()
    at = 8 + size
    while at + 4 <= len(data):
        (count,) = struct.unpack_from("<I", data, at)
        end = at + 4 + count * _FRAME_BYTES
        if count == 0 or end > len(data):
            break  # torn by the kill
        o = at + 4
        t_s = np.frombuffer(data, np.float64, count, o)
        o += t_s.nbytes
        lm = np.frombuffer(data, np.float32, count * _LM[0] * _LM[1], o).reshape(count, *_LM)
        o += lm.nbytes
        w = np.frombuffer(data, np.float32, count * _W[0] * _W[1], o).reshape(count, *_W)
        o += w.nbytes
        p = np.frombuffer(data, np.int8, count, o)
        rec.extend(t_s, lm, w, p)
        at = end
    return note, rec


def source_of(note: Note, rec: TrackRecorder) -> SourceInfo:
    src = dict(note.source)
    src.update(duration_s=round(rec.last_t_s, 3), frames=rec.n)
    return SourceInfo(**src)
