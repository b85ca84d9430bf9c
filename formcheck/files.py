"""Writing outputs safely, whatever the path names: a regular file is replaced atomically (never
half-written), while a device, a FIFO or `-` (standard output) is written through, because
replacing `/dev/null` or a pipe by a regular file breaks everything that uses it afterwards.

Symlinks are followed: the link is kept and its target is written (atomically, if the target
is a regular file), as every editor and shell redirect does. formcheck only ever removes the
temporary file it created itself.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from formcheck.errors import FormcheckError

STDOUT = "-"


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _special(path: Path) -> bool:
    """Something that exists and is not a regular file or a folder: a device, FIFO or socket."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def check_output(path: Path | str, what: str = "output") -> None:
    """Fail before any work is done if `path` cannot be written: a folder, a missing or read-only
    parent folder, a socket. Creates nothing."""
    if str(path) == STDOUT:
        return
    p = Path(path)
    if p.is_dir():
        raise FormcheckError(f"cannot write {what} {p}: it is a folder; give a file name")
    if _special(p):
        if stat.S_ISSOCK(os.stat(p).st_mode):
            raise FormcheckError(f"cannot write {what} {p}: it is a socket (files, devices and pipes are fine)")
        if not os.access(p, os.W_OK):
            raise FormcheckError(f"cannot write {what} {p}: permission denied")
        return
    target = Path(os.path.realpath(p))
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # atomic_write creates missing folders: the first existing one decides
    if not folder.is_dir():
        raise FormcheckError(f"cannot write {what} {p}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FormcheckError(f"cannot write {what} {p}: no permission to write in {folder}")
    if target.exists() and not os.access(target, os.W_OK):
        raise FormcheckError(f"cannot write {what} {p}: permission denied")


def _write_through(path: Path | None, write: Callable[[BinaryIO], object]) -> None:
    """Render into memory first (zip and PDF writers want to seek), then copy the bytes out."""
    buf = io.BytesIO()
    write(buf)
    data = buf.getvalue()
    try:
        if path is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            with open(path, "wb", buffering=0) as f:  # a device or FIFO: no rename, no truncating tricks
                view = memoryview(data)
                while view:
                    n = f.write(view) or 0
                    view = view[n:]
    except BrokenPipeError:
        raise FormcheckError(f"cannot write {path or 'standard output'}: the reader closed the pipe") from None
    except OSError as exc:
        raise FormcheckError(f"cannot write {path or 'standard output'}: {exc.strerror or exc}") from None


def atomic_write(path: Path | str, write: Callable[[BinaryIO], object]) -> Path:
    """Write `path` with `write(file)`: atomically (temp file + rename) for a regular or new file,
    straight through for `-`, a device or a FIFO. Returns the path as given."""
    if str(path) == STDOUT:
        _write_through(None, write)
        return Path(STDOUT)
    given = Path(path)
    if given.is_dir():
        raise FormcheckError(f"cannot write {given}: it is a folder")
    if _special(given):
        _write_through(given, write)
        return given
    target = Path(os.path.realpath(given))  # a symlink's target is written; the link stays
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(os.stat(target).st_mode) if target.exists() else 0o666 & ~umask()
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise FormcheckError(f"cannot write {given}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600 files; keep the replaced file's mode or the user's usual one
        os.replace(tmp, target)
    except OSError as exc:
        raise FormcheckError(f"cannot write {given}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return given


def content_digest(path: Path | str, chunk: int = 1 << 20) -> str | None:
    """What a file holds, in 16 hex digits: its size and its first and last MiB (a video's header
    and index are at its ends; a copy or a rename keeps them). None when it cannot be read."""
    import hashlib

    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            h = hashlib.sha256(str(size).encode())
            h.update(f.read(chunk))
            if size > 2 * chunk:
                f.seek(size - chunk)
                h.update(f.read(chunk))
            else:
                h.update(f.read())
    except OSError:
        return None
    return h.hexdigest()[:16]
