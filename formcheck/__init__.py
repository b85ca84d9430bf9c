"""formcheck: camera feedback for gentle lower-back stretches (not a medical device)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("formcheck")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+source"

from formcheck.api import analyze_track, analyze_video
from formcheck.types import Hold, SessionResult, Warning

__all__ = ["Hold", "SessionResult", "Warning", "__version__", "analyze_track", "analyze_video"]
