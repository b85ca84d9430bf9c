"""Is the overlay's text legible on a real frame (a window screenshot, an annotated video)?

Text is drawn on a translucent dark panel (render/overlay.py). Compared with the frame the
overlay was drawn on (`raw`), a panel is a rectangle darkened to about a third of the frame's
brightness. Legible means: every panel holds glyphs; the glyphs' light pixels all lie inside
it, framed by dark on every side (no misaligned outline, no text running off its backing); and
the glyphs stand out from the panel (luminance contrast ratio, WCAG: at least 4.5 for text).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Panel:
    x0: int
    y0: int
    x1: int  # exclusive
    y1: int
    glyph_px: int
    contrast: float  # (L_glyph + 0.05) / (L_panel + 0.05), relative luminance
    framed: float  # share of the panel's 1-px border that is dark (no glyph touches it)
    seen: float  # share of it seen darkened (elsewhere the frame was too dark to tell)


def _luminance(bgr: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of an sRGB image (0-1)."""
    c = bgr.astype(np.float32) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.0722 * lin[..., 0] + 0.7152 * lin[..., 1] + 0.2126 * lin[..., 2]


def _bridge_rows(mask: np.ndarray, gap: int) -> np.ndarray:
    """Fill each row between dark pixels less than `gap` apart: the glyphs' light strokes
    interrupt a panel's dark row, the rows between two stacked panels stay empty."""
    out = mask.copy()
    for y in np.nonzero(mask.any(axis=1))[0]:
        xs = np.nonzero(mask[y])[0]
        for a, b in itertools.pairwise(xs):
            if 1 < b - a < gap:
                out[y, a:b] = True
    return out


def _rectangles(mask: np.ndarray, sure: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Split one blob into the rectangles it is made of (x, y, w, h): lines stacked on top of each
    other may touch, each as wide as its text. A row whose extent differs from the rectangle's
    first row by more than 3 px starts a new one, unless the row is mostly unsure (the frame is
    dark there, so the panel's edge cannot be seen); a part under 90% full is not a rectangle."""
    runs: list[list[tuple[int, int, int]]] = []  # rows (y, x0, x1) of each candidate rectangle
    for y in np.nonzero(mask.any(axis=1))[0].tolist():
        xs = np.nonzero(mask[y])[0]
        row = (y, int(xs[0]), int(xs[-1]))
        if runs and y == runs[-1][-1][0] + 1:
            first = runs[-1][0]
            same = max(abs(row[1] - first[1]), abs(row[2] - first[2])) <= 3
            if same or sure[y, first[1] : first[2] + 1].mean() < 0.5:
                runs[-1].append(row if same else (y, first[1], first[2]))
                continue
        runs.append([row])
    out = []
    for rows in runs:
        y0, y1 = rows[0][0], rows[-1][0] + 1
        x0, x1 = min(r[1] for r in rows), max(r[2] for r in rows) + 1
        if mask[y0:y1, x0:x1].mean() > 0.9:
            out.append((x0, y0, x1 - x0, y1 - y0))
    return out


def text_panels(
    img: np.ndarray, raw: np.ndarray, skip: list[tuple[int, int, int, int]] = (), min_area: int = 150
) -> list[Panel]:
    """The dark text panels of `img` (the overlay drawn over `raw`: same size, same mirroring),
    outside the `skip` boxes (x0, y0, x1, y1: the timer ring, dark by design)."""
    grey, ref = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float32), cv2.cvtColor(raw, cv2.COLOR_BGR2GRAY)
    # darkened by the overlay; where the frame is dark already a panel cannot be told apart, and
    # counts as one if it is dark too
    darkened = (grey < 0.55 * ref) & (ref > 25)
    maybe = darkened | ((ref <= 25) & (grey <= 25))
    for x0, y0, x1, y1 in skip:
        maybe[y0:y1, x0:x1] = False
    panel = _bridge_rows(maybe, gap=max(12, img.shape[1] // 40))
    n, labels = cv2.connectedComponents(panel.astype(np.uint8), connectivity=4)
    lum = _luminance(img)
    panels = []
    sure = ref > 25  # where the frame is bright enough to see whether the overlay darkened it
    for x, y, w, h in (r for i in range(1, n) for r in _rectangles(labels == i, sure)):
        seen = darkened[y : y + h, x : x + w]
        # (the smallest overlay text is ~10 px high on a 16 px panel: thinner strips are fragments)
        if w * h < min_area or h < 12 or w < 2 * h or seen.mean() < 0.5:
            continue  # not a text panel (a shadow, a moving limb), or one on a part too dark to judge
        box = lum[y : y + h, x : x + w]
        dark_level = float(np.median(box[seen]))
        fill = float(np.percentile(box, 98))  # the text's colour (its edges are anti-aliased)
        glyph = box > max((fill + dark_level) / 2, 2 * dark_level + 0.02)
        border = np.concatenate([glyph[0], glyph[-1], glyph[:, 0], glyph[:, -1]])
        contrast = (fill + 0.05) / (dark_level + 0.05)
        panels.append(
            Panel(int(x), int(y), int(x + w), int(y + h), int(glyph.sum()), contrast, 1 - border.mean(), seen.mean())
        )
    return panels


def assert_legible(
    img: np.ndarray, raw: np.ndarray, min_panels: int, skip: list[tuple[int, int, int, int]] = ()
) -> list[Panel]:
    panels = text_panels(img, raw, skip)
    assert len(panels) >= min_panels, f"{len(panels)} text panels found, {min_panels} expected: {panels}"
    for p in panels:
        assert p.glyph_px > 15, f"an empty panel: {p}"
        assert p.framed > 0.97, f"text runs over the edge of its panel: {p}"
        assert p.contrast >= 4.5, f"text does not stand out from its panel: {p}"
    return panels
