"""compatibility.json against its shipped JSON Schema, and reading documents back."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance.reporting import FORMAT, schema
from conformance.reporting.schema import ReportError

from .conftest import Runs, document, result


def test_the_schema_ships_with_the_package_and_names_the_format() -> None:
    data = schema.schema()
    assert data["properties"]["format"] == {"const": FORMAT}
    assert data["$id"].endswith(f":{FORMAT}")


def test_a_real_run_matches_the_schema(real_runs: Runs) -> None:
    doc = real_runs.baseline.doc()
    assert schema.errors(doc) == []
    assert doc["kind"] == "vcd-conformance.compatibility" and doc["format"] == FORMAT
    assert doc["run_id"] == "baseline" == real_runs.baseline.folder.name
    target = doc["target"]
    assert target["mode"] == "sim" and target["api_versions"] == ["1.5", "36.0"]
    assert target["url"].startswith("http://127.0.0.1:")
    assert target["product"] == "vcd-conformance simulator"
    assert doc["areas"] == ["browsing", "vapp"]
    assert doc["profile"]["name"] == "browsing-vapp"
    # every executed test is in the document, once
    cases = ET.parse(real_runs.baseline.junit).getroot().iter("testcase")
    assert len(doc["results"]) == sum(1 for _ in cases) == doc["totals"]["total"]
    assert all(v["verdict"] == "yes" for v in doc["verdicts"])


def test_a_faulty_run_matches_the_schema_too(real_runs: Runs) -> None:
    doc = real_runs.faulty.doc()
    assert schema.errors(doc) == []
    assert doc["target"]["faults"] == ["status-200-for-async"]
    assert len(doc["results"]) == len(real_runs.baseline.doc()["results"])
    assert doc["totals"]["fail"] + doc["totals"]["error"] > 0
    # junit.xml stays xunit2-valid: the result property is not written there
    junit = real_runs.faulty.junit.read_text("utf-8")
    assert "vcd_result" not in junit and "<testcase" in junit


def test_the_schema_catches_drift() -> None:
    doc = document([result("vapp.a"), result("vapp.b", status="fail")])
    assert schema.errors(doc) == []
    bad = copy.deepcopy(doc)
    bad["results"][0]["status"] = "passed"
    del bad["verdicts"][0]["line"]
    bad["surprise"] = 1
    problems = schema.errors(bad)
    assert any(p.startswith("/results/0/status:") for p in problems)
    assert any(p.startswith("/verdicts/0:") and "'line'" in p for p in problems)
    assert any("surprise" in p for p in problems)


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    return path


def test_load_accepts_a_run_folder_or_the_file(tmp_path: Path) -> None:
    doc = document([result("vapp.a")])
    folder = tmp_path / "run-1"
    folder.mkdir()
    _write(folder, "compatibility.json", json.dumps(doc))
    assert schema.load(folder) == schema.load(folder / "compatibility.json") == doc


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such run folder or file"),
        ("{not json", "is not a compatibility.json (not JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        ('{"hello": "world"}', 'no "kind"'),
        ("[1, 2]", 'no "kind"'),
        ('{"format": 1, "results": []}', "has format 1; this vcd-conformance reads format 2"),
    ],
)
def test_load_says_what_is_wrong(
    tmp_path: Path, content: str | bytes | None, expected: str
) -> None:
    path = tmp_path / "x.json" if content is None else _write(tmp_path, "x.json", content)
    with pytest.raises(ReportError) as info:
        schema.load(path)
    assert expected in str(info.value)
    assert "x.json" in str(info.value)


def test_load_rejects_a_folder_without_a_report(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"has no compatibility\.json: is it a run folder"):
        schema.load(tmp_path)


def test_load_rejects_a_document_that_breaks_the_schema(tmp_path: Path) -> None:
    doc = document([result("vapp.a")])
    doc["totals"]["pass"] = -1
    path = _write(tmp_path, "compatibility.json", json.dumps(doc))
    with pytest.raises(
        ReportError, match=r"does not match the compatibility.json schema.*/totals/pass"
    ):
        schema.load(path)
