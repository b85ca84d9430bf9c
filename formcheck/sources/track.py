"""Landmark tracks: a session's per-frame pose, kept without its video.

File format (`.npz`, numpy's zip of arrays, readable with `numpy.load`):

| key         | dtype / shape        | meaning                                                   |
|-------------|----------------------|-----------------------------------------------------------|
| `format`    | str                  | always "formcheck-track"                                  |
| `version`   | int                  | 3 (2: no still frames; 1: no frames skipped by sampling)  |
| `meta`      | str (JSON)           | source info (path, fps, size, frames) + formcheck version |
| `t_s`       | float64 (N,)         | video time of each frame, seconds                         |
| `landmarks` | float32 (N, 33, 5)   | image landmarks x, y (0..1), z, visibility, presence; NaN = no pose |
| `world`     | float32 (N, 33, 3)   | world landmarks in metres, hip-centred; NaN = no pose     |
| `n_people`  | int8 (N,)            | people counted, -1 = not counted, -2 = not analysed, -3 = not analysed, still |

The raw model output is stored (before the quality gate and smoothing), so re-analysing a
track with a newer formcheck gives what that version would have given on the video. Frames the
model did not see (adaptive sampling; the last analysed one stands for them) are kept as such,
so a re-analysis weighs every pose as the first one did.
"""

from __future__ import annotations

import json
import os
import struct
import tokenize
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.errors import FormcheckError
from formcheck.files import atomic_write
from formcheck.skeleton import NUM_LANDMARKS
from formcheck.sources.frame import Frame, Sample, between
from formcheck.types import PoseFrame, SourceInfo

FORMAT = "formcheck-track"
# What numpy, zipfile and zlib raise on a track cut short, bit-flipped or edited by hand.
# (zipfile raises NotImplementedError for a flipped "encrypted" or compression flag, RuntimeError for
# a password; numpy MemoryError for a header claiming absurd shapes: all found by the fuzzer.)
DAMAGED = (
    OSError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    MemoryError,
    SyntaxError,
    tokenize.TokenError,
    struct.error,
    zipfile.BadZipFile,
    zlib.error,
)  # fmt: skip  (SyntaxError, TokenError: numpy parsing a bit-flipped array header, found by the fuzzer)
VERSION = 3
SKIPPED = -2  # n_people of a frame adaptive sampling did not show the model
STILL = -3  # ... a grid frame whose pixels had not moved since the last analysed one (a copy of it)


class TrackRecorder:
    """Collects PoseFrames in growable arrays (about 1 KB a frame).

    `release()` forgets the frames held so far once they are safe elsewhere (a live session's
    journal), so an hour of coaching does not hold an hour of landmarks in memory; the count
    and times go on from where they were."""

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0  # frames recorded in all
        self._base = 0  # frames released (index of the first frame still held)
        self._last_t = 0.0
        self._t = np.zeros(capacity, np.float64)
        self._lm = np.full((capacity, NUM_LANDMARKS, 5), np.nan, np.float32)
        self._w = np.full((capacity, NUM_LANDMARKS, 3), np.nan, np.float32)
        self._p = np.full(capacity, -1, np.int8)

    def _grow(self) -> None:
        self._t = np.resize(self._t, len(self._t) * 2)
        self._lm = np.concatenate([self._lm, np.full_like(self._lm, np.nan)])
        self._w = np.concatenate([self._w, np.full_like(self._w, np.nan)])
        self._p = np.concatenate([self._p, np.full_like(self._p, -1)])

    def _slot(self) -> int:
        i = self.n - self._base
        if i == len(self._t):
            self._grow()
        return i

    @property
    def last_t_s(self) -> float:
        """Time of the last frame recorded (0 before any)."""
        return self._last_t

    @property
    def released(self) -> int:
        return self._base

    def update(self, frame: PoseFrame) -> None:
        i = self._slot()
        self._t[i] = self._last_t = frame.t_s
        if frame.landmarks is not None and frame.world is not None:
            self._lm[i] = frame.landmarks
            self._w[i] = frame.world
        else:
            self._lm[i] = self._w[i] = np.nan
        self._p[i] = max(min(frame.n_people, 127), -1)
        self.n += 1

    def skip(self, t_s: float, still: bool = False) -> None:
        """A frame the model did not see (adaptive sampling); `still`: its pixels had not moved."""
        i = self._slot()
        self._t[i] = self._last_t = t_s
        self._lm[i] = self._w[i] = np.nan
        self._p[i] = STILL if still else SKIPPED
        self.n += 1

    def release(self) -> None:
        self._base = self.n

    def arrays(self, lo: int | None = None, hi: int | None = None) -> tuple[np.ndarray, ...]:
        """Frames lo..hi (of all recorded; default: those still held) as (times, landmarks, world
        landmarks, people counts): views, not copies."""
        lo = self._base if lo is None else lo
        hi = self.n if hi is None else hi
        if lo < self._base:
            raise ValueError(f"frames before {self._base} were released")
        a, b = lo - self._base, hi - self._base
        return self._t[a:b], self._lm[a:b], self._w[a:b], self._p[a:b]

    def extend(self, t_s: np.ndarray, lm: np.ndarray, w: np.ndarray, p: np.ndarray) -> None:
        """Append whole frames (a journal read back)."""
        i = self.n - self._base
        while i + len(t_s) > len(self._t):
            self._grow()
        j = i + len(t_s)
        self._t[i:j], self._lm[i:j], self._w[i:j], self._p[i:j] = t_s, lm, w, p
        self.n += len(t_s)
        if len(t_s):
            self._last_t = float(t_s[-1])

    @property
    def nbytes_per_frame(self) -> int:
        return int(self._t.itemsize + self._lm[0].nbytes + self._w[0].nbytes + self._p.itemsize)

    def save(self, path: str | os.PathLike[str], source: SourceInfo, extra: dict[str, Any] | None = None) -> Path:
        """Write atomically: a crash or full disk never leaves a half-written track."""
        from formcheck import __version__

        if self._base:
            raise ValueError("released frames are in the journal: save the track read back from it")
        meta = {"source": asdict(source), "formcheck_version": __version__, **(extra or {})}
        n = self.n
        return atomic_write(
            Path(path),
            lambda f: np.savez_compressed(
                f,
                format=np.array(FORMAT),
                version=np.array(VERSION),
                meta=np.array(json.dumps(meta)),
                t_s=self._t[:n],
                landmarks=self._lm[:n],
                world=self._w[:n],
                n_people=self._p[:n],
            ),
        )


