"""xml.wellformed and xml.safe."""

from __future__ import annotations

import pytest

from conformance.violations import Severity

from .. import hostile
from .conftest import RunCheck, load

TASK_MT = "application/vnd.vmware.vcloud.task+xml"


@pytest.mark.parametrize("check_id", ["xml.wellformed", "xml.safe"])
@pytest.mark.parametrize(
    "body", [load("1.5/task-running.xml"), hostile.UTF16_ERROR], ids=["task", "utf16"]
)
def test_silent_on_good_xml(run_check: RunCheck, check_id: str, body: bytes) -> None:
    assert run_check(check_id, body, TASK_MT) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<Task",
        hostile.WRONG_ENCODING,
        hostile.UNSUPPORTED_ENCODING,
        load("1.5/task-running.xml", ("</Task>", "")),
    ],
    ids=["empty", "truncated", "wrong-encoding", "unsupported-encoding", "unclosed-root"],
)
def test_wellformed_fires(run_check: RunCheck, body: bytes) -> None:
    (violation,) = run_check("xml.wellformed", body, TASK_MT)
    assert violation.severity is Severity.ERROR
    assert violation.line is not None
    assert run_check("xml.safe", body, TASK_MT) == []  # one problem, one check


@pytest.mark.parametrize(
    "body",
    [
        hostile.billion_laughs(),
        hostile.external_dtd("http://127.0.0.1:9/x.dtd"),
        hostile.parameter_entity("http://127.0.0.1:9/p.dtd"),
        b"<Task>&undeclared;</Task>",
    ],
    ids=["billion-laughs", "external-dtd", "parameter-entity", "entity-reference"],
)
def test_safe_fires(run_check: RunCheck, body: bytes) -> None:
    (violation,) = run_check("xml.safe", body, TASK_MT)
    assert violation.severity is Severity.ERROR
    assert violation.message.startswith("refused")
    assert run_check("xml.wellformed", body, TASK_MT) == []


def test_safe_fires_on_size_cap(run_check: RunCheck) -> None:
    body = load("1.5/task-running.xml")
    (violation,) = run_check("xml.safe", body, TASK_MT, max_bytes=100)
    assert "cap" in violation.message
    assert run_check("xml.safe", body, TASK_MT, max_bytes=len(body)) == []


@pytest.mark.parametrize("check_id", ["xml.wellformed", "xml.safe"])
def test_json_bodies_are_not_judged_as_xml(run_check: RunCheck, check_id: str) -> None:
    assert (
        run_check(check_id, b'{"status": "running"}', "application/vnd.vmware.vcloud.task+json")
        == []
    )
    assert run_check(check_id, b'[{"a": 1}]') == []  # sniffed when no Content-Type
