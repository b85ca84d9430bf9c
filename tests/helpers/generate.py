"""A seeded generator of test sessions from the shared clips: many sessions no one recorded, to
check that what formcheck answers does not depend on how it samples the video (adaptive against
every frame), beyond the handful of shared clips.

Each seed picks a clip with a labelled hold and composes, continuously in the clip's own time (no
cuts: every change in the picture is the person's movement or the camera's noise):
- a rest before the first rep (standing, sitting or lying, played back and forth);
- 1-3 reps: the entry at 0.5x-5x, the hold played forward and backward (turns included) for 6-20 s,
  the release at 0.5x-5x (the entry played backward);
- reps joined by a rest played back and forth ("standing") or a frozen picture ("a still");
- how the camera sees it: as recorded, sensor noise, dim evening light (dark, noisy), the person
  small in the frame, mirrored (the other side).
Written as a phone records (H.264 through ffmpeg) at 30 fps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.helpers.compose import Composed, Piece, compose, pingpong, small_in_frame


@dataclass(frozen=True)
class Base:
    clip: str
    rest: tuple[float, float]  # clip seconds of the pose before the entry (ends where the entry starts)
    hold: tuple[float, float]  # clip seconds of the held stretch (the entry ends at its start)


BASES = (
    Base("forward_fold_standing", (0.0, 0.3), (2.5, 21.0)),
    Base("forward_bend_seated", (4.0, 6.0), (9.0, 17.4)),
    Base("knee_to_chest_generated", (0.8, 1.4), (4.75, 5.5)),
    Base("forward_bend_standing_arms_up", (0.0, 3.0), (6.6, 14.3)),
)
SPEEDS = (0.5, 1.0, 1.0, 2.0, 3.0, 5.0)
VIEWS = ("as recorded", "noise", "dim", "small", "mirrored")


@dataclass
class Generated:
    seed: int
    description: str
    composed: Composed


def _rest(clip: str, a: float, b: float, seconds: float, flip: bool) -> list[Piece]:
    """Back and forth over [a, b] for about `seconds`, from b and back to b (where the entry
    starts), so the picture never jumps."""
    pieces, t, back = [], 0.0, True
    while t < seconds or not back:
        pieces.append(Piece(clip, b, a, flip=flip) if back else Piece(clip, a, b, flip=flip))
        t += b - a
        back = not back
    return pieces


def _still(clip: str, t: float, seconds: float, flip: bool) -> Piece:
    """One frame of the clip, frozen for `seconds` (the person perfectly still)."""
    span = 1e-3
    return Piece(clip, t, t + span, speed=span / seconds, flip=flip)


def _view(kind: str, rng: np.random.Generator):
    if kind == "noise":
        sigma = float(rng.uniform(3.0, 6.0))
        return lambda f: np.clip(f + rng.normal(0, sigma, f.shape), 0, 255).astype(np.uint8)
    if kind == "dim":  # evening light: a third of the light, the camera's gain lifts the noise
        gain, sigma = float(rng.uniform(0.3, 0.45)), float(rng.uniform(4.0, 7.0))
        return lambda f: np.clip(f * gain + rng.normal(0, sigma, f.shape), 0, 255).astype(np.uint8)
    if kind == "small":
        fraction = float(rng.uniform(0.5, 0.7))
        return lambda f: small_in_frame(f, fraction)
    return None


def plan(seed: int) -> tuple[list[Piece], str, str]:
    """The pieces of session `seed`, its view, and a one-line description."""
    rng = np.random.default_rng(seed)
    base = BASES[int(rng.integers(len(BASES)))]
    view = VIEWS[int(rng.integers(len(VIEWS)))]
    flip = view == "mirrored"
    (r0, r1), (h0, h1) = base.rest, base.hold
    pieces = _rest(base.clip, r0, r1, float(rng.uniform(2.0, 4.0)), flip)
    reps = int(rng.integers(1, 4))
    parts = [base.clip, view]
    for rep in range(reps):
        s_in, s_out = float(rng.choice(SPEEDS)), float(rng.choice(SPEEDS))
        hold_s = float(rng.uniform(6.0, 20.0))
        span = min(h1 - h0, float(rng.uniform(0.75, 6.0)))  # turns every `span` seconds
        start = float(rng.uniform(h0, h1 - span))
        pieces.append(Piece(base.clip, r1, h0, speed=s_in, flip=flip))
        if start > h0 + 1e-3:
            pieces.append(Piece(base.clip, h0, start, flip=flip))
        hold = pingpong(base.clip, start, start + span, hold_s, flip=flip)
        pieces += hold
        if hold[-1].b > h0 + 1e-3:
            pieces.append(Piece(base.clip, hold[-1].b, h0, flip=flip))
        pieces.append(Piece(base.clip, h0, r1, speed=s_out, flip=flip))
        join = "still" if rng.random() < 0.5 else "rest"
        join_s = float(rng.uniform(1.0, 5.0))
        if rep < reps - 1 or rng.random() < 0.5:
            if join == "still":
                pieces.append(_still(base.clip, r1, join_s, flip))
            else:
                pieces += _rest(base.clip, r0, r1, join_s, flip)
            parts.append(f"in {s_in:g}x hold {hold_s:.0f}s (turns {span:.1f}s) out {s_out:g}x, {join} {join_s:.1f}s")
        else:
            parts.append(f"in {s_in:g}x hold {hold_s:.0f}s (turns {span:.1f}s) out {s_out:g}x")
    return pieces, view, "; ".join(parts)


def generated_session(seed: int, out: Path) -> Generated:
    pieces, view, description = plan(seed)
    rng = np.random.default_rng(seed + 1_000_003)
    composed = compose(pieces, out, fps=30.0, view=_view(view, rng), phone=True)
    return Generated(seed, description, composed)
