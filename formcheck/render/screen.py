"""How big the screen is, so the live window can open as large as it fits (read from 2-3 m away).

OpenCV's HighGUI cannot tell; the platform can, without a new dependency: Xlib on Linux (also
under XWayland, where OpenCV's Qt draws), user32 on Windows, Tk elsewhere. None when nothing
answers; the window then opens at 1280x720.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

FALLBACK = (1280, 720)


def _xlib() -> tuple[int, int] | None:
    name = ctypes.util.find_library("X11")
    if not name or not os.environ.get("DISPLAY"):
        return None
    x11 = ctypes.CDLL(name)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultScreen.argtypes = [ctypes.c_void_p]
    x11.XDisplayWidth.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x11.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = x11.XOpenDisplay(None)
    if not display:
        return None
    try:
        screen = x11.XDefaultScreen(display)
        return int(x11.XDisplayWidth(display, screen)), int(x11.XDisplayHeight(display, screen))
    finally:
        x11.XCloseDisplay(display)


def _windows() -> tuple[int, int] | None:
    user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    return int(user32.GetSystemMetrics(0)), int(user32.GetSystemMetrics(1))


def _tk() -> tuple[int, int] | None:
    import tkinter

    root = tkinter.Tk()
    try:
        root.withdraw()
        return int(root.winfo_screenwidth()), int(root.winfo_screenheight())
    finally:
        root.destroy()


def screen_size() -> tuple[int, int] | None:
    """The screen the window opens on, in pixels. Side-by-side monitors form one wide X screen:
    past 2.5:1, half of it is taken as the monitor."""
    probes = (_windows,) if sys.platform == "win32" else (_xlib,) if sys.platform.startswith("linux") else (_tk,)
    for probe in probes:
        try:
            size = probe()
        except Exception:  # no display library, no display, a headless Tk: ask the next one
            size = None
        if size is not None and size[0] > 0 and size[1] > 0:
            w, h = size
            return (w // 2, h) if w / h > 2.5 else (w, h)
    return None


def fit(frame: tuple[int, int], screen: tuple[int, int] | None, share: float = 0.9) -> tuple[int, int]:
    """The largest window of the frame's shape (w, h) within `share` of the screen, scaled up or down:
    a 640x360 webcam on a 1920x1080 screen opens at 1632x918, not as a stamp in a corner."""
    sw, sh = screen or FALLBACK
    scale = min(share * sw / frame[0], (share - 0.05) * sh / frame[1])  # room for a title bar and panel
    return max(1, round(frame[0] * scale)), max(1, round(frame[1] * scale))
