"""The optional Dask executor against a local cluster started by the test."""

import os
from pathlib import Path

import pytest

from formcheck.batch import run_batch
from tests.conftest import SHARED

pytestmark = pytest.mark.usefixtures("require_shared")  # real people: the shared clips

distributed = pytest.importorskip("distributed")


def test_batch_on_a_dask_cluster(tmp_path: Path) -> None:
    clips = [SHARED / "videos" / "forward_bend_standing_short.mp4", SHARED / "videos" / "burpees.mp4"]
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(os.urandom(2000))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl:
        outcomes = run_batch(
            [*clips, broken], tmp_path / "out", workers=2, executor="dask", scheduler=cl.scheduler_address
        )
    by_name = {o.path.name: o for o in outcomes}
    assert by_name["broken.mp4"].error and by_name["broken.mp4"].result is None
    short = by_name["forward_bend_standing_short.mp4"].result
    assert short is not None and [h.stretch for h in short.holds] == ["forward_bend"]
    assert (tmp_path / "out" / "burpees" / "report.html").is_file()


def test_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "clips").mkdir()
    os.symlink(SHARED / "videos" / "burpees.mp4", tmp_path / "clips" / "burpees.mp4")
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "formcheck",
            "analyze",
            str(tmp_path / "clips"),
            "--out",
            str(tmp_path / "out"),
            "--executor",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "cannot reach the Dask scheduler" in p.stderr
