"""The voice says one phrase at a time, lets a warning cut a count short, drops stale counts; the
coach turns events and the plan into the phrases the issue asks for. (End to end, with espeak-ng
rendering to a file while a shared clip plays in real time: tests/integration/test_voice_live.py.)"""

from __future__ import annotations

import itertools
import threading
import time

from formcheck.analysis.holds import HoldTracker
from formcheck.analysis.routine import Plan, PlanItem
from formcheck.render.phrases import SpokenCoach, next_words, stretch_words
from formcheck.render.voice import COUNT, GUIDE, WARN, Voice
from formcheck.types import Event, Hold, Warning


class SlowSpeaker:
    """Takes `seconds` to say anything; records when each phrase ran, from start to end."""

    def __init__(self, seconds: float = 0.3) -> None:
        self.seconds, self.runs, self._stop = seconds, [], threading.Event()

    def speak(self, text: str) -> None:
        start = time.monotonic()
        self._stop.clear()
        self._stop.wait(self.seconds)
        self.runs.append((text, start, time.monotonic()))

    def stop(self) -> None:
        self._stop.set()


def test_one_phrase_at_a_time_in_order() -> None:
    sp = SlowSpeaker(0.2)
    v = Voice(sp)
    for text in ("Right knee to chest", "Rest 15 seconds", "Now the left side"):
        v.say(text, GUIDE)
    v.close()
    assert [r[0] for r in sp.runs] == ["Right knee to chest", "Rest 15 seconds", "Now the left side"]
    for (_, _, end), (_, start, _) in itertools.pairwise(sp.runs):
        assert start >= end - 1e-3  # never two at once


def test_a_warning_cuts_a_count_short() -> None:
    sp = SlowSpeaker(1.0)
    v = Voice(sp)
    v.say("10", COUNT)
    time.sleep(0.2)
    v.say("Slow down, no bouncing", WARN)
    v.close()
    (count, c0, c1), (warning, w0, _) = sp.runs
    assert count == "10" and c1 - c0 < 0.6  # cut, not said for its full second
    assert warning == "Slow down, no bouncing" and w0 >= c1 - 1e-3
    assert v.said[0].cut and not v.said[1].cut


def test_stale_counts_are_dropped_and_a_newer_count_replaces_an_older() -> None:
    sp = SlowSpeaker(0.6)
    v = Voice(sp, max_wait_s=0.3)
    v.say("Forward bend", GUIDE)
    v.say("10", COUNT)
    v.say("20", COUNT)  # replaces "10" while it waits; then waits too long itself
    v.close()
    assert [r[0] for r in sp.runs] == ["Forward bend"]


def test_muted_says_nothing() -> None:
    sp = SlowSpeaker(0.05)
    v = Voice(sp)
    v.muted = True
    v.say("Forward bend", GUIDE)
    v.close()
    assert sp.runs == []


def _hold(stretch: str, side: str | None, start: float, end: float) -> Hold:
    return Hold(stretch, "single", side, 1, start, end, end - start, "in_range", False, 100.0)  # type: ignore[arg-type]


def test_coach_speaks_the_plan() -> None:
    plan = Plan((PlanItem("knee_to_chest", "right", 1), PlanItem("knee_to_chest", "left", 1)), (20.0, 30.0), 15.0)
    tracker, said = HoldTracker(), []
    coach = SpokenCoach(plan, tracker, lambda text, prio, t: said.append((round(t, 1), text, prio)))
    coach.on_event(Event(3.0, "hold_started", {"stretch": "knee_to_chest", "side": "right"}))
    coach.on_event(Event(23.0, "hold_progress", {"elapsed_s": 20.0, "target_s": (20.0, 30.0)}))
    coach.on_event(Event(24.0, "warning", {"warning": Warning("bouncing", 24.0, "Don't bounce", "caution", 3)}))
    coach.on_event(Event(33.0, "hold_progress", {"elapsed_s": 30.0, "target_s": (20.0, 30.0)}))
    tracker.holds.append(_hold("knee_to_chest", "right", 3.0, 34.0))
    coach.on_event(Event(34.0, "hold_ended", {"reported": True, "hold": tracker.holds[-1]}))
    coach.update(40.0)
    coach.update(49.5)  # the rest is over
    tracker.holds.append(_hold("knee_to_chest", "left", 52.0, 80.0))
    coach.on_event(Event(80.0, "hold_ended", {"reported": True, "hold": tracker.holds[-1]}))
    assert [s[1] for s in said] == [
        "Right knee to chest",
        "20 seconds. In range",
        "Slow down, no bouncing",
        "30 seconds. Release slowly",
        "Rest 15 seconds",
        "Now the left side",
        "Session complete. Well done",
    ]
    assert said[2][2] == WARN and said[0][2] == GUIDE
    assert said[5][0] == 49.5


def test_words() -> None:
    assert stretch_words("knee_to_chest", "left") == "Left knee to chest"
    assert stretch_words("forward_bend", None) == "Forward bend"
    assert next_words(PlanItem("forward_bend", None, 3), ("knee_to_chest", "left")) == "Now, forward bend"
    assert next_words(PlanItem("forward_bend", None, 3), ("forward_bend", None)) == "Again, forward bend"


def test_busy_watch_speaks_up_only_when_the_machine_cannot_keep_up() -> None:
    from formcheck.pace import BusyWatch

    ok, slow, fast_camera = BusyWatch(30.0), BusyWatch(30.0), BusyWatch(60.0)
    fired_ok, fired_slow, fired_fast = [], [], []
    for i in range(300):  # 10 s
        t = i / 30
        fired_ok.append(ok.update(t, 29.0 + (i % 3) * 0.5))
        # both cores busy: 16 fps analysed (two frames in three dropped)
        fired_slow.append(slow.update(t, 16.0))
        # a 60 fps camera analysed at 34 fps: frames dropped, but plenty for a slow stretch
        fired_fast.append(fast_camera.update(t, 34.0))
    assert not any(fired_ok) and ok.message is None
    assert not any(fired_fast) and fast_camera.message is None
    assert sum(fired_slow) == 1 and "close other programs" in (slow.message or "")
    assert 4.0 <= fired_slow.index(True) / 30 <= 6.5


def test_the_system_voice_on_each_platform() -> None:
    """Linux: the espeak-ng program (interruptible); elsewhere pyttsx3 (SAPI, NSSpeechSynthesizer)
    when it is installed; neither: None (live mode falls back to tones)."""
    import importlib.util
    import shutil

    from formcheck.render.voice import EspeakSpeaker, Pyttsx3Speaker, find_speaker

    has_espeak = bool(shutil.which("espeak-ng") or shutil.which("espeak"))
    has_pyttsx3 = importlib.util.find_spec("pyttsx3") is not None
    linux = find_speaker("Linux")
    if has_espeak:
        assert isinstance(linux, EspeakSpeaker)
    other = find_speaker("Windows")
    if has_pyttsx3:
        try:
            import pyttsx3

            pyttsx3.init()
        except Exception:  # installed without a driver for this machine
            has_pyttsx3 = False
    if has_pyttsx3:
        assert isinstance(other, Pyttsx3Speaker)
    elif has_espeak:
        assert isinstance(other, EspeakSpeaker)
    else:
        assert linux is None and other is None
