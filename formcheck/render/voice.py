"""Spoken cues, for someone on the mat who cannot read a screen.

Offline, with the operating system's voice: pyttsx3 when installed (SAPI on Windows,
NSSpeechSynthesizer on macOS), the `espeak-ng` / `espeak` program on Linux. One
phrase at a time, on a worker thread so the frame loop never waits: a new phrase waits for the
one being said unless it is more urgent (a motion warning cuts a count short), and a phrase that
waited too long is dropped (a count said late is wrong).
"""

from __future__ import annotations

import contextlib
import platform
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from formcheck.files import atomic_write

COUNT, GUIDE, WARN = 1, 2, 3  # priorities: a count < guidance (stretch, plan, set-up) < a warning


class Speaker(Protocol):
    """Says one phrase, blocking until it is said or `stop()` cuts it short."""

    def speak(self, text: str) -> None: ...

    def stop(self) -> None: ...


class EspeakSpeaker:
    """The espeak-ng (or espeak) program: a process per phrase, so stopping it is a kill."""

    def __init__(self, exe: str, rate_wpm: int = 150) -> None:
        self.exe, self.rate = exe, rate_wpm
        self._proc: subprocess.Popen[bytes] | None = None

    def command(self, text: str, *options: str) -> list[str]:
        return [self.exe, "-s", str(self.rate), *options, "--", text]

    def speak(self, text: str) -> None:
        self._proc = subprocess.Popen(self.command(text), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._proc.wait()

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()


class Pyttsx3Speaker:
    def __init__(self) -> None:
        import pyttsx3

        self.engine = pyttsx3.init()
        self.engine.setProperty("rate", 150)

    def speak(self, text: str) -> None:
        self.engine.say(text)
        self.engine.runAndWait()

    def stop(self) -> None:
        self.engine.stop()


class WavSpeaker(EspeakSpeaker):
    """Renders every phrase to a WAV file instead of the speakers, taking as long as saying it
    would (so queueing and interruptions happen as they would aloud): tests, and a record of
    what was said. `timeline()` mixes them into one file at the session times they started."""

    def __init__(self, exe: str, folder: Path, rate_wpm: int = 150) -> None:
        super().__init__(exe, rate_wpm)
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.files: list[Path] = []
        self._stop = threading.Event()

    def speak(self, text: str) -> None:
        path = self.folder / f"{len(self.files):03d}.wav"
        subprocess.run(self.command(text, "-w", str(path)), check=True, capture_output=True)
        self.files.append(path)
        self._stop.clear()
        self._stop.wait(wav_seconds(path))  # as long as saying it takes, or until cut short

    def stop(self) -> None:
        self._stop.set()

    def timeline(self, said: list[Said], out: Path) -> Path:
        """One WAV of the session: each phrase where it was said (cut where it was cut), and beside
        it `<name>.json`: what was said when (session seconds), for checking and for the record."""
        import json

        import numpy as np

        clips = []
        log = []
        for s, path in zip(said, self.files, strict=False):
            with wave.open(str(path), "rb") as w:
                rate = w.getframerate()
                pcm = np.frombuffer(w.readframes(w.getnframes()), np.int16)
            if s.cut and s.ended is not None:
                pcm = pcm[: int((s.ended - s.started) * rate)]
            at = s.t_s + (s.started - s.asked)
            clips.append((at, rate, pcm))
            seconds = len(pcm) / rate
            log.append(
                {"t_s": round(at, 3), "asked_s": round(s.t_s, 3), "text": s.text, "seconds": seconds, "cut": s.cut}
            )
        rate = clips[0][1] if clips else 22050
        end = max((int(t * rate) + len(p) for t, _, p in clips), default=rate)
        mix = np.zeros(end, np.int32)
        for t, _, p in clips:
            i = int(t * rate)
            mix[i : i + len(p)] += p
        out = Path(out)
        pcm16 = np.clip(mix, -32768, 32767).astype(np.int16).tobytes()

        def write_wav(f: BinaryIO) -> None:
            with wave.open(f, "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(pcm16)

        atomic_write(out, write_wav)
        if str(out) != "-" and out.suffix != ".json":  # the timeline of what was said, beside the sound
            text = json.dumps(log, indent=1).encode("utf-8")
            atomic_write(out.with_suffix(".json"), lambda f: f.write(text))
        return out


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def espeak_exe() -> str | None:
    return shutil.which("espeak-ng") or shutil.which("espeak")


def find_speaker(system: str | None = None) -> Speaker | None:
    """The system's voice, or None when there is none.

    On Linux the espeak-ng program comes first: pyttsx3 drives the same eSpeak there, but plays
    through `aplay` (often missing) and cannot be cut short by a warning. Elsewhere pyttsx3
    drives the platform's own voice (SAPI, NSSpeechSynthesizer)."""
    exe = espeak_exe()
    if (system or platform.system()) == "Linux" and exe:
        return EspeakSpeaker(exe)
    try:
        return Pyttsx3Speaker()
    except Exception:  # not installed, or no driver on this system
        pass
    return EspeakSpeaker(exe) if exe else None


@dataclass(slots=True)
class Said:
    t_s: float  # session time it was asked for
    text: str
    asked: float  # time.monotonic() when it was asked for
    started: float  # ... and when it started being said
    ended: float | None = None  # ... and when it ended (or was cut short)
    cut: bool = False


class Voice:
    """`say(text, priority, t_s)`: queued for the worker thread, one phrase at a time."""

    def __init__(self, speaker: Speaker, max_wait_s: float = 2.5, clock: Callable[[], float] = time.monotonic) -> None:
        self.speaker, self.max_wait_s, self.clock = speaker, max_wait_s, clock
        self.muted = False
        self.said: list[Said] = []
        self._queue: list[tuple[int, float, float, str]] = []  # (priority, asked at, t_s, text)
        self._current: tuple[int, Said] | None = None
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="formcheck-voice", daemon=True)
        self._thread.start()

    def say(self, text: str, priority: int = GUIDE, t_s: float = 0.0) -> None:
        if self.muted:
            return
        with self._cond:
            # One of a kind waiting is enough (a newer count replaces an older one).
            self._queue = [q for q in self._queue if not (q[0] == priority == COUNT)]
            self._queue.append((priority, self.clock(), t_s, text))
            if self._current is not None and priority > self._current[0]:
                self._current[1].cut = True
                self.speaker.stop()
            self._cond.notify()

    def _next(self) -> Said | None:
        """The most urgent phrase still worth saying (None once closed); stale ones are dropped."""
        with self._cond:
            while True:
                now = self.clock()
                self._queue = [q for q in self._queue if now - q[1] <= self.max_wait_s or q[0] == WARN]
                if self._queue:
                    break
                if self._closed:
                    return None
                self._cond.wait(0.2)
            best = max(self._queue, key=lambda q: (q[0], -q[1]))
            self._queue.remove(best)
            said = Said(best[2], best[3], best[1], now)
            self._current = (best[0], said)
            self.said.append(said)
            return said

    def _run(self) -> None:
        while (said := self._next()) is not None:
            with contextlib.suppress(Exception):  # a voice failing mid-session must not end it
                self.speaker.speak(said.text)
            with self._cond:
                if self._current is not None:
                    self._current[1].ended = self.clock()
                self._current = None

    def close(self, wait_s: float = 10.0) -> None:
        """Finish what is queued (up to `wait_s`), then stop the worker."""
        deadline = self.clock() + wait_s
        while self.clock() < deadline:
            with self._cond:
                if not self._queue and self._current is None:
                    break
            time.sleep(0.05)
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify()
        self.speaker.stop()
        self._thread.join(timeout=2.0)
