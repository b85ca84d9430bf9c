"""Audio cues: short tones, muteable, silent (with one notice) when there is no sound device.

sounddevice comes with mediapipe; it needs the PortAudio library and an output device, either of
which may be missing (servers, containers): then cues degrade to silence.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

RATE = 22050

CUES = {  # (frequency Hz, seconds) tones played in sequence
    "hold_started": [(660, 0.12)],
    "good": [(880, 0.1), (0, 0.06), (880, 0.1)],
    "release": [(520, 0.45)],
    "warning": [(440, 0.08), (0, 0.05), (440, 0.08), (0, 0.05), (440, 0.08)],
}


def _tone(seq: list[tuple[int, float]]) -> np.ndarray:
    parts = []
    for freq, dur in seq:
        t = np.arange(int(RATE * dur)) / RATE
        wave = 0.25 * np.sin(2 * np.pi * freq * t) if freq else np.zeros_like(t)
        ramp = min(len(t), int(0.01 * RATE))
        if freq and ramp:
            wave[:ramp] *= np.linspace(0, 1, ramp)
            wave[-ramp:] *= np.linspace(1, 0, ramp)
        parts.append(wave)
    return np.concatenate(parts).astype(np.float32)


class AudioCues:
    def __init__(self, enabled: bool = True, notify: Callable[[str], None] | None = None) -> None:
        self.muted = not enabled
        self._sd = None
        self.available = False
        if not enabled:
            return
        try:
            import sounddevice as sd

            sd.check_output_settings(samplerate=RATE, channels=1)
            self._sd = sd
            self.available = True
        except Exception as exc:
            if notify is not None:
                notify(f"no audio output ({type(exc).__name__}); cues will be silent")

    def play(self, cue: str) -> None:
        if self.muted or self._sd is None or cue not in CUES:
            return
        try:
            self._sd.play(_tone(CUES[cue]), RATE, blocking=False)
        except Exception:
            self._sd = None
