"""The JSON report: the contract every other tool (and a physiotherapist's spreadsheet) reads."""

from __future__ import annotations

import json
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

from formcheck.files import atomic_write
from formcheck.types import SessionResult


def to_json(result: SessionResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)


def write_json(result: SessionResult, path: str | Path) -> None:
    """Write the report to a file (atomically) or to stdout for '-'."""
    text = to_json(result) + "\n"
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    atomic_write(Path(path), lambda f: f.write(text.encode("utf-8")))


def schema() -> dict[str, Any]:
    """The JSON Schema of the report (formcheck/report/schema.json)."""
    return json.loads(files("formcheck.report").joinpath("schema.json").read_text("utf-8"))
