"""Shared fixtures: where ../shared is, and one analysis per clip for the whole test session."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FORMCHECK_SHARED", ROOT.parent / "shared"))
CLIPS = sorted(p.stem for p in (SHARED / "videos").glob("*.mp4")) if SHARED.is_dir() else []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "integration" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.integration)


def label(name: str) -> dict:
    return json.loads((SHARED / "labels" / f"{name}.json").read_text())


@functools.cache
def analyzed(name: str, tmp_root: str):
    """Run the real model once per shared clip; keep the track for re-analysis tests."""
    import formcheck

    track = Path(tmp_root) / f"{name}.npz"
    # every frame: the reference adaptive sampling is compared with (tests/integration/test_adaptive.py)
    result = formcheck.analyze_video(SHARED / "videos" / f"{name}.mp4", save_track=track, every_frame=True)
    return result, track


@pytest.fixture(scope="session")
def tracks_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tracks")


@pytest.fixture(scope="session")
def require_shared() -> Path:
    """The shared test clips and photos, or a skip that says where they would be."""
    if not SHARED.is_dir():
        if os.environ.get("FORMCHECK_REQUIRE_SHARED"):
            pytest.fail(f"{SHARED} must be beside the repository in CI")
        pytest.skip(f"needs the shared test material at {SHARED} (or set FORMCHECK_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def clip_result(tracks_dir: Path, require_shared: Path):
    return lambda name: analyzed(name, str(tracks_dir))


@pytest.fixture(scope="session")
def scene_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated 6 s clip with no person in it (for decoding, writing and exit-code tests)."""
    from tests.helpers.media import scene_clip

    return scene_clip(tmp_path_factory.mktemp("media") / "scene.mp4")


@pytest.fixture(autouse=True, scope="session")
def _private_history(tmp_path_factory: pytest.TempPathFactory):
    """Sessions analysed by the tests go to a throwaway history database, not the user's."""
    os.environ["FORMCHECK_DB"] = str(tmp_path_factory.mktemp("history") / "history.db")
    # live sessions' journals and notes (store/journal.py) too: a test's leftovers never reach the user's
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("data"))
    yield
