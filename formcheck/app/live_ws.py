"""One live session over a WebSocket: the page's camera frames in, the overlay's state out.

Protocol (JSON text messages, frames as binary):
- page -> server: {"type": "start", "width", "height"}; then each frame as 8 bytes of capture time
  (little-endian float64 seconds) + JPEG, sent only after the previous frame's "state" came back
  (the analysis sets the pace, nothing queues); {"type": "pause", "on": bool}; {"type": "stop"}.
- server -> page: {"type": "state", ...} per frame (landmarks, stretch, timer, cue, plan line,
  warning); {"type": "say", "text"} for spoken cues (the browser's speech synthesis);
  {"type": "summary", ...} once the session is kept; then the socket closes.
A dropped connection ends the session as a killed `live` does: what was seen is kept, partial.
"""

from __future__ import annotations

import asyncio
import json
import struct
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from formcheck.render.overlay import OverlayState, phase
from formcheck.sources.browser import BrowserCapture
from formcheck.sources.frame import Frame


class PageSpeaker:
    """A `Speaker` whose voice is the page's: sends the phrase and waits about as long as it takes
    to say, so the Voice queue keeps one phrase at a time and drops stale counts as it does live."""

    def __init__(self, send: Any) -> None:
        self.send = send
        self._cut = threading.Event()

    def speak(self, text: str) -> None:
        self._cut.clear()
        self.send({"type": "say", "text": text})
        self._cut.wait(0.4 + 0.38 * len(text.split()))

    def stop(self) -> None:
        self._cut.set()


def state_message(frame: Frame, s: OverlayState) -> dict[str, Any]:
    label, color = phase(s.elapsed_s, s.target_s)
    msg = {k: v for k, v in asdict(s).items() if k != "landmarks"}
    msg.update(
        type="state",
        frame=frame.index,
        t_s=round(frame.t_s, 3),
        phase=label if s.holding else "",
        color="#{:02x}{:02x}{:02x}".format(*color[::-1]),
        landmarks=None if s.landmarks is None else [[round(float(v), 4) for v in p[:2]] for p in s.landmarks],
    )
    return msg


async def run_live(ws: Any, keep: Any, settings: Any, model: Path | None) -> None:
    """Serve one session on `ws` (a Starlette WebSocket). `keep(result)` writes the
    reports and the history (the same functions `formcheck live` calls) and returns the summary."""
    from starlette.websockets import WebSocketDisconnect

    from formcheck.live import live_session

    hello = await ws.receive_json()
    if hello.get("type") != "start":
        await ws.close(code=1003)
        return
    capture = BrowserCapture(int(hello["width"]), int(hello["height"]), float(hello.get("fps", 30.0)))
    from formcheck import skeleton as sk

    await ws.send_json({"type": "ready", "connections": [list(c) for c in sk.CONNECTIONS]})
    loop = asyncio.get_running_loop()
    outbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()

    def send(msg: dict[str, Any] | None) -> None:  # from the analysis thread
        loop.call_soon_threadsafe(outbox.put_nowait, msg)

    done: dict[str, Any] = {}

    def analyse() -> None:
        try:
            result, _ = live_session(
                capture=capture,
                plan=settings.plan,
                config=settings.analysis,
                model=model,
                window=False,
                audio=False,
                voice=PageSpeaker(send) if hello.get("voice", True) else False,
                on_state=lambda f, s: send(state_message(f, s)),
                save_track=keep.track_path,
            )
            done["summary"] = keep(result)
        except Exception as exc:  # the page hears of it; the server goes on
            done["error"] = str(exc)
        finally:
            send(None)

    worker = threading.Thread(target=analyse, name="formcheck-browser-session", daemon=True)
    worker.start()

    async def pump() -> None:
        while (msg := await outbox.get()) is not None:
            try:
                await ws.send_json(msg)
            except Exception:
                capture.end(disconnected=True)
        try:
            final = {"type": "summary", **done["summary"]} if "summary" in done else {"type": "error", **done}
            await ws.send_json(final)
            await ws.close()
        except Exception:
            pass

    sender = asyncio.create_task(pump())
    try:
        while True:
            msg = await ws.receive()
            if msg.get("type") == "websocket.disconnect":
                raise WebSocketDisconnect(msg.get("code", 1000))
            if msg.get("bytes") is not None:
                data = msg["bytes"]
                (t_s,) = struct.unpack("<d", data[:8])
                capture.push(data[8:], t_s)
            elif msg.get("text") is not None:
                cmd = json.loads(msg["text"])
                if cmd.get("type") == "stop":
                    capture.end()
                    break
                if cmd.get("type") == "pause":
                    capture.paused = bool(cmd.get("on"))
    except WebSocketDisconnect:
        capture.end(disconnected=True)
    await sender  # ends once the session is kept (the worker's last message)
