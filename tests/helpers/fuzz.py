"""A seeded fuzzer of formcheck's inputs, shared by tests/integration/test_fuzz.py (a hundred
cases) and bench/fuzz.py (thousands).

Seeds: small real files (MP4/H.264, AVI/MJPEG, WebM/VP8, GIF, a saved track, a JSON report, a
settings TOML, a history database). Each case mutates one (bit flips, a cut, a splice with
another file of the same kind, a zeroed or repeated block) and runs the command a user would,
in a sandbox of its own (its own HOME, working folder and history). A case fails when:
- the exit code is not 0, 1, 2 or 130 (3 is formcheck's "internal error", negative a native crash);
- a Python traceback reaches the terminal;
- anything is written outside the outputs the command was given (a cache under HOME is fine);
- the input itself was changed (a history database may gain its WAL files, nothing else).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

KINDS = ("mp4", "avi", "webm", "gif", "npz", "json", "toml", "db")
SETTINGS = """\
[plan]
hold_s = [20, 30]
rest_s = 15
days_per_week = 6
[[plan.stretch]]
name = "knee_to_chest"
side = "left"
reps = 2

[hold]
min_dwell_s = 1.0
"""


@dataclass(frozen=True)
class Case:
    kind: str
    seed: int
    how: str
    code: int
    problem: str | None  # None: every invariant held

    def describe(self) -> str:
        return f"{self.kind} #{self.seed} ({self.how}): exit {self.code}: {self.problem}"


def make_seeds(folder: Path, clip: Path) -> dict[str, list[Path]]:
    """Two seed files per kind (splices need a partner), from `clip` (a short real video)."""
    import cv2

    folder.mkdir(parents=True, exist_ok=True)
    seeds: dict[str, list[Path]] = {k: [] for k in KINDS}
    ff = shutil.which("ffmpeg")
    for i, start in enumerate((0.0, 0.8)):
        cap = cv2.VideoCapture(str(clip))
        fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
        cap.set(cv2.CAP_PROP_POS_MSEC, start * 1000)
        frames = []
        while len(frames) < int(fps * 1.2):
            ok, img = cap.read()
            if not ok:
                break
            frames.append(cv2.resize(img, (240, int(240 * img.shape[0] / img.shape[1]) // 2 * 2)))
        cap.release()
        h, w = frames[0].shape[:2]
        for kind, fourcc in (("mp4", "mp4v"), ("avi", "MJPG"), ("webm", "VP80")):
            path = folder / f"seed{i}.{kind}"
            writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (w, h))
            for img in frames:
                writer.write(img)
            writer.release()
            if path.stat().st_size > 0:
                seeds[kind].append(path)
        if ff:
            subprocess.run([ff, "-v", "error", "-y", "-i", str(folder / f"seed{i}.avi"), "-vf", "fps=8",
                            str(folder / f"seed{i}.gif")], check=True)  # fmt: skip
            seeds["gif"].append(folder / f"seed{i}.gif")
            h264 = folder / f"seed{i}-h264.mp4"
            subprocess.run([ff, "-v", "error", "-y", "-i", str(folder / f"seed{i}.avi"), "-c:v", "libx264",
                            "-pix_fmt", "yuv420p", str(h264)], check=True)  # fmt: skip
            seeds["mp4"].append(h264)
        out = folder / f"session{i}"
        p = _formcheck(["analyze", str(folder / f"seed{i}.avi"), "--out", str(out), "--no-history"], folder)
        assert p.returncode == 0, p.stderr
        (out,) = out.iterdir()  # --out gives each session its own folder
        seeds["npz"].append(out / "track.npz")
        seeds["json"].append(out / "report.json")
        toml = folder / f"settings{i}.toml"
        toml.write_text(SETTINGS if i == 0 else SETTINGS.replace("min_dwell_s = 1.0", "[motion]\n"))
        seeds["toml"].append(toml)
        db = folder / f"history{i}.db"
        for _ in range(i + 1):  # one and two sessions
            p = _formcheck(
                ["analyze", str(out / "track.npz"), "--db", str(db), "--json", str(folder / "x.json")], folder
            )
            assert p.returncode == 0, p.stderr
        seeds["db"].append(db)
    return seeds


def mutate(data: bytes, other: bytes, rng: random.Random) -> tuple[str, bytes]:
    b = bytearray(data)
    how = rng.choice(("flip", "flip", "cut", "splice", "zero", "repeat"))
    if how == "flip" or not b:
        n = rng.choice((1, 2, 4, 16, 64))
        for _ in range(n):
            i = rng.randrange(max(len(b), 1))
            if b:
                b[i] ^= 1 << rng.randrange(8)
        return f"{n} bit flips", bytes(b)
    if how == "cut":
        at = rng.randrange(len(b))
        return f"cut at {at} of {len(b)}", bytes(b[:at])
    if how == "splice":
        at, at2 = rng.randrange(len(b)), rng.randrange(max(len(other), 1))
        return f"head {at} + other's tail from {at2}", bytes(b[:at]) + other[at2:]
    at = rng.randrange(len(b))
    size = rng.choice((16, 256, 4096))
    if how == "zero":
        b[at : at + size] = bytes(len(b[at : at + size]))
        return f"{size} bytes zeroed at {at}", bytes(b)
    return f"{size} bytes repeated at {at}", bytes(b[:at] + b[at : at + size] * 3 + b[at:])


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "FORMCHECK_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"), MPLCONFIGDIR=str(home / ".cache/matplotlib"),
               FORMCHECK_DB=str(home / "unused.db"))  # fmt: skip
    return env


def _formcheck(
    args: list[str], cwd: Path, home: Path | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    env = _env(home) if home is not None else {**os.environ}
    return subprocess.run([sys.executable, "-m", "formcheck", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def command(kind: str, target: Path, out: Path, settings_track: Path) -> list[str]:
    """What a user runs on a file of this kind; every output goes under `out`."""
    if kind in ("mp4", "avi", "webm", "gif", "npz"):
        return ["analyze", str(target), "--no-history", "--json", str(out / "r.json")]
    if kind == "json":
        return ["report", str(target), "--format", "html", "--out", str(out)]
    if kind == "toml":
        return ["analyze", str(settings_track), "--config", str(target), "--no-history", "--json", str(out / "r.json")]
    return ["history", "--db", str(target), "--html", str(out / "p.html")]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"


def run_case(kind: str, seed: int, seeds: dict[str, list[Path]], work: Path) -> Case:
    rng = random.Random(f"{kind}-{seed}")
    files = seeds[kind]
    first = rng.randrange(len(files))
    data, other = files[first].read_bytes(), files[(first + 1) % len(files)].read_bytes()
    how, mutated = mutate(data, other, rng)
    box = work / f"{kind}-{seed}"
    shutil.rmtree(box, ignore_errors=True)
    (box / "home").mkdir(parents=True)
    (box / "out").mkdir()
    target = box / f"input.{kind}"
    target.write_bytes(mutated)
    track = box / "settings-track.npz"
    shutil.copy(seeds["npz"][0], track)
    before = {p: _digest(p) for p in (target, track)}
    try:
        p = _formcheck(command(kind, target, box / "out", track), box, box / "home")
    except subprocess.TimeoutExpired:
        return Case(kind, seed, how, -999, "hung (no answer in 180 s)")
    problem = None
    if p.returncode not in (0, 1, 2, 130):
        said = " ".join(p.stderr.split())[-300:]
        problem = f"native crash (signal {-p.returncode})" if p.returncode < 0 else f"unexpected exit: {said}"
    elif "Traceback" in p.stderr or "Traceback" in p.stdout:
        problem = "traceback: " + p.stderr.strip().splitlines()[-1][:200]
    else:
        allowed = {target, track, box / "home", box / "out"}
        wal = {Path(f"{target}{s}") for s in ("-wal", "-shm", "-journal")} if kind == "db" else set()
        for path in box.rglob("*"):
            inside = any(path == a or a in path.parents for a in allowed | wal)
            cache = (box / "home" / ".cache") in path.parents or path == box / "home" / ".cache"
            config = path.is_relative_to(box / "home")  # formcheck's own first-run marker and data folders
            if not inside and not cache and not config:
                problem = f"wrote {path.relative_to(box)}"
                break
            if path.is_relative_to(box / "home") and path.is_file() and not cache and path.name != "live_note_seen":
                problem = f"wrote {path.relative_to(box)} under HOME"
                break
        if problem is None and _digest(track) != before[track]:
            problem = "changed the settings track"
        if problem is None and kind != "db" and _digest(target) != before[target]:
            problem = "changed its input"
    if problem is None:
        shutil.rmtree(box, ignore_errors=True)
    return Case(kind, seed, how, p.returncode, problem)
