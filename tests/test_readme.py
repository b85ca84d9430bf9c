"""The README a person reads first: its first screen sets up, runs and tests; every command and
flag it shows exists; every page and picture it links to is there."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_first_screen_sets_up_runs_and_tests() -> None:
    first = "\n".join(README.splitlines()[:24])
    assert "pip install ." in first and "formcheck live" in first and "python -m pytest -q" in first, first
    assert "[dev]" not in first.split("formcheck live")[0], "a person installs formcheck, not its developer tools"
    assert "not a medical device" in first


def test_every_command_and_flag_shown_exists() -> None:
    blocks = "\n".join(re.findall(r"```(?:bash)?\n(.*?)```", README, re.S))
    shown = [ln.split("#")[0].strip() for ln in blocks.splitlines() if ln.startswith("formcheck ")]
    shown += re.findall(r"`(formcheck [^`]+)`", README)
    assert len(shown) >= 6
    helps: dict[str, str] = {}
    for line in shown:
        command = line.split()[1]
        if command not in helps:
            p = subprocess.run([sys.executable, "-m", "formcheck", command, "--help"], capture_output=True, text=True)
            assert p.returncode == 0, (line, p.stderr)
            helps[command] = p.stdout
        for flag in re.findall(r"(?<![\w-])--[a-z][a-z-]*", line):
            assert flag in helps[command], (line, flag)


def test_linked_pages_and_the_camera_diagram_are_there() -> None:
    links = re.findall(r"\]\(([^)#]+)\)", README)
    assert "docs/camera-placement.svg" in links
    for link in links:
        assert (ROOT / link).is_file(), link
    svg = ET.parse(ROOT / "docs" / "camera-placement.svg").getroot()
    texts = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "Knee-to-chest" in texts and "Forward bend" in texts and "2-3 m" in texts
