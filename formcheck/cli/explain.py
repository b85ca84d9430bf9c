"""`formcheck explain`: every rule of every stretch, measured, on a video, photo or saved track."""

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
    config: ConfigOpt = None,
    model: ModelOpt = None,
) -> None:
    """Why a stretch was or was not recognised: each rule with its measured value and threshold."""
    from formcheck.errors import FormcheckError
    from formcheck.explain import describe, explain, timeline_line

    if not path.exists():
        raise FormcheckError(f"no such file: {path}")
    result, collected = explain(path, at=at, config=config, model=model)
    found = ", ".join(f"{h.stretch} {h.side or h.variant} {h.start_s:.1f}-{h.end_s:.1f} s" for h in result.holds)
    out.print(f"{path}: {len(result.holds)} hold(s){': ' + found if found else ''}")
    if not collected.moments:
        out.print("nobody was seen: nothing to explain")
        return
    if at is None:
        out.print("\nonce a second (the stretch closest to matching and what it misses):")
        for m in collected.moments:
            out.print(timeline_line(m), markup=False)
        moment = collected.closest or collected.moments[len(collected.moments) // 2]
        out.print("\nthe frame that came closest without matching:" if collected.closest else "\nmid-clip:")
    else:
        moment = collected.moments[0]
    out.print("\n".join(describe(moment)), markup=False)
    if result.not_counted:
        out.print("\nmatched but not counted as a hold:")
        for line in result.not_counted:
            out.print(f"  {line}", markup=False)
