"""Analyse many clips in parallel: one process per core, one failure never stops the others."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.types import SessionResult

VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".3gp"}


@dataclass(slots=True)
class ClipOutcome:
    path: Path
    out_dir: Path
    result: SessionResult | None = None
    error: str | None = None
    skipped: bool = False


def find_clips(spec: str) -> list[Path]:
    """A folder (its video files, recursively) or a glob pattern."""
    p = Path(spec)
    if p.is_dir():
        files = [f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in VIDEO_SUFFIXES]
    else:
        files = [Path(f) for f in sorted(glob.glob(spec, recursive=True)) if Path(f).is_file()]
    if not files:
        raise FormcheckError(f"no video files found in {spec}")
    return files


def out_dir_for(clip: Path, root: Path, clips: list[Path]) -> Path:
    """<root>/<clip stem>, disambiguated by the parent folder when two clips share a stem."""
    same = [c for c in clips if c.stem == clip.stem]
    return root / (clip.stem if len(same) == 1 else f"{clip.parent.name}-{clip.stem}")


def _stamp(clip: Path) -> str:
    st = clip.stat()
    return f"{st.st_size}:{int(st.st_mtime)}"


def is_done(clip: Path, out_dir: Path) -> bool:
    marker = out_dir / ".source"
    return (out_dir / "report.json").is_file() and marker.is_file() and marker.read_text() == _stamp(clip)


def analyze_one(
    clip: str, out_dir: str, model: str | None, config: str | None = None, every_frame: bool = False
) -> SessionResult:
    """Worker: analyse one clip and write all its reports (runs in a child process)."""
    from formcheck.api import analyze_video
    from formcheck.report.outputs import write_outputs
    from formcheck.settings import load_settings

    folder = Path(out_dir)
    settings = load_settings(config)
    result = analyze_video(clip, model=model, config=settings, save_track=folder / "track.npz", every_frame=every_frame)
    result.person = settings.user_name  # whose sessions: [user] name in the settings
    write_outputs(result, folder)
    (folder / ".source").write_text(_stamp(Path(clip)))
    result.series = None  # keep what crosses back to the parent small
    return result


def run_batch(
    clips: list[Path],
    out_root: Path,
    workers: int,
    force: bool = False,
    model: str | None = None,
    on_done: Callable[[ClipOutcome], None] | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    config: str | None = None,
    every_frame: bool = False,
) -> list[ClipOutcome]:
    """Analyse clips in parallel (`config`: a settings TOML path every worker reads)."""
    outcomes: list[ClipOutcome] = []
    todo: list[ClipOutcome] = []
    for clip in clips:
        o = ClipOutcome(clip, out_dir_for(clip, out_root, clips))
        if not force and is_done(clip, o.out_dir):
            o.skipped = True
            outcomes.append(o)
            if on_done:
                on_done(o)
        else:
            todo.append(o)

    def finish(o: ClipOutcome, get: Callable[[], SessionResult]) -> None:
        try:
            o.result = get()
        except FormcheckError as exc:
            o.error = str(exc)
        except Exception as exc:  # a broken clip is reported, the batch goes on
            o.error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        outcomes.append(o)
        if on_done:
            on_done(o)

    if executor == "dask":
        _run_dask(todo, workers, model, scheduler, finish, config, every_frame)
    else:
        # spawn: each worker loads its own model; no MediaPipe state is forked
        with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=get_context("spawn")) as pool:
            futures = {
                pool.submit(analyze_one, str(o.path), str(o.out_dir), model, config, every_frame): o for o in todo
            }
            for fut in as_completed(futures):
                finish(futures[fut], fut.result)
    order = {c: i for i, c in enumerate(clips)}
    return sorted(outcomes, key=lambda o: order[o.path])


def _run_dask(
    todo: list[ClipOutcome],
    workers: int,
    model: str | None,
    scheduler: str | None,
    finish: Callable[[ClipOutcome, Callable[[], SessionResult]], None],
    config: str | None = None,
    every_frame: bool = False,
) -> None:
    """The same work on a Dask cluster: `scheduler` is its address (tcp://host:8786), or None for a
    local cluster of `workers` processes. Workers must see the clips and the output folder at the
    same paths (a shared filesystem) and have formcheck installed."""
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError:
        raise FormcheckError("the dask executor needs: pip install 'formcheck[dask]'") from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with Client(scheduler or cluster, timeout="10s") as client:
            futures = {
                client.submit(analyze_one, str(o.path), str(o.out_dir), model, config, every_frame, pure=False): o
                for o in todo
            }
            for fut in dask_completed(list(futures)):
                finish(futures[fut], fut.result)
    except (OSError, TimeoutError) as exc:
        raise FormcheckError(f"cannot reach the Dask scheduler {scheduler}: {type(exc).__name__}") from None
    finally:
        if cluster is not None:
            cluster.close()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def iter_errors(outcomes: list[ClipOutcome]) -> Iterator[ClipOutcome]:
    return (o for o in outcomes if o.error)
