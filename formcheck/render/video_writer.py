"""Write annotated video that browsers and phones play: H.264 MP4, encoded by the ffmpeg that the
`imageio-ffmpeg` package bundles (the same on every machine; no system ffmpeg needed). A `.webm`
path gets VP8 through OpenCV instead."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import cv2
import numpy as np

from formcheck.errors import FormcheckError
from formcheck.files import umask as _umask


class AnnotatedWriter:
    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        self.path = Path(path)
        self.size = size  # (width, height), even numbers for yuv420p
        self._proc: subprocess.Popen[bytes] | None = None
        self._cv: cv2.VideoWriter | None = None
        self.frames = 0
        suffix = self.path.suffix.lower()
        if suffix not in (".mp4", ".m4v", ".mov", ".webm"):
            raise FormcheckError(f"cannot write video {self.path}: use a .mp4 (H.264) or .webm (VP8) name")
        # Encoded beside the target under a temporary name, renamed over it when whole: a stopped or
        # failed run never leaves half a video, nor destroys the one that was there (a symlink's
        # target is the file written).
        self._final = Path(os.path.realpath(self.path))
        try:
            self._final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._final.parent, prefix=f".{self._final.name}.", suffix=suffix)
        except OSError as exc:
            raise FormcheckError(f"cannot write video {self.path}: {exc.strerror or exc}") from None
        os.close(fd)
        self._tmp: Path | None = Path(tmp)
        if suffix != ".webm":
            import imageio_ffmpeg

            ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
            w, h = size
            self._proc = subprocess.Popen(
                [
                    ffmpeg,
                    "-v",
                    "error",
                    "-y",
                    "-f",
                    "rawvideo",
                    "-pix_fmt",
                    "bgr24",
                    "-s",
                    f"{w}x{h}",
                    "-r",
                    f"{fps:.6f}",
                    "-i",
                    "-",
                    "-c:v",
                    "libx264",
                    "-pix_fmt",
                    "yuv420p",
                    "-preset",
                    "veryfast",
                    "-crf",
                    "23",
                    "-movflags",
                    "+faststart",
                    str(self._tmp),
                ],
                stdin=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        else:
            self._cv = cv2.VideoWriter(str(self._tmp), cv2.VideoWriter.fourcc(*"VP80"), fps, size)
            if not self._cv.isOpened():
                self.abort()
                raise FormcheckError(f"cannot write video {self.path}")

    def write(self, bgr: np.ndarray) -> None:
        if bgr.shape[1::-1] != self.size:
            bgr = cv2.resize(bgr, self.size)
        if self._proc is not None and self._proc.stdin is not None:
            try:
                self._proc.stdin.write(np.ascontiguousarray(bgr).tobytes())
            except BrokenPipeError:
                raise FormcheckError(f"cannot write video {self.path} (ffmpeg stopped)") from None
        elif self._cv is not None:
            self._cv.write(bgr)
        self.frames += 1

    def close(self) -> Path:
        if self._proc is not None and self._proc.stdin is not None:
            self._proc.stdin.close()
            err = self._proc.stderr.read().decode(errors="replace") if self._proc.stderr else ""
            if self._proc.wait() != 0:
                self.abort()
                raise FormcheckError(
                    f"cannot write video {self.path}: {err.strip().splitlines()[-1:] or 'ffmpeg failed'}"
                )
        if self._cv is not None:
            self._cv.release()
        if self._tmp is not None:
            try:
                os.chmod(self._tmp, 0o666 & ~_umask())
                os.replace(self._tmp, self._final)
            except OSError as exc:
                self.abort()
                raise FormcheckError(f"cannot write video {self.path}: {exc.strerror or exc}") from None
            self._tmp = None
        return self.path

    def abort(self) -> None:
        """Stop and remove the unfinished video (a no-op once it was closed)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._cv is not None:
            self._cv.release()
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None
