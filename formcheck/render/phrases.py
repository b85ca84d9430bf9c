"""What the voice says: the analysis events and the plan, in a few plain words.

A stateful stage beside the overlay: `on_event(event)` for what the analysis found, `update(t_s)`
once a frame for what time brings (a count every 10 s, the end of a rest). It only decides the
words and their urgency; `render.voice.Voice` says them one at a time.
"""

from __future__ import annotations

from collections.abc import Callable

from formcheck.analysis.holds import HoldTracker
from formcheck.analysis.motion import MESSAGES
from formcheck.analysis.routine import Plan, PlanItem
from formcheck.render.voice import COUNT, GUIDE, WARN
from formcheck.types import Event

SayFn = Callable[[str, int, float], None]  # (text, priority, session time)

WARNINGS = {  # motion warnings in words someone mid-stretch can act on
    "jerky_motion": "Slow down, move gently",
    "knee_yank": "Pull the knee in slowly",
    "bouncing": "Slow down, no bouncing",
    "excessive_range": "Ease off a little",
    "trunk_twist": "No twisting, keep your hips level",
    "head_lift": "Rest your head on the mat",
    "resting_leg_lifted": "Let the other leg rest on the floor",
    "knees_bent": "Straighten your knees a little, if it feels fine",
}
SETUP = {
    "no_person": "I can't see you. Step into view",
    "framing": "Step back, I can't see your feet",
    "camera_view": "Turn sideways to the camera",
    "several_people": "Only one person in view, please",
}
COUNT_EVERY_S = 10.0


def stretch_words(stretch: str, side: str | None) -> str:
    if stretch == "knee_to_chest":
        return f"{side.capitalize()} knee to chest" if side else "Knee to chest"
    return "Forward bend"


def next_words(item: PlanItem, last: tuple[str, str | None] | None) -> str:
    if last is not None and last == (item.stretch, item.side):
        return "Again, " + stretch_words(item.stretch, item.side).lower()
    if last is not None and last[0] == item.stretch and item.side:
        return f"Now the {item.side} side"
    return "Now, " + stretch_words(item.stretch, item.side).lower()


def _n(x: float) -> str:
    return f"{x:g}"


class SpokenCoach:
    def __init__(self, plan: Plan, holds: HoldTracker, say: SayFn) -> None:
        self.plan, self.holds, self.say = plan, holds, say
        self._counted = 0.0  # the last 10 s mark counted in the current hold
        self._rest_until: float | None = None
        self._last: tuple[str, str | None] | None = None

    def on_event(self, e: Event) -> None:
        p, t = e.payload, e.t_s
        if e.kind == "hold_started":
            self._counted, self._rest_until = 0.0, None
            self.say(stretch_words(str(p["stretch"]), p.get("side")), GUIDE, t)
        elif e.kind == "hold_progress":
            lo, hi = p["target_s"]
            if p["elapsed_s"] >= hi:
                self.say(f"{_n(hi)} seconds. Release slowly", GUIDE, t)
            elif p["elapsed_s"] >= lo:
                self.say(f"{_n(lo)} seconds. In range", GUIDE, t)
            self._counted = max(self._counted, float(p["elapsed_s"]))
        elif e.kind == "warning":
            w = p["warning"]
            # a knee yank is reported as jerky motion with its own message
            key = "knee_yank" if w.message == MESSAGES["knee_yank"] else w.kind
            self.say(WARNINGS.get(key, w.message), WARN, t)
        elif e.kind == "notice":
            n = p["notice"]
            if n.kind in SETUP:
                self.say(SETUP[n.kind], GUIDE, t)
        elif e.kind == "hold_ended" and p.get("reported"):
            h = p["hold"]
            self._last = (h.stretch, h.side)
            nxt = self.plan.next_item(self.holds.holds)
            if nxt is None:
                self.say("Session complete. Well done", GUIDE, t)
            elif self.plan.rest_s > 0:
                self.say(f"Rest {_n(self.plan.rest_s)} seconds", GUIDE, t)
                self._rest_until = t + self.plan.rest_s
            else:
                self.say(next_words(nxt, self._last), GUIDE, t)

    def update(self, t_s: float) -> None:
        """Once a frame: the count while holding, and what comes next when a rest is over."""
        elapsed = self.holds.elapsed(t_s)
        lo = self.plan.hold_s[0]
        mark = self._counted + COUNT_EVERY_S
        if self.holds.holding is not None and elapsed >= mark and mark < lo:
            self._counted = mark
            self.say(f"{_n(mark)}", COUNT, t_s)
        if self._rest_until is not None and t_s >= self._rest_until:
            self._rest_until = None
            nxt = self.plan.next_item(self.holds.holds)
            if nxt is not None and self.holds.active is None:
                self.say(next_words(nxt, self._last), GUIDE, t_s)
