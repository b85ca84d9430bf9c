"""A readable terminal summary of a session (what `analyze` prints without --json)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from formcheck.analysis.routine import Plan
from formcheck.report.flexibility import flexibility_text, hold_cm
from formcheck.stats import typical
from formcheck.types import DISCLAIMER, Hold, SessionResult

_VERDICT_STYLE = {"too_short": "yellow", "in_range": "green", "too_long": "magenta"}
_VERDICT_TEXT = {"too_short": "too short", "in_range": "in range", "too_long": "too long"}


def stretch_label(stretch: str, side: str | None, variant: str) -> str:
    name = "knee to chest" if stretch == "knee_to_chest" else "forward bend"
    detail = side or variant
    return f"{name} ({detail})"


def verdict_text(h: Hold) -> str:
    return _VERDICT_TEXT[h.verdict] + (" (open)" if h.open_at_end else "")


def hold_phrase(h: Hold) -> str:
    """ "knee to chest (right) 19.7 s, too short": a tenth of a second, so a hold just short of the
    target never reads as "20 s, too short"."""
    return f"{stretch_label(h.stretch, h.side, h.variant)} {h.duration_s:.1f} s, {verdict_text(h)}"


def print_summary(result: SessionResult, console: Console) -> None:
    src, fr = result.source, result.frames
    lo, hi = result.target_hold_s
    if src.kind == "photo":
        console.print(f"[bold]{src.path}[/]  photo, {src.width}x{src.height}")
        _print_photo(result, console)
        return
    console.print(
        f"[bold]{src.path}[/]  {src.duration_s:.1f} s, {src.fps:g} fps, {src.width}x{src.height}"
        f"{f', rotated {src.rotation}°' if src.rotation else ''}"
    )
    console.print(
        f"frames: {fr.total} total, {fr.with_person} with a person, {fr.rejected} rejected"
        f"{f', {fr.multi_person} with several people' if fr.multi_person else ''}"
        f"{f', {fr.skipped} unreadable' if fr.skipped else ''}"
    )
    if result.sampling.get("mode") in ("adaptive", "every_frame"):
        n = result.sampling.get("model_frames", 0)
        how = "adaptive sampling" if result.sampling["mode"] == "adaptive" else "every frame (--every-frame)"
        console.print(f"pose model: {how}, {n} model runs for {fr.total} frames ({n / max(fr.total, 1):.0%})")
    if not result.holds:
        console.print(f"No knee-to-chest or forward-bend hold of {result.min_hold_s:g} s or more was found.")
    else:
        narrow = console.width < 110  # knee, sway and warnings go under the flexibility numbers
        table = Table(
            title=f"Holds (target {lo:g}-{hi:g} s)", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
        )
        cols = ["#", "stretch", "time", "held", "verdict", "flexibility" if not narrow else "measured"]
        cols += [] if narrow else ["knee", "sway", "warnings"]
        for col in cols:
            left = col in ("stretch", "verdict", "flexibility", "measured")
            fold = col in ("stretch", "flexibility", "measured")
            narrow_stretch = 15 if narrow and col == "stretch" else None  # "knee to chest" over its side
            table.add_column(
                col, justify="left" if left else "right", no_wrap=not fold, overflow="fold", max_width=narrow_stretch
            )
        for h in result.holds:
            verdict = f"[{_VERDICT_STYLE[h.verdict]}]{_VERDICT_TEXT[h.verdict]}[/]"
            if h.open_at_end:
                verdict += "\n(open)" if narrow else " (open)"
            knee = "-" if h.knee_flexion_deg is None else f"{h.knee_flexion_deg:.0f}°"
            sway = "-" if h.steadiness_deg is None else f"±{h.steadiness_deg:.1f}°"
            row = [
                str(h.rep),
                stretch_label(h.stretch, h.side, h.variant),
                f"{h.start_s:.1f}–{h.end_s:.1f} s",
                f"{h.duration_s:.1f} s",
                verdict,
            ]
            if narrow:
                warned = f", {len(h.warnings)} warning{'s' if len(h.warnings) != 1 else ''}" if h.warnings else ""
                row.append(f"{flexibility_text(h)}\n[dim]knee {knee}, sway {sway}{warned}[/]")
            else:
                row += [flexibility_text(h), knee, sway, str(len(h.warnings))]
            table.add_row(*row)
        console.print(table)
    for w in result.warnings:
        style = "cyan" if w.severity == "info" else "yellow"
        console.print(f"[{style}]{'cue' if w.severity == 'info' else 'warning'}[/] {w.t_s:6.1f} s  {w.message}")
    cues = [c for h in result.holds for c in h.warnings if c.severity == "info" and c not in result.warnings]
    for c in cues:
        console.print(f"[cyan]cue[/] {c.t_s:6.1f} s  {c.message}")
    if result.summary.get("text"):
        console.print(result.summary["text"])
    for n in result.notices:
        console.print(f"[cyan]note[/] {n.t_s:6.1f} s  {n.message}")
    if result.partial:
        console.print("[yellow]Session stopped early: this report covers what was recorded until then.[/]")
    console.print(f"[dim]{DISCLAIMER}[/]")


def _print_photo(result: SessionResult, console: Console) -> None:
    """A photo is one pose: whether it is recognised, and its numbers; a hold time means nothing."""
    if result.holds:
        h = max(result.holds, key=lambda h: h.duration_s)
        console.print(f"[green]recognised:[/] {stretch_label(h.stretch, h.side, h.variant)}; {flexibility_text(h)}")
    else:
        console.print(
            "[yellow]not recognised[/] as knee-to-chest or a forward bend; "
            f"formcheck explain {result.source.path} says why"
        )
    for n in result.notices:
        console.print(f"[cyan]note[/] {n.message}")
    console.print("[dim]A photo checks a pose: it is not timed, and not recorded in your history.[/]")
    console.print(f"[dim]{DISCLAIMER}[/]")


def plan_lines(result: SessionResult, plan: Plan) -> list[str]:
    """What was done against the plan: per item, holds in range out of the reps planned."""
    lo, hi = plan.hold_s
    out = []
    for item in plan.items:
        holds = [h for h in result.holds if h.stretch == item.stretch and h.side == item.side]
        good = sum(1 for h in holds if h.verdict == "in_range")
        extra = f" ({len(holds) - good} outside {lo:g}-{hi:g} s)" if len(holds) > good else ""
        out.append(f"{item.label}: {good} of {item.reps} in range{extra}")
    return out


def flex_key(stretch: str, side: str | None, variant: str | None) -> tuple[str, str | None]:
    """What a flexibility number is compared with: a knee hug's side, a fold's form."""
    return (stretch, variant if stretch == "forward_bend" else side)


def flexibility_lines(
    result: SessionResult, previous: dict[tuple[str, str | None], tuple[float | None, float | None, str]]
) -> list[str]:
    """This session's flexibility numbers (median over its holds) next to the previous session's of
    the same stretch and form: a knee hug's side, a fold standing or seated (their reach differs by
    10-15 cm; comparing them would show progress or loss that is neither)."""
    out = []
    keys = sorted({flex_key(h.stretch, h.side, h.variant) for h in result.holds}, key=lambda k: (k[0], k[1] or ""))
    for stretch, which in keys:
        cm = typical(
            c
            for h in result.holds
            if flex_key(h.stretch, h.side, h.variant) == (stretch, which) and (c := hold_cm(h)) is not None
        )
        if cm is None:
            continue
        name = f"forward bend ({which}), reach" if stretch == "forward_bend" else f"knee to chest ({which}), knee-chest"
        fmt = "{:+.0f} cm" if stretch == "forward_bend" else "{:.0f} cm"
        before = previous.get((stretch, which))
        if before is not None and before[0] is not None:
            was = f"previous session ({before[2][:10]}): {fmt.format(before[0])}"
        else:
            was = "first time measured"
        out.append(f"{name} {fmt.format(cm)}; {was}")
    return out
