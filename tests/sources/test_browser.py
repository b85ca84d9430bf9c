"""The browser's camera as a source: frames in order, the newest only, the end said once."""

from __future__ import annotations

import threading

import cv2
import numpy as np

from formcheck.sources.browser import BrowserCapture


def _jpeg(value: int) -> bytes:
    rng = np.random.default_rng(value)
    img = np.clip(rng.normal(value, 8, (360, 640, 3)), 0, 255).astype(np.uint8)  # a camera's noise
    return cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])[1].tobytes()


def test_frames_come_in_order_and_time_only_moves_forward() -> None:
    cap = BrowserCapture(640, 360)
    assert cap.push(_jpeg(50), 0.10)
    first = cap.read(timeout_s=1)
    assert first is not None and first.t_s == 0.10 and first.bgr is not None and first.bgr.shape == (360, 640, 3)
    assert cap.push(_jpeg(60), 0.05)  # older than the last: ignored, not an error
    assert cap.push(_jpeg(70), 0.20)
    second = cap.read(timeout_s=1)
    assert second is not None and second.t_s == 0.20 and second.index == first.index + 1
    assert not cap.push(b"not a jpeg", 0.3)  # an unreadable picture is refused, the session goes on
    cap.end()
    assert cap.read(timeout_s=1) is None and not cap.disconnected


def test_only_the_newest_frame_waits_and_a_dropped_page_ends_the_session_partial() -> None:
    cap = BrowserCapture(640, 360)
    for i, t in enumerate((0.0, 0.033, 0.066)):
        cap.push(_jpeg(40 + i), t)
    newest = cap.read(timeout_s=1)
    assert newest is not None and newest.t_s == 0.066 and cap.dropped == 2
    taken: list[object] = []
    reader = threading.Thread(target=lambda: taken.append(cap.read(timeout_s=5)))
    reader.start()
    cap.end(disconnected=True)  # the page went away while the loop waited
    reader.join(timeout=5)
    assert taken == [None] and cap.disconnected and cap.error == "the browser disconnected"


def test_a_page_that_stops_sending_is_taken_as_gone() -> None:
    cap = BrowserCapture(640, 360)
    assert cap.read(timeout_s=0.2) is None
    assert cap.disconnected and "no frames from the browser" in (cap.error or "")
