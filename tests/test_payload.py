"""payload and violations: the shared base types."""

from __future__ import annotations

import pytest

from conformance import safexml
from conformance.payload import Payload
from conformance.versions import V
from conformance.violations import Severity, Violation, error, warning

TASK = b'<Task xmlns="http://www.vmware.com/vcloud/v1.5" status="queued"/>'


def test_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
    real = safexml.parse

    def counting(data: bytes, *, max_bytes: int = safexml.MAX_BYTES) -> object:
        calls.append(data)
        return real(data, max_bytes=max_bytes)

    monkeypatch.setattr(safexml, "parse", counting)
    payload = Payload(TASK)
    assert payload.root is payload.root
    assert payload.problem is None
    assert len(calls) == 1


def test_problem_instead_of_root() -> None:
    payload = Payload(b"<Task")
    assert payload.root is None
    assert payload.problem is not None and payload.problem.check_id == safexml.WELLFORMED


@pytest.mark.parametrize(
    ("media_type", "explicit", "expected"),
    [
        ("application/vnd.vmware.vcloud.task+xml;version=5.1", None, V("5.1")),
        ("application/vnd.vmware.vcloud.task+xml;version=5.1", V("5.5"), V("5.5")),
        ("application/vnd.vmware.vcloud.task+xml", None, None),
        (None, V("1.5"), V("1.5")),
    ],
    ids=["from-header", "explicit-wins", "none", "explicit-only"],
)
def test_version(media_type: str | None, explicit: V | None, expected: V | None) -> None:
    assert Payload(TASK, media_type, explicit).version == expected


@pytest.mark.parametrize(
    ("body", "media_type", "is_json"),
    [
        (TASK, None, False),
        (b'  {"a": 1}', None, True),
        (b"[1]", None, True),
        (b"{}", "application/vnd.vmware.vcloud.task+xml", False),  # header wins over sniffing
        (TASK, "application/json", True),
        (TASK, "application/vnd.vmware.vcloud.task+json", True),
    ],
    ids=["xml", "object", "array", "xml-header", "json-header", "json-suffix"],
)
def test_is_json(body: bytes, media_type: str | None, is_json: bool) -> None:
    assert Payload(body, media_type).is_json is is_json


def test_parsed_media_type() -> None:
    assert Payload(TASK).parsed_media_type is None
    assert Payload(TASK, "").parsed_media_type is None
    parsed = Payload(TASK, "application/vnd.vmware.vcloud.task+xml").parsed_media_type
    assert parsed is not None and parsed.suffix == "xml"


def test_violation_round_trip() -> None:
    v = error("schema.valid", "bad", 3, "/Task")
    data = v.to_dict()
    assert data == {
        "check": "schema.valid",
        "severity": "error",
        "message": "bad",
        "line": 3,
        "path": "/Task",
    }
    assert Violation.from_dict(data) == v
    w = warning("link.rel-known", "odd")
    assert w.to_dict() == {
        "check": "link.rel-known",
        "severity": "warning",
        "message": "odd",
        "line": None,
    }
    assert Violation.from_dict({"check": "x", "message": "m"}).severity is Severity.ERROR


def test_violation_str() -> None:
    assert str(error("xml.safe", "refused", 1)) == "line 1: [xml.safe] refused"
    assert str(warning("link.rel-known", "odd")) == "[link.rel-known] odd"
