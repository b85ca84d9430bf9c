"""Re-create the landmark tracks in samples/ from the shared test clips (needs ../shared).

    python samples/make_samples.py

Only formcheck's own output (per-frame landmarks) is kept here, never the clips themselves.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import formcheck  # noqa: E402
from tests.helpers.compose import SHARED, compose, hold_then_release, pingpong  # noqa: E402

K2C = "knee_to_chest_generated"


def main() -> None:
    formcheck.analyze_video(
        SHARED / "videos" / "forward_fold_standing.mp4", save_track=HERE / "forward_fold_standing.npz", every_frame=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "session.mp4"
        rest = pingpong(K2C, 0.8, 2.0, 4.0)
        pieces = [
            *hold_then_release(K2C, 0.8, 4.75, 9.2, 22.0),
            *rest,
            *hold_then_release(K2C, 0.8, 4.75, 9.2, 19.0, True),
        ]
        compose(pieces, video)
        formcheck.analyze_video(video, save_track=HERE / "knee_to_chest_session.npz", every_frame=True)
    for p in sorted(HERE.glob("*.npz")):
        r = formcheck.analyze_track(p)
        print(p.name, [(h.stretch, h.side, h.duration_s, h.verdict) for h in r.holds])


if __name__ == "__main__":
    main()
