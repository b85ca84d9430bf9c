"""`formcheck app`: the routine, the history and the reports in the browser, the camera the browser's."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from formcheck.cli.app import ConfigOpt, DbOpt, ModelOpt, app, friendly_errors, out
from formcheck.errors import FormcheckError


def _can_listen(host: str, port: int) -> None:
    """A busy port or an address not on this computer: one line now, not the server's log later."""
    import socket

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise FormcheckError(f"cannot listen on {host}:{port}: {reason} (another formcheck app? try --port)") from None


@app.command("app")
@friendly_errors
def web_app(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Where to listen: 127.0.0.1 (this computer only) or 0.0.0.0 / an address (a phone on the "
            "local network; served over HTTPS with a certificate made on first use).",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port.")] = 8765,
    browser: Annotated[bool, typer.Option("--browser/--no-browser", help="Open the browser on this computer.")] = True,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for the sessions' reports (default: user data folder).")
    ] = None,
    config: ConfigOpt = None,
    db: DbOpt = None,
    model: ModelOpt = None,
) -> None:
    """Open formcheck in the browser: today's routine with the camera, analysing videos, history, progress."""
    try:
        import uvicorn

        from formcheck.app.server import create_app
    except ImportError:
        raise FormcheckError("formcheck app needs the app extra: pip install 'formcheck[app]'") from None
    from platformdirs import user_config_dir, user_data_dir

    from formcheck.app.security import ensure_certificate, is_loopback, lan_address, new_token, qr_text
    from formcheck.cli.app import check_outputs, recover
    from formcheck.settings import load_settings

    if not 0 < port < 65536:
        raise FormcheckError(f"--port {port}: use 1-65535")
    _can_listen(host, port)
    settings = load_settings(config)
    reports = out_dir or Path(user_data_dir("formcheck")) / "sessions"
    check_outputs(out_dir=reports, db=db)
    recover()
    token = new_token()
    local = is_loopback(host)
    ssl: dict[str, str] = {}
    shown = host
    if not local:
        shown = lan_address() if host in ("0.0.0.0", "::") else host
        cert, key = ensure_certificate(Path(user_config_dir("formcheck")), [shown])
        ssl = {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
    url = f"{'https' if ssl else 'http'}://{'localhost' if local else shown}:{port}/?token={token}"
    out.print("[bold]formcheck app[/] — not a medical device: move gently, stop if it hurts.")
    out.print(f"Open: {url}", soft_wrap=True)
    if not local:
        qr = qr_text(url)
        if qr:
            out.print("Or point the phone's camera at this code:")
            out.print(qr, markup=False, highlight=False)
        out.print("[dim]The certificate is this computer's own: the phone's browser asks once to trust it.[/]")
    out.print("[dim]Ctrl-C stops the app.[/]")
    if local and browser:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(
        create_app(settings, token, db, reports, model),
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=3,  # an idle browser's keep-alive must not hold Ctrl-C up
        **ssl,  # type: ignore[arg-type]
    )
