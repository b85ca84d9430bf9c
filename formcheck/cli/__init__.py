"""Command line: one module per command, all registered on the app in `cli/app.py`.

formcheck analyze | live | app | explain | report | history | models | config
"""

from __future__ import annotations

from formcheck.cli import analyze, config, explain, history, live, models, report, web
from formcheck.cli.app import app

__all__ = ["analyze", "app", "config", "explain", "history", "live", "main", "models", "report", "web"]


def main() -> None:
    from formcheck.pose.quiet import route_native_stderr_away

    route_native_stderr_away()
    app()
