"""When a video was recorded: the session's date in the history is the day the person stretched,
not the day the clip was analysed (a month of phone clips analysed in one go is a month, not a day).

In order: the container's creation time (MP4/MOV `mvhd`, read directly; other containers through
the bundled ffmpeg's metadata), else the file's modification time (a copy keeps it on most
systems), else now. Times are local, to the second, as the history stores them.
"""

from __future__ import annotations

import re
import struct
import subprocess
from datetime import datetime, timezone
from pathlib import Path

UTC = timezone.utc  # (datetime.UTC is Python 3.11+)
_MP4_EPOCH = datetime(1904, 1, 1, tzinfo=UTC)
_CONTAINERS = (b"moov", b"trak", b"udta")
_READ_MAX = 64 << 20  # a moov box larger than this is not worth reading for a date


def _local(dt: datetime) -> str:
    return dt.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    out, i = [], start
    while i + 8 <= end:
        size, kind = struct.unpack(">I4s", data[i : i + 8])
        head = 8
        if size == 1 and i + 16 <= end:
            size, head = struct.unpack(">Q", data[i + 8 : i + 16])[0], 16
        elif size == 0:
            size = end - i
        if size < head or i + size > end:
            break
        out.append((kind, i + head, i + size))
        i += size
    return out


def mp4_creation_time(path: Path) -> datetime | None:
    """The `mvhd` creation time of an MP4/MOV file (UTC), or None (not MP4, unset, implausible)."""
    try:
        with path.open("rb") as f:
            pos = 0
            while True:
                f.seek(pos)
                head = f.read(16)
                if len(head) < 8:
                    return None
                size, kind = struct.unpack(">I4s", head[:8])
                hsize = 8
                if size == 1 and len(head) == 16:
                    size, hsize = struct.unpack(">Q", head[8:16])[0], 16
                if size == 0 or size < hsize:
                    return None
                if kind == b"moov":
                    if size > _READ_MAX:
                        return None
                    f.seek(pos + hsize)
                    data = f.read(size - hsize)
                    break
                pos += size
    except OSError:
        return None
    for kind, a, _ in _boxes(data, 0, len(data)):
        if kind == b"mvhd" and a + 12 <= len(data):
            version = data[a]
            secs = (
                struct.unpack(">Q", data[a + 4 : a + 12])[0]
                if version == 1
                else struct.unpack(">I", data[a + 4 : a + 8])[0]
            )
            if secs == 0:
                return None  # "unset": many encoders write zero
            try:
                dt = datetime.fromtimestamp(_MP4_EPOCH.timestamp() + secs, tz=UTC)
            except (OverflowError, OSError, ValueError):
                return None
            return dt if 1990 <= dt.year <= datetime.now(UTC).year + 1 else None
    return None


def ffmpeg_creation_time(path: Path) -> datetime | None:
    """The `creation_time` tag other containers (MKV, WebM, AVI) carry, read by the bundled ffmpeg."""
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
        p = subprocess.run([exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True, timeout=15)
    except (OSError, RuntimeError, subprocess.SubprocessError):
        return None
    m = re.search(r"creation_time\s*:\s*(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d)", p.stderr)
    if not m:
        return None
    try:
        dt = datetime.fromisoformat(m.group(1).replace(" ", "T")).replace(tzinfo=UTC)
    except ValueError:
        return None
    return dt if 1990 <= dt.year <= datetime.now(UTC).year + 1 else None


def recorded_at(path: Path) -> tuple[str, str]:
    """(local ISO time, where it came from): "container", "file" (modification time) or "now"."""
    p = Path(path)
    created = mp4_creation_time(p) if p.suffix.lower() in (".mp4", ".mov", ".m4v", ".3gp") else None
    if created is None and p.suffix.lower() in (".mkv", ".webm", ".avi"):
        created = ffmpeg_creation_time(p)
    if created is not None:
        return _local(created), "container"
    try:
        return _local(datetime.fromtimestamp(p.stat().st_mtime, tz=UTC)), "file"
    except (OSError, OverflowError, ValueError):
        return datetime.now().isoformat(timespec="seconds"), "now"
