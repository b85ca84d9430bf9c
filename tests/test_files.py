"""Outputs on real files, FIFOs, devices and symlinks: regular files are replaced atomically,
everything else is written through and left what it was; nothing formcheck did not create is
ever removed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from formcheck.errors import FormcheckError
from formcheck.files import atomic_write, check_output


def _write(text: str):
    return lambda f: f.write(text.encode())


def test_a_regular_file_is_replaced_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write(target, _write("new"))
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old")

    def broken(f) -> None:
        f.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(FormcheckError, match="No space left"):
        atomic_write(target, broken)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["r.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    atomic_write(fifo, _write("through the pipe " * 5000))  # more than a pipe buffer holds
    reader.join(10)
    assert got == [("through the pipe " * 5000).encode()]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_dev_null_stays_a_device(tmp_path: Path) -> None:
    """The bug: as root, the rename replaced /dev/null by a regular file."""
    before = os.stat("/dev/null")
    atomic_write(Path("/dev/null"), _write("discarded"))
    check_output("/dev/null")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "report.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    atomic_write(link, _write("new"))
    assert link.is_symlink() and target.read_text() == "new"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "real" / "later.json")
    atomic_write(dangling, _write("made"))
    assert dangling.is_symlink() and (tmp_path / "real" / "later.json").read_text() == "made"


def test_unusable_outputs_are_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(FormcheckError, match="is a folder"):
        check_output(tmp_path, "--json")
    with pytest.raises(FormcheckError, match="is a file, not a folder"):
        check_output(tmp_path / "a_file" / "r.json", "--json")
    check_output(tmp_path / "new" / "deeper" / "r.json")  # missing folders are made when writing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]  # the check created nothing


def test_dash_writes_to_standard_output() -> None:
    code = "from formcheck.files import atomic_write; atomic_write('-', lambda f: f.write(b'to stdout'))"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert p.returncode == 0 and p.stdout == b"to stdout"
