"""The session plot: hip and knee angles over time, holds shaded, warnings marked (inline SVG)."""

from __future__ import annotations

import io

import numpy as np

from formcheck.types import SessionResult

VERDICT_COLORS = {"too_short": "#f0ad4e", "in_range": "#5cb85c", "too_long": "#d9534f"}


def angles_svg(result: SessionResult, width_in: float = 10.0, height_in: float = 3.6) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # the OO API: no global pyplot state, thread-safe enough

    fig = Figure(figsize=(width_in, height_in))
    ax = fig.add_subplot(1, 1, 1)
    s = result.series
    if s is not None and len(s):
        t = s[:, 0]
        ax.plot(t, s[:, 1], color="#1f77b4", lw=1.4, label="hip flexion, left")
        ax.plot(t, s[:, 2], color="#ff7f0e", lw=1.4, label="hip flexion, right")
        knees = s[:, 3:5]
        valid = np.isfinite(knees).all(axis=1)
        knee = np.where(valid, np.nan_to_num(knees).mean(axis=1), np.nan)
        ax.plot(t, knee, color="#7f7f7f", lw=0.9, ls="--", label="knee flexion (mean)")
    for h in result.holds:
        ax.axvspan(h.start_s, h.end_s, color=VERDICT_COLORS[h.verdict], alpha=0.18, lw=0)
        side = f" {h.side}" if h.side else ""
        ax.text(
            (h.start_s + h.end_s) / 2,
            0.98,
            f"{h.stretch.replace('_', ' ')}{side} #{h.rep}",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=8,
        )
    for w in result.warnings:
        ax.axvline(w.t_s, color="#d9534f", lw=1.2)
        ax.text(
            w.t_s,
            0.02,
            w.kind.replace("_", " "),
            rotation=90,
            transform=ax.get_xaxis_transform(),
            fontsize=7,
            color="#d9534f",
            va="bottom",
            ha="right",
        )
    ax.set_xlabel("time (s)")
    ax.set_ylabel("angle (°)")
    ax.set_ylim(-5, 185)
    ax.set_xlim(0, max(result.source.duration_s, 1.0))
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:  # nobody seen: no angle lines, and no empty legend (or warning)
        ax.legend(loc="upper left", fontsize=8, ncols=3, framealpha=0.8)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]
