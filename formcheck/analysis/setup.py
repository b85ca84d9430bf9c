"""Set-up guidance: is the camera placed so that formcheck can see what it needs?

These are notices, not motion warnings: whole body in view, a side view, one person.
Each must persist for `persist_s` before it is said, and is repeated at most every `repeat_s`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck import skeleton as sk
from formcheck.analysis.features import SIDE_VIEW_MAX
from formcheck.types import PoseFrame, Warning

MESSAGES = {
    "no_person": "No one in view: step into the frame",
    "framing": "Step back: your whole body must be visible",
    "camera_view": "Turn sideways to the camera: from the front, angles are only approximate",
    "several_people": "Only one person in view, please",
}


@dataclass(frozen=True, slots=True)
class SetupConfig:
    persist_s: float = 2.0
    repeat_s: float = 15.0
    edge_margin: float = 0.01  # a core joint this close to the image border is probably cut off
    # Image shoulder width over torso length: past this the view is 3/4 or frontal (features.camera_view).
    frontal_ratio: float = SIDE_VIEW_MAX


class SetupAdvisor:
    def __init__(self, config: SetupConfig | None = None) -> None:
        self.config = config or SetupConfig()
        self._since: dict[str, float] = {}
        self._said: dict[str, float] = {}
        self.current: str | None = None  # the guidance to show now, if any

    def update(self, frame: PoseFrame, is_person: bool, width: int, height: int) -> list[Warning]:
        t = frame.t_s
        problems = set()
        if not is_person or frame.landmarks is None:
            problems.add("no_person")
        else:
            lm = frame.landmarks
            core = lm[list(sk.CORE), :2]
            m = self.config.edge_margin
            if (core < m).any() or (core > 1 - m).any():
                problems.add("framing")
            px = lm[:, :2] * np.array([width, height])
            shoulders = float(np.linalg.norm(px[sk.LEFT_SHOULDER] - px[sk.RIGHT_SHOULDER]))
            mid_sh = (px[sk.LEFT_SHOULDER] + px[sk.RIGHT_SHOULDER]) / 2
            mid_hip = (px[sk.LEFT_HIP] + px[sk.RIGHT_HIP]) / 2
            torso = float(np.linalg.norm(mid_sh - mid_hip))
            if torso > 1e-6 and shoulders / torso > self.config.frontal_ratio:
                problems.add("camera_view")
        if frame.n_people > 1:
            problems.add("several_people")
        out = []
        for kind in list(self._since):
            if kind not in problems:
                del self._since[kind]
        for kind in sorted(problems):
            since = self._since.setdefault(kind, t)
            last = self._said.get(kind)
            if t - since >= self.config.persist_s and (last is None or t - last >= self.config.repeat_s):
                self._said[kind] = t
                out.append(Warning(kind, round(t, 3), MESSAGES[kind], "info"))
        ordered = [k for k in ("several_people", "no_person", "framing", "camera_view") if k in self._since]
        self.current = next((MESSAGES[k] for k in ordered if t - self._since[k] >= self.config.persist_s), None)
        return out
