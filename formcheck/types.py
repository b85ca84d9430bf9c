"""Data that flows through formcheck: frames in, events and results out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

Stretch = Literal["knee_to_chest", "forward_bend"]
Side = Literal["left", "right"]
Verdict = Literal["too_short", "in_range", "too_long"]


@dataclass(slots=True)
class PoseFrame:
    """Raw model output for one video frame (before the quality gate).

    `landmarks` is (33, 5): x, y in [0, 1] of the image, z, visibility, presence.
    `world` is (33, 3) in metres, hip-centred. Both are None when no pose was returned.
    `n_people` is how many people were seen, or -1 when this frame was not counted.
    `between`: not the model's output but two of its looks interpolated (adaptive sampling's
    still frames): a straight path between them, no evidence of how the body moved on the way.
    """

    t_s: float
    landmarks: np.ndarray | None
    world: np.ndarray | None
    n_people: int = -1
    between: bool = False


@dataclass(slots=True)
class SourceInfo:
    path: str
    duration_s: float
    fps: float
    frames: int
    width: int
    height: int
    rotation: int = 0
    kind: Literal["video", "photo", "track", "camera", "stream", "browser"] = "video"
    recorded_at: str | None = None  # local time the recording began (sources/recorded.py), to the second
    recorded_from: str | None = None  # container | file (modification time) | now | live | given (--date)


@dataclass(slots=True)
class FrameCounts:
    total: int = 0
    with_person: int = 0
    rejected: int = 0
    multi_person: int = 0
    skipped: int = 0  # frames the decoder could not read (corrupt data)
    not_analysed: int = 0  # frames adaptive sampling did not show the model (the body was still)


@dataclass(slots=True)
class Warning:
    kind: str
    t_s: float
    message: str
    severity: Literal["info", "caution", "stop"] = "caution"
    value: float | None = None


@dataclass(slots=True)
class Hold:
    stretch: Stretch
    variant: str
    side: Side | None
    rep: int
    start_s: float
    end_s: float
    duration_s: float
    verdict: Verdict
    open_at_end: bool
    peak_hip_flexion_deg: float
    paused_s: float = 0.0
    entry_smoothness: float | None = None  # LDLJ of the movement into the stretch; higher = smoother
    steadiness_deg: float | None = None  # sway of the hip angle during the hold (standard deviation)
    knee_flexion_deg: float | None = None  # median knee bend during the hold (pulled knee for knee-to-chest)
    # Flexibility, medians over the hold: hip flexion of the stretched leg(s); forward bend: fingertips
    # past the toes along the leg, cm (sit-and-reach style, negative = short of the toes);
    # knee-to-chest: knee to lower sternum, cm (smaller = closer).
    hip_flexion_deg: float | None = None
    reach_cm: float | None = None
    knee_to_chest_cm: float | None = None
    view: str = "side"  # side | oblique | front: front views make the image-based measures less reliable
    camera_side: str | None = None  # the person's side nearer the camera (numbers compare best from one side)
    warnings: list[Warning] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    """Something the live window, the terminal and the report react to."""

    t_s: float
    kind: Literal["hold_started", "hold_ended", "hold_progress", "warning", "notice"]
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SessionResult:
    source: SourceInfo
    holds: list[Hold]
    warnings: list[Warning]
    frames: FrameCounts
    target_hold_s: tuple[float, float] = (20.0, 30.0)
    partial: bool = False
    min_hold_s: float = 3.0  # shorter holds are transitions and are not reported
    sampling: dict[str, Any] = field(default_factory=dict)  # mode (adaptive | every_frame | ...), model_frames
    notices: list[Warning] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    series: np.ndarray | None = None  # per-frame angles for plots (see analysis/series.py); not in the JSON
    keyframes: dict[int, bytes] = field(default_factory=dict)  # hold index -> JPEG, when video was seen
    annotated_path: str | None = None
    # poses that matched a stretch but were not counted as holds, each with why (formcheck explain)
    not_counted: list[str] = field(default_factory=list)
    # the media's content and the settings that change answers: analysing it again replaces its record
    fingerprint: str | None = None
    person: str | None = None  # whose session (--name, or [user] name in the settings): on the reports

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SessionResult:
        """Rebuild a result from its JSON report (no angle series or key frames)."""

        def warn(x: dict[str, Any]) -> Warning:
            return Warning(**x)

        holds = [Hold(**{**h, "warnings": [warn(w) for w in h.get("warnings", [])]}) for h in d["holds"]]
        return cls(
            source=SourceInfo(**d["source"]),
            holds=holds,
            warnings=[warn(w) for w in d["warnings"]],
            frames=FrameCounts(**d["frames"]),
            target_hold_s=(float(d["target_hold_s"][0]), float(d["target_hold_s"][1])),
            partial=d.get("partial", False),
            min_hold_s=d.get("min_hold_s", 3.0),
            sampling=d.get("sampling", {}),
            notices=[warn(w) for w in d.get("notices", [])],
            summary=d.get("summary", {}),
            fingerprint=d.get("fingerprint"),
            person=d.get("person"),
        )

    def to_dict(self) -> dict[str, Any]:
        from formcheck import __version__

        return {
            "schema_version": SCHEMA_VERSION,
            "formcheck_version": __version__,
            "source": asdict(self.source),
            "target_hold_s": list(self.target_hold_s),
            "min_hold_s": self.min_hold_s,
            "sampling": self.sampling,
            "holds": [asdict(h) for h in self.holds],
            "warnings": [asdict(w) for w in self.warnings],
            "notices": [asdict(w) for w in self.notices],
            "frames": asdict(self.frames),
            "partial": self.partial,
            "summary": self.summary,
            "fingerprint": self.fingerprint,
            "person": self.person,
            "disclaimer": DISCLAIMER,
        }


SCHEMA_VERSION = 3  # 2: per-hold flexibility (hip_flexion_deg, reach_cm, knee_to_chest_cm) and view; 3: camera_side

DISCLAIMER = (
    "formcheck gives exercise feedback; it is not a medical device. Move gently, stop if it hurts, "
    "and see a doctor after a back injury or with conditions such as osteoporosis."
)