def is_track(path: Path) -> bool:
    return path.suffix == ".npz"


class Track:
    """A loaded track: source info plus the frames, replayable through the analysis."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FormcheckError(f"no such track file: {self.path}")
        with open(self.path, "rb") as f:
            magic = f.read(4)
        if magic != b"PK\x03\x04":  # numpy's own guess for a non-archive is pickle advice
            raise FormcheckError(f"{self.path} is not a formcheck track (not an .npz archive)")
        try:
            with np.load(self.path, allow_pickle=False) as z:
                if "format" not in z.files or str(z["format"]) != FORMAT:
                    raise FormcheckError(f"{self.path} is not a formcheck track")
                if int(z["version"]) > VERSION:
                    raise FormcheckError(f"{self.path} needs a newer formcheck (track version {int(z['version'])})")
                self.meta = json.loads(str(z["meta"]))
                self.t_s = z["t_s"]
                self.landmarks = z["landmarks"]
                self.world = z["world"]
                self.n_people = z["n_people"]
            self._check()
        except FormcheckError:
            raise
        except DAMAGED as exc:
            cut = (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, struct.error, zlib.error)
            reason = "the file is cut short or damaged" if isinstance(exc, cut) else exc
            raise FormcheckError(f"cannot read track {self.path}: {reason}") from None

    def _check(self) -> None:
        """A damaged or hand-edited track is refused here, not deep inside the analysis."""
        n = len(self.t_s)
        if self.t_s.ndim != 1 or not np.isfinite(self.t_s).all():
            raise ValueError("its frame times are damaged")
        if self.landmarks.shape[:2] != (n, 33) or self.world.shape[:2] != (n, 33) or self.n_people.shape != (n,):
            raise ValueError("its arrays do not fit together")
        if self.landmarks.shape[2] < 3 or self.world.shape[2] < 3:
            raise ValueError("its landmarks are damaged")
        self.info()  # the source description must be complete

    def info(self) -> SourceInfo:
        src = dict(self.meta["source"])
        src["kind"] = "track"
        return SourceInfo(**src)

    def __len__(self) -> int:
        return len(self.t_s)

    def _pose(self, i: int) -> PoseFrame:
        t, lm = float(self.t_s[i]), self.landmarks[i]
        if np.isnan(lm[0, 0]):
            return PoseFrame(t, None, None, int(self.n_people[i]))
        return PoseFrame(t, lm, self.world[i], int(self.n_people[i]))

    def __iter__(self) -> Iterator[PoseFrame | Sample]:
        """The frames as the sampler passed them on: still ones with the looks around them
        interpolated again (`sources.frame.between`), so a re-analysis weighs every pose the same."""
        looked = np.flatnonzero((self.n_people != SKIPPED) & (self.n_people != STILL))
        last: PoseFrame | None = None
        for i in range(len(self.t_s)):
            t = float(self.t_s[i])
            if self.n_people[i] == SKIPPED:
                yield Sample(Frame(i, t, None), None)
            elif self.n_people[i] == STILL:
                k = int(np.searchsorted(looked, i))
                after = self._pose(int(looked[k])) if k < len(looked) else None
                pose = between(last, after, t) if last is not None else None
                yield Sample(Frame(i, t, None), pose, still=pose is not None)
            else:
                last = self._pose(i)
                yield last
