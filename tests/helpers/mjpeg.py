"""A real MJPEG-over-HTTP server on loopback (what phone camera apps serve), streaming a video file."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import cv2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MjpegServer:
    """Streams `video` once at its own frame rate, then the camera app is gone (reconnects get 503).
    `stop_after_s` cuts the stream early (a dropping connection)."""

    def __init__(self, video: Path, stop_after_s: float | None = None) -> None:
        cap = cv2.VideoCapture(str(video))
        self.fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
        self.jpegs = []
        while True:
            ok, fr = cap.read()
            if not ok:
                break
            self.jpegs.append(cv2.imencode(".jpg", fr, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes())
        cap.release()
        self.stop_after_s = stop_after_s
        self.port = free_port()
        self.clients = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.clients += 1
                if server.clients > 1:
                    self.send_error(503)  # the camera app is gone: reconnects fail
                    return
                self.send_response(200)
                self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
                self.end_headers()
                start = time.monotonic()
                try:
                    for i, jpg in enumerate(server.jpegs):
                        if server.stop_after_s is not None and i / server.fps >= server.stop_after_s:
                            return
                        delay = start + i / server.fps - time.monotonic()
                        if delay > 0:
                            time.sleep(delay)
                        self.wfile.write(b"--frame\r\nContent-Type: image/jpeg\r\n")
                        self.wfile.write(f"Content-Length: {len(jpg)}\r\n\r\n".encode() + jpg + b"\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/stream.mjpg"

    def __enter__(self) -> MjpegServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
