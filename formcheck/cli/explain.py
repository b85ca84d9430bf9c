"""`formcheck explain`: why a stretch does (not) count, in one sentence; `--rules` for every check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from formcheck.cli.app import ConfigOpt, ModelOpt, app, friendly_errors, out


@app.command()
@friendly_errors
def explain(
    path: Annotated[Path, typer.Argument(help="A video, a photo or a saved track (.npz).", show_default=False)],
    at: Annotated[
        float | None, typer.Option("--at", help="Explain the frame nearest this time (s).", metavar="SECONDS")
    ] = None,
    rules: Annotated[
        bool, typer.Option("--rules", help="Also list every check of every stretch with its measured value.")
    ] = False,
    config: ConfigOpt = None,
    model: ModelOpt = None,
) -> None:
    """Why a stretch does or does not count, in plain words (--rules: every check, measured)."""
    from formcheck.errors import FormcheckError
    from formcheck.explain import describe, explain, plain, timeline_line
    from formcheck.report.flexibility import flexibility_text
    from formcheck.report.summary import hold_phrase
    from formcheck.sources.still import is_image

    if not path.exists():
        raise FormcheckError(f"no such file: {path}")
    photo = is_image(path)
    if photo and at is None:
        at = 5.0  # a photo is one pose: explained once, once the smoothing has settled on it
    result, collected = explain(path, at=at, config=config, model=model)
    if not collected.moments:
        out.print("Nobody was seen: there is nothing to explain. Is the whole body in the picture?")
        return
    if photo or at is not None:
        moment = collected.moments[0]
        held = [h for h in result.holds if h.start_s - 0.5 <= moment.t_s <= h.end_s + 0.5]
        out.print(plain(moment, flexibility_text(held[0]) if held else ""), markup=False)
    else:
        holds = "; ".join(hold_phrase(h) for h in result.holds)
        out.print(f"{len(result.holds)} hold(s) found{': ' + holds if holds else '.'}", markup=False)
        moment = collected.closest or collected.moments[len(collected.moments) // 2]
        if collected.closest is not None:
            out.print(f"Closest to a stretch without counting, at {moment.t_s:.1f} s: {plain(moment)}", markup=False)
    if not rules:
        out.print("[dim]formcheck explain --rules: every check, measured against its threshold[/]")
        return
    if not photo and at is None:
        out.print("\nonce a second (the stretch closest to matching and what it misses):")
        for m in collected.moments:
            out.print(timeline_line(m), markup=False)
        out.print("\nthe frame that came closest without matching:" if collected.closest else "\nmid-clip:")
    out.print("\n".join(["", *describe(moment)]), markup=False)
    if result.not_counted:
        out.print("\nmatched but not counted as a hold:")
        for line in result.not_counted:
            out.print(f"  {line}", markup=False)
