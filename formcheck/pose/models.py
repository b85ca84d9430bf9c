"""Where the pose model comes from, and proof that it is the official file."""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from formcheck.errors import FormcheckError

_BASE = "https://storage.googleapis.com/mediapipe-models/pose_landmarker"


@dataclass(frozen=True, slots=True)
class ModelSpec:
    name: str
    sha256: str
    size: int | None

    @property
    def filename(self) -> str:
        return f"pose_landmarker_{self.name}.task"

    @property
    def url(self) -> str:
        return f"{_BASE}/pose_landmarker_{self.name}/float16/latest/{self.filename}"


MODELS = {
    "full": ModelSpec("full", "4eaa5eb7a98365221087693fcc286334cf0858e2eb6e15b506aa4a7ecdcec4ad", 9_398_198),
    "lite": ModelSpec("lite", "59929e1d1ee95287735ddd833b19cf4ac46d29bc7afddbbf6753c459690d574a", None),
    "heavy": ModelSpec("heavy", "64437af838a65d18e5ba7a0d39b465540069bc8aae8308de3e318aad31fcbc7b", None),
}


def bundled_model_dirs() -> list[Path]:
    """Installed wheels carry models inside the package; a source checkout has them at the top."""
    here = Path(__file__).resolve().parent.parent
    return [here / "models", here.parent / "models"]


def user_model_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("formcheck")) / "models"


def find_model(name: str = "full") -> Path | None:
    spec = MODELS[name]
    for d in [*bundled_model_dirs(), user_model_dir()]:
        p = d / spec.filename
        if p.is_file():
            return p
    return None


def resolve_model(path: str | os.PathLike[str] | None) -> Path:
    """The model to load: an explicit path, else the bundled full model."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise FormcheckError(f"model file not found: {p}")
        if p.suffix != ".task":
            raise FormcheckError(f"not a MediaPipe .task model: {p}")
        check_task_file(p)
        return p
    found = find_model("full")
    if found is None:
        raise FormcheckError("bundled model pose_landmarker_full.task is missing; reinstall formcheck")
    return found


POSE_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")


def check_task_file(path: Path) -> None:
    """Before MediaPipe's native loader sees it (a damaged flatbuffer can crash it): a pose .task
    is a zip of the two TFLite models, each intact (CRC) and starting with the TFL3 identifier."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            missing = [m for m in POSE_MEMBERS if m not in names]
            if missing:
                raise FormcheckError(f"{path} is not a MediaPipe pose model (it has no {missing[0]})")
            bad = z.testzip()
            if bad is not None:
                raise FormcheckError(f"{path} is damaged ({bad} fails its checksum); download it again")
            for m in POSE_MEMBERS:
                with z.open(m) as f:
                    if f.read(8)[4:8] != b"TFL3":
                        raise FormcheckError(f"{path} is damaged ({m} is not a TFLite model)")
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise FormcheckError(f"{path} is not a MediaPipe .task model ({exc})") from None


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def identify(path: Path) -> ModelSpec | None:
    """Which official model this file is, by checksum (None for unknown files)."""
    digest = sha256_of(path)
    return next((s for s in MODELS.values() if s.sha256 == digest), None)


def download(name: str, dest_dir: Path | None = None, timeout_s: float = 20.0) -> Path:
    """Fetch an official variant and keep it only if its checksum matches the pinned one."""
    if name not in MODELS:
        raise FormcheckError(f"unknown model {name!r}; choose one of: {', '.join(MODELS)}")
    spec = MODELS[name]
    dest_dir = dest_dir or user_model_dir()
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / spec.filename
    h = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=dest_dir, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(spec.url, timeout=timeout_s) as resp:
            for chunk in iter(lambda: resp.read(1 << 20), b""):
                h.update(chunk)
                out.write(chunk)
        if h.hexdigest() != spec.sha256:
            raise FormcheckError(f"downloaded {spec.filename} has the wrong checksum; not installed")
        os.replace(tmp_name, target)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FormcheckError(f"cannot download {spec.filename} (offline?): {reason}") from None
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return target
