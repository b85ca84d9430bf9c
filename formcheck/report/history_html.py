"""The history chart: seconds held in range per period, one line per stretch and side (one HTML file)."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path

from formcheck.sources.track import atomic_write
from formcheck.store.history import SessionRow


def write_history_html(rows: list[SessionRow], trend: list[tuple], by: str, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    periods = sorted({r[0] for r in trend})
    fig = Figure(figsize=(9, 3.5))
    ax = fig.add_subplot(1, 1, 1)
    for key in sorted({(r[1], r[2] or "") for r in trend}):
        ys = [sum(r[4] or 0 for r in trend if r[0] == p and (r[1], r[2] or "") == key) for p in periods]
        ax.plot(periods, ys, marker="o", label=f"{key[0].replace('_', ' ')} {key[1]}".strip())
    ax.set_ylabel("seconds held in range")
    ax.set_xlabel(by)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    svg = buf.getvalue()[buf.getvalue().index("<svg") :]
    items = "".join(
        f"<tr><td>{escape(r.started_at)}</td><td>{escape(Path(r.source).name)}</td><td>{r.holds}</td>"
        f"<td>{r.in_range}</td><td>{r.warnings}</td></tr>"
        for r in rows
    )
    html = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>formcheck history</title></head>"
        f"<body style='font-family:system-ui;max-width:950px;margin:2rem auto'><h1>Progress</h1>"
        f"<figure id=trend>{svg}</figure><table id=sessions><tr><th>when</th><th>source</th><th>holds</th>"
        f"<th>in range</th><th>warnings</th></tr>{items}</table>"
        f"<footer>formcheck gives exercise feedback; it is not a medical device.</footer></body></html>"
    )
    return atomic_write(path, lambda f: f.write(html.encode("utf-8")))
