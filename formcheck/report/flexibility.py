"""How far a person got in a hold, in the words a physiotherapist uses: one helper for every report."""

from __future__ import annotations

from formcheck.stats import measurable
from formcheck.store.history import HoldRow
from formcheck.types import Hold

# Repeatability measured in bench/validity.py (docs/measurements.md); front views are looser.
VIEW_NOTE = {"front": "seen from the front: the angle is approximate"}


def flexibility_text(h: Hold) -> str:
    """e.g. "reach -14 cm, hip 105°" for a fold, "knee-chest 34 cm, hip 121°" for a hug."""
    parts = []
    if h.reach_cm is not None:
        parts.append(f"reach {h.reach_cm:+.0f} cm")
    if h.knee_to_chest_cm is not None:
        parts.append(f"knee–chest {h.knee_to_chest_cm:.0f} cm")
    if h.reach_cm is None and h.knee_to_chest_cm is None and not measurable("cm", h.view):
        what = "reach" if h.stretch == "forward_bend" else "knee–chest"
        parts.append(f"{what} not measurable from the {h.view} (film from the side)")
    if h.hip_flexion_deg is not None:
        parts.append(f"hip {h.hip_flexion_deg:.0f}°")
    text = ", ".join(parts) or "–"
    return f"{text} ({VIEW_NOTE[h.view]})" if h.view in VIEW_NOTE else text


def hold_cm(h: Hold) -> float | None:
    """The hold's distance: reach for a fold, knee-chest for a knee hug."""
    return h.reach_cm if h.reach_cm is not None else h.knee_to_chest_cm


def hold_row_text(h: HoldRow) -> str:
    """A recorded hold in one line: "forward bend (standing) 24.2 s, in range, reach -14 cm, hip 141°"
    (tenths: 19.65 s held must not read as "20 s, too short")."""
    from formcheck.analysis.routine import NAMES

    name = NAMES[h.stretch].lower() + f" ({h.side or h.variant})" if (h.side or h.variant) else NAMES[h.stretch].lower()
    parts = [f"{name} {h.duration_s:.1f} s", h.verdict.replace("_", " ")]
    if h.cm is not None:
        parts.append(f"reach {h.cm:+.0f} cm" if h.stretch == "forward_bend" else f"knee–chest {h.cm:.0f} cm")
    if h.hip_deg is not None:
        parts.append(f"hip {h.hip_deg:.0f}°")
    return ", ".join(parts)
