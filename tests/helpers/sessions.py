"""Long sessions composed from the shared clips, as a phone records them (H.264, full size): what
a person's daily routine looks like to `formcheck analyze`, with exactly known ground truth.

- `folds_60fps`: four standing forward folds (forward_fold_standing, 60 fps), each entered from
  standing, held ~25 s with the clip's own micro-motion, released, then a rest standing;
- `routine_30fps`: knee-to-chest twice (`per_side`) per side (knee_to_chest_generated, mirrored for the left),
  then a seated forward fold (forward_bend_seated), 30 fps, rests lying down between.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers.compose import Composed, Piece, compose, hold_then_release, pingpong

FOLD, K2C, SEATED = "forward_fold_standing", "knee_to_chest_generated", "forward_bend_seated"


def fold_pieces(holds: int = 4, hold_s: float = 25.0, rest_s: float = 12.0) -> list[Piece]:
    pieces: list[Piece] = []
    for _ in range(holds):  # standing (arms at rest, 0-0.3 s), fold in, hold, come back up
        pieces += pingpong(FOLD, 0.0, 0.3, rest_s)
        pieces += hold_then_release(FOLD, 0.3, 2.5, 4.0, hold_s)
    return pieces + pingpong(FOLD, 0.0, 0.3, rest_s)


def routine_pieces(hold_s: float = 25.0, rest_s: float = 8.0, per_side: int = 2) -> list[Piece]:
    pieces: list[Piece] = []
    for flip in [False] * per_side + [True] * per_side:  # the right knee, then the left (mirrored)
        # lying still, knees bent (0.8-1.4 s of the clip: the model sees the near leg lift from 1.5 s)
        pieces += pingpong(K2C, 0.8, 1.4, rest_s, flip=flip)
        # held 4.75-5.5 s of the clip: after that the generated far leg drifts off the floor
        pieces += hold_then_release(K2C, 0.8, 4.75, 5.5, hold_s, flip=flip)
    pieces += pingpong(SEATED, 4.0, 6.0, rest_s)  # sitting up, then the fold
    return pieces + hold_then_release(SEATED, 6.0, 9.0, 17.4, hold_s)


def folds_60fps(out: Path, phone: bool = True, max_side: int | None = None, **kw: float) -> Composed:
    return compose(fold_pieces(**kw), out, fps=60.0, max_side=max_side, phone=phone)  # type: ignore[arg-type]


def routine_30fps(out: Path, phone: bool = True, max_side: int | None = None, **kw: float) -> Composed:
    return compose(routine_pieces(**kw), out, fps=30.0, max_side=max_side, phone=phone)  # type: ignore[arg-type]
