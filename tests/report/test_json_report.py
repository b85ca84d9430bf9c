import json

import jsonschema
import pytest

from formcheck.report.json_report import schema, to_json, write_json
from formcheck.types import FrameCounts, Hold, SessionResult, SourceInfo, Warning


def _result() -> SessionResult:
    w = Warning("jerky_motion", 3.2, "Slow down — ease into the stretch")
    hold = Hold("forward_bend", "standing", None, 1, 2.0, 21.9, 19.9, "too_short", True, 150.0, warnings=[w])
    src = SourceInfo("clip <b>&.mp4", 21.92, 59.8, 1311, 1110, 1058, 0)
    return SessionResult(src, [hold], [w], FrameCounts(1311, 1311, 0, 0))


def test_report_has_the_contract_shape_and_validates() -> None:
    d = json.loads(to_json(_result()))
    jsonschema.validate(d, schema())
    assert d["schema_version"] == 3 and d["target_hold_s"] == [20.0, 30.0]
    assert d["holds"][0]["warnings"][0]["kind"] == "jerky_motion"
    assert set(d["frames"]) >= {"total", "with_person", "rejected", "multi_person"}


def test_schema_rejects_a_broken_report() -> None:
    d = _result().to_dict()
    d["holds"][0]["verdict"] = "great"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(d, schema())


def test_write_is_atomic_and_to_stdout(tmp_path, capsys) -> None:
    write_json(_result(), tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text())["source"]["path"] == "clip <b>&.mp4"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
    write_json(_result(), "-")
    assert json.loads(capsys.readouterr().out)["holds"][0]["rep"] == 1
