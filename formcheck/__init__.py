"""formcheck: camera feedback for gentle lower-back stretches (not a medical device)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("formcheck")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+source"

from formcheck.api import analyze_track, analyze_video
from formcheck.settings import Settings, load_settings
from formcheck.types import Hold, SessionResult, Warning


def live_session(*args: object, **kwargs: object) -> tuple[SessionResult, object]:
    """Coach a live session (webcam or stream): see `formcheck.live.live_session`."""
    from formcheck.live import live_session as run

    return run(*args, **kwargs)  # type: ignore[arg-type]


__all__ = [
    "Hold",
    "SessionResult",
    "Settings",
    "Warning",
    "__version__",
    "analyze_track",
    "analyze_video",
    "live_session",
    "load_settings",
]
