"""The real pose model, as a library user drives it (no shared material needed: the model ships)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import numpy as np
from formcheck.pose.landmarker import PoseEstimator
est = PoseEstimator(count_every_s=0)
pose = est.process(np.zeros((120, 160, 3), np.uint8), 0.0)
print("nobody" if pose.landmarks is None else "somebody")
"""


def test_a_landmarker_left_open_exits_quietly() -> None:
    """Forgetting `with`/close() must not print MediaPipe's shutdown tracebacks at exit."""
    p = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "nobody"
    assert "Traceback" not in p.stderr and "Exception ignored" not in p.stderr, p.stderr
