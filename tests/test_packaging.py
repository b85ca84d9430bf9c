"""The wheel and sdist carry the model (no network at run time) and the report schema."""

import hashlib
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHA = "4eaa5eb7a98365221087693fcc286334cf0858e2eb6e15b506aa4a7ecdcec4ad"


def test_repo_model_is_the_official_file() -> None:
    assert hashlib.sha256((ROOT / "models" / "pose_landmarker_full.task").read_bytes()).hexdigest() == SHA


def test_wheel_and_sdist_ship_the_model(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("formcheck-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert "formcheck/models/pose_landmarker_full.task" in names
        assert "formcheck/report/schema.json" in names
        assert hashlib.sha256(z.read("formcheck/models/pose_landmarker_full.task")).hexdigest() == SHA
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    (sdist,) = tmp_path.glob("formcheck-*.tar.gz")
    with tarfile.open(sdist) as t:
        assert any(n.endswith("models/pose_landmarker_full.task") for n in t.getnames())
