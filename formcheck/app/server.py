"""The web app: pages, the live WebSocket, uploads, the history's files; every request needs the token.

Pages are plain HTML (no framework): Today (the plan, the live view), Analyse a video, History and
Progress. The live view's drawing is static/today.js; everything it shows comes from the server.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket

from formcheck.app.jobs import Jobs
from formcheck.app.keep import Keeper
from formcheck.app.live_ws import run_live
from formcheck.app.security import COOKIE, token_ok
from formcheck.report.outputs import live_session_folder
from formcheck.settings import Settings
from formcheck.store.history import History
from formcheck.types import DISCLAIMER

STATIC = Path(__file__).parent / "static"
SESSION_FILES = {"report.html", "report.json", "holds.csv", "warnings.csv"}
NAV = (("/", "Today"), ("/analyse", "Analyse a video"), ("/history", "History"), ("/progress", "Progress"))


def page(title: str, body: str, here: str) -> HTMLResponse:
    links = " ".join(f'<a href="{href}"{" class=here" if href == here else ""}>{name}</a>' for href, name in NAV)
    return HTMLResponse(
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<meta name=viewport content="width=device-width, initial-scale=1">'
        f'<title>formcheck – {escape(title)}</title><link rel=stylesheet href="/static/app.css"></head>'
        f"<body><nav>{links}</nav><main>{body}</main><footer>{escape(DISCLAIMER)}</footer></body></html>"
    )


def create_app(settings: Settings, token: str, db: Path | None, reports: Path, model: Path | None = None) -> Starlette:
    """`reports`: where sessions' folders go (live and uploaded alike)."""
    jobs = Jobs(settings, db, reports, model)

    def allowed(conn: Request | WebSocket) -> bool:
        return token_ok(conn.query_params.get("token"), token) or token_ok(conn.cookies.get(COOKIE), token)

    async def today(_: Request) -> Response:
        plan = settings.plan
        items = "".join(
            f"<li>{escape(it.label)}: {it.reps} × {plan.hold_s[0]:g}–{plan.hold_s[1]:g} s</li>" for it in plan.items
        )
        body = (
            f"<h1>Today</h1><ul id=plan>{items}</ul>"
            "<p class=hint>Put the camera beside you, side-on, at hip height, 2–3 m away, your whole body in view.</p>"
            "<p><button id=start>Start</button> <button id=pause disabled>Pause</button> "
            "<button id=stop disabled>Stop</button> "
            "<label><input type=checkbox id=voice checked> spoken cues</label></p>"
            "<div id=stage><video id=camera playsinline muted></video><canvas id=view></canvas>"
            "<div id=ring><span id=seconds>--</span><small id=phase></small></div>"
            "<div id=coach><div id=stretch></div><div id=cue></div><div id=next></div></div>"
            "<div id=warning></div></div>"
            "<section id=summary hidden></section>"
            '<script src="/static/today.js"></script>'
        )
        return page("Today", body, "/")

    async def analyse_page(_: Request) -> Response:
        body = (
            "<h1>Analyse a video</h1><p><input type=file id=file accept='video/*,image/*'> "
            "<button id=upload>Analyse</button></p><progress id=bar max=1 value=0 hidden></progress>"
            "<p id=status></p><script src='/static/analyse.js'></script>"
        )
        return page("Analyse a video", body, "/analyse")

    async def upload(request: Request) -> Response:
        name = Path(request.headers.get("x-filename", "video.mp4")).name or "video.mp4"
        recorded = request.headers.get("x-last-modified")
        when = None
        if recorded and recorded.isdigit():  # the file's modification time, as the browser read it
            when = datetime.fromtimestamp(int(recorded) / 1000).isoformat(timespec="seconds")
        fd, tmp = tempfile.mkstemp(prefix="formcheck-upload-", suffix=Path(name).suffix or ".mp4")
        with open(fd, "wb") as f:
            async for chunk in request.stream():
                f.write(chunk)
        return JSONResponse({"job": jobs.start(Path(tmp), name, when)})

    async def job(request: Request) -> Response:
        j = jobs.jobs.get(request.path_params["job"])
        if j is None:
            return JSONResponse({"error": "no such job"}, status_code=404)
        return JSONResponse({"state": j.state, "done": j.done, "total": j.total, "error": j.error, **j.summary})

    async def history(_: Request) -> Response:
        with History(db) as h:
            rows = h.sessions()
        trs = "".join(
            f"<tr id=s{r.id}><td>{escape(r.started_at.replace('T', ' ')[:16])}</td>"
            f"<td>{escape(Path(r.source).name)}</td>"
            f"<td>{r.in_range} of {r.holds} in range</td><td>{escape((r.gentleness or '–').replace('_', ' '))}"
            f"{' (partial)' if r.partial else ''}</td>"
            f"<td>{f'<a href=/sessions/{r.id}/report.html>report</a>' if r.files else ''}</td>"
            f"<td><form method=post action=/history/{r.id}/delete><button>delete</button></form></td></tr>"
            for r in reversed(rows)
        )
        body = (
            "<h1>History</h1><table id=sessions><tr><th>recorded</th><th>video or camera</th><th>holds</th>"
            f"<th>motion</th><th></th><th></th></tr>{trs}</table>"
            if rows
            else "<h1>History</h1><p>No sessions yet.</p>"
        )
        return page("History", body, "/history")

    async def delete(request: Request) -> Response:
        with History(db) as h:
            h.delete([int(request.path_params["id"])])
        return RedirectResponse("/history", status_code=303)

    async def progress_page(_: Request) -> Response:
        from formcheck.report.progress_html import render_progress_html
        from formcheck.store.progress import progress

        with History(db) as h:
            p = progress(h, settings.plan, None, None)
        html = render_progress_html(p, reports / "progress.html", link=lambda s: f"/sessions/{s.id}/report.html")
        back = '<p style="font:16px system-ui"><a href="/">Today</a> · <a href="/history">History</a></p>'
        return HTMLResponse(html.replace("<body>", "<body>" + back, 1))

    async def session_file(request: Request) -> Response:
        name = request.path_params["name"]
        with History(db) as h:
            row = h.session(int(request.path_params["id"]))
        if name not in SESSION_FILES or row is None or not row.files or not (Path(row.files) / name).is_file():
            return Response("no such file", status_code=404)
        return FileResponse(Path(row.files) / name)

    async def live(ws: WebSocket) -> None:
        if not allowed(ws):
            await ws.close(code=1008)
            return
        await ws.accept()
        folder = live_session_folder(reports, create=True)
        keep = Keeper(folder, settings, db, datetime.now().isoformat(timespec="seconds"))
        await run_live(ws, keep, settings, model)

    routes = [
        Route("/", today),
        Route("/favicon.ico", lambda _: Response(status_code=204)),
        Route("/analyse", analyse_page),
        Route("/api/analyse", upload, methods=["POST"]),
        Route("/api/jobs/{job}", job),
        Route("/history", history),
        Route("/history/{id:int}/delete", delete, methods=["POST"]),
        Route("/progress", progress_page),
        Route("/sessions/{id:int}/{name}", session_file),
        WebSocketRoute("/ws/live", live),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]

    async def need_token(request: Request, call_next: Any) -> Response:
        if not allowed(request):
            return Response("formcheck: open the link printed in the terminal (it carries the token)", status_code=403)
        response: Response = await call_next(request)
        if request.query_params.get("token") == token:
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https")
        return response

    return Starlette(routes=routes, middleware=[Middleware(BaseHTTPMiddleware, dispatch=need_token)])
