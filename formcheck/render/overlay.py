"""Draw the coaching overlay on a frame: skeleton, stretch, hold timer ring, reps, warnings.

Used by the live window (and by annotated videos), so what a user sees live is what a report shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from formcheck import skeleton as sk
from formcheck.analysis.routine import NAMES, Plan
from formcheck.analysis.session import Analyzer

# Every text colour reads on the dark panel (WCAG contrast >= 4.5 on any background; checked by
# tests/helpers/legibility.py): a light grey and a light red, not the darker classic ones.
GREY, LIGHT_GREY, WHITE, ORANGE, GREEN, RED, BLACK = (
    (160, 160, 160),
    (200, 200, 200),
    (255, 255, 255),
    (0, 165, 255),
    (80, 200, 60),
    (130, 130, 255),
    (0, 0, 0),
)
FONT = cv2.FONT_HERSHEY_SIMPLEX
(_DIGITS_W, _DIGITS_H), _ = cv2.getTextSize("30", FONT, 1.0, 1)  # the timer's widest number, at scale 1


@dataclass(slots=True)
class OverlayState:
    landmarks: np.ndarray | None = None  # (33, >=2) normalised image coordinates
    stretch_text: str = ""
    elapsed_s: float = 0.0
    holding: bool = False
    target_s: tuple[float, float] = (20.0, 30.0)
    reps_lines: list[str] = field(default_factory=list)
    next_text: str = ""
    warning: str = ""
    guidance: str = ""
    cue: str = ""  # the nearest miss turned into what to change ("Reach down toward your feet")
    detail_lines: list[str] = field(default_factory=list)  # the `d` panel: every rule of the nearest stretch
    fps: float = 0.0
    paused: bool = False
    muted: bool = False


def state_from(analyzer: Analyzer, plan: Plan, t_s: float, **extra: object) -> OverlayState:
    """What the overlay shows after the analyzer has seen the frame at `t_s` (live and recorded alike)."""
    st = analyzer.last
    holding = analyzer.holds.holding
    done = plan.done(analyzer.holds.holds)
    nxt = plan.next_item(analyzer.holds.holds)
    stretch = ""
    if holding is not None:
        stretch = NAMES[holding.stretch] + (f" - {holding.side}" if holding.side else f" - {holding.variant}")
    elif st is not None and st.match is not None:
        stretch = NAMES[st.match.stretch] + "..."
    recent = [w for w in analyzer.warnings if 0 <= t_s - w.t_s <= 3.0]
    next_text = f"next: {nxt.label}" if nxt is not None else "plan complete - well done"
    if holding is not None:  # during a hold: which rep of its plan item this is, not "next: the same"
        item = next((it for it in plan.items if (it.stretch, it.side) == (holding.stretch, holding.side)), None)
        next_text = f"rep {done[item] + 1} of {item.reps}" if item is not None else ""
    finished = analyzer.holds.holds
    if holding is None and nxt is not None and finished and 0 <= t_s - finished[-1].end_s < plan.rest_s:
        next_text = f"rest {plan.rest_s - (t_s - finished[-1].end_s):.0f} s, then {nxt.label}"
    state = OverlayState(
        # a detection the quality gate rejected (a bird, a blurred frame) gets no skeleton
        landmarks=None if st is None or not st.is_person else st.frame.landmarks,
        stretch_text=stretch,
        elapsed_s=analyzer.holds.elapsed(t_s),
        holding=holding is not None,
        target_s=plan.hold_s,
        reps_lines=[f"{it.label}: {done[it]}/{it.reps}" for it in plan.items],
        next_text=next_text,
        warning=recent[-1].message if recent else "",
        guidance=analyzer.setup.current or "",
    )
    for k, v in extra.items():
        setattr(state, k, v)
    return state


def phase(elapsed_s: float, target: tuple[float, float]) -> tuple[str, tuple[int, int, int]]:
    if elapsed_s < target[0]:
        return "keep going", ORANGE
    if elapsed_s <= target[1]:
        return "in range", GREEN
    return "release", RED


PANEL_ALPHA = 0.25  # the background behind text keeps this much of its brightness


def _text(
    img: np.ndarray,
    s: str,
    at: tuple[int, int],
    scale: float,
    color: tuple[int, int, int] = WHITE,
    thick: int = 2,
    *,
    panel: bool = True,
    align: str = "left",
    anchor: str = "baseline",
    under: np.ndarray | None = None,
) -> tuple[int, int]:
    """Text on a translucent dark panel, drawn once; returns the panel's top and bottom rows.

    `at` is where the text hangs from: x is its left edge, centre or right edge (`align`); y its
    baseline, its panel's top or bottom, or its middle (`anchor`), so lines stack panel to panel
    (overlapping, twice darkened, they would show as a black stripe).

    With OpenCV 5 the thickness changes a Hershey glyph's weight *and width*, so a dark copy drawn
    thicker behind the text (the usual outline trick) no longer lines up with it and both become
    unreadable. A panel behind the text gives the same contrast on any background.
    """
    (tw, th), base = cv2.getTextSize(s, FONT, scale, thick)
    pad = max(3, round(0.3 * th))
    x = at[0] - {"left": 0, "center": tw // 2, "right": tw}[align]
    y = at[1] + {"baseline": 0, "top": pad + th, "bottom": -(pad + base), "middle": th // 2}[anchor]
    h, w = img.shape[:2]
    x0, y0 = max(x - pad, 0), max(y - th - pad, 0)
    x1, y1 = min(x + tw + pad, w), min(y + base + pad, h)
    if panel and x1 > x0 and y1 > y0:  # `under`: the picture without the skeleton, hidden by the panel
        src = img if under is None else under
        img[y0:y1, x0:x1] = (src[y0:y1, x0:x1].astype(np.float32) * PANEL_ALPHA).astype(np.uint8)
    cv2.putText(img, s, (x, y), FONT, scale, color, thick, cv2.LINE_AA)
    return y0, y1


def draw_skeleton(img: np.ndarray, landmarks: np.ndarray) -> None:
    h, w = img.shape[:2]
    pts = (landmarks[:, :2] * [w, h]).astype(int)
    for a, b in sk.CONNECTIONS:
        cv2.line(img, tuple(pts[a]), tuple(pts[b]), GREEN, 2, cv2.LINE_AA)
    for i in sk.CORE:
        cv2.circle(img, tuple(pts[i]), 4, WHITE, -1, cv2.LINE_AA)


def timer_box(img: np.ndarray) -> tuple[int, int, int]:
    """Centre and radius of the timer ring (top right), scaled to the frame."""
    h, w = img.shape[:2]
    r = max(28, int(min(h, w) * 0.12))
    return w - r - 16, r + 16, r


# Text sizes as a share of the picture's shorter side (cap height): the window is drawn at its own
# size (live.py), so on a 1080-pixel-high window the cue's capitals are 70 px high. Legibility is
# about 8 mm of capital height per metre of viewing distance; docs/live-window.md has the table.
CAP_BIG = 0.065  # the cue, the set-up guidance, a warning: what to do now, read from the mat
CAP_MID = 0.042  # the stretch, the ring's phase, the plan's next step
CAP_SMALL = 0.024  # the plan's counts, the `d` panel, the frame rate: read up close
(_, _CAP_H), _ = cv2.getTextSize("H", FONT, 1.0, 1)


def text_scale(cap_share: float, h: int, w: int) -> float:
    """The Hershey scale whose capitals are `cap_share` of the shorter side (never under 10 px)."""
    return max(10.0, cap_share * min(h, w)) / _CAP_H


def _weight(scale: float) -> int:
    return max(1, round(scale * 1.6))


def wrap(s: str, scale: float, thick: int, max_w: int) -> list[str]:
    """Words into lines no wider than `max_w` pixels (a long cue on a narrow phone picture)."""
    lines: list[str] = []
    line = ""
    for word in s.split():
        trial = f"{line} {word}".strip()
        if line and cv2.getTextSize(trial, FONT, scale, thick)[0][0] > max_w:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def draw_overlay(
    frame_bgr: np.ndarray, s: OverlayState, mirror: bool = True, size: tuple[int, int] | None = None
) -> np.ndarray:
    """A new image: the frame (mirrored for a camera, so it moves like a mirror) at `size` (w, h;
    default its own) with everything drawn on top at that size, so text stays sharp and keeps its
    share of the window however large the window is."""
    if size is not None and size != (frame_bgr.shape[1], frame_bgr.shape[0]):
        img = cv2.resize(frame_bgr, size, interpolation=cv2.INTER_LINEAR)
    else:
        img = frame_bgr.copy()
    # Text panels hide the skeleton beneath them (a limb's line through a word garbles it): they
    # darken the picture as it was before the skeleton was drawn.
    plain = img
    if s.landmarks is not None:
        plain = img.copy()
        draw_skeleton(img, s.landmarks)
    if mirror:
        img = cv2.flip(img, 1)
        plain = img if s.landmarks is None else cv2.flip(plain, 1)
    h, w = img.shape[:2]
    k = min(h, w) / 720
    big, mid, small = (text_scale(c, h, w) for c in (CAP_BIG, CAP_MID, CAP_SMALL))
    cx, cy, r = timer_box(img)
    label, color = phase(s.elapsed_s, s.target_s)
    cv2.circle(img, (cx, cy), r, (40, 40, 40), -1, cv2.LINE_AA)
    cv2.circle(img, (cx, cy), r, GREY, max(2, int(3 * k)), cv2.LINE_AA)
    if s.holding:
        frac = min(s.elapsed_s / s.target_s[1], 1.0)
        cv2.ellipse(img, (cx, cy), (r, r), -90, 0, 360 * frac, color, max(4, int(8 * k)), cv2.LINE_AA)
    secs = f"{int(s.elapsed_s)}" if s.holding else "--"
    # The seconds fill the ring: the number to read from the mat, 2-3 m away.
    digits = min(0.9 * r / _DIGITS_H, 1.3 * r / _DIGITS_W)
    color = color if s.holding else LIGHT_GREY
    _text(img, secs, (cx, cy), digits, color, max(2, round(digits * 2.2)), panel=False, align="center", anchor="middle")
    gap = max(2, round(4 * k))
    margin = max(6, round(16 * k))
    # Under the ring, right-aligned, where the eye already is: the phase, then what to do now
    # (a cue or the set-up guidance), then the plan's next step.
    right, top = w - margin, cy + r + max(4, int(8 * k)) // 2 + gap
    coach: list[tuple[str, float, tuple[int, int, int]]] = []
    if s.holding:
        coach.append((label, mid, color))
    for text, col in ((s.guidance, ORANGE), (s.cue, WHITE)):
        if text:
            coach += [(line, big, col) for line in wrap(text, big, _weight(big), round(0.62 * w))]
    if s.next_text:
        coach += [(line, mid, LIGHT_GREY) for line in wrap(s.next_text, mid, _weight(mid), round(0.62 * w))]
    for text, scale, col in coach:
        _, bottom = _text(img, text, (right, top), scale, col, _weight(scale), align="right", anchor="top", under=plain)
        top = bottom + gap
    # Top left: the stretch being held, the plan's counts, and (key d) every rule of the nearest stretch.
    lines = [(s.stretch_text, mid, WHITE)] if s.stretch_text else []
    lines += [(line, small, WHITE) for line in s.reps_lines]
    lines += [(line, small, LIGHT_GREY if line.startswith("ok") else WHITE) for line in s.detail_lines]
    top = margin
    for text, scale, col in lines:
        _, bottom = _text(img, text, (margin, top), scale, col, _weight(scale), anchor="top", under=plain)
        top = bottom + gap
    status = (
        (f"{s.fps:4.1f} fps" if s.fps > 0 else "") + ("  PAUSED" if s.paused else "") + ("  muted" if s.muted else "")
    )
    bottom = h - margin
    if status:
        top, _ = _text(
            img, status.strip(), (margin, bottom), small, LIGHT_GREY, _weight(small), anchor="bottom", under=plain
        )
        bottom = top - gap
    if s.warning:  # bottom centre, large: a jerk or a bounce is said at once
        for line in reversed(wrap(s.warning, big, _weight(big), round(0.9 * w))):
            top, _ = _text(
                img, line, (w // 2, bottom), big, RED, _weight(big), align="center", anchor="bottom", under=plain
            )
            bottom = top - gap
    if s.paused:  # paused is a state of the whole session: said across the picture
        _text(
            img,
            "PAUSED - space to go on",
            (w // 2, h // 2),
            big,
            ORANGE,
            _weight(big),
            align="center",
            anchor="middle",
            under=plain,
        )
    return img
