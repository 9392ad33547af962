"""safexml: refuses DTDs, entities, network loads and oversize bodies; parses the rest."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

from conformance import checks, safexml
from conformance.errors import PayloadError
from conformance.payload import Payload

from . import hostile
from .loopback import Loopback

VCLOUD = "{http://www.vmware.com/vcloud/v1.5}"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(hostile.SECRET + "\n", encoding="utf-8")
    return path


def _refused(data: bytes) -> PayloadError:
    with pytest.raises(PayloadError) as info:
        safexml.parse(data)
    return info.value


def _everything_said(payload: Payload, context: checks.Context) -> str:
    """Every string the library produces about a payload, joined."""
    parts = [str(v) for v in checks.run_checks(payload, context)]
    if payload.problem is not None:
        parts.append(str(payload.problem))
    if payload.root is not None:
        parts.append(etree.tostring(payload.root, encoding="unicode"))
    return "\n".join(parts)


def test_parses_a_plain_payload() -> None:
    root = safexml.parse(b'<Task xmlns="http://www.vmware.com/vcloud/v1.5" status="queued"/>')
    assert root.tag == f"{VCLOUD}Task"
    assert root.get("status") == "queued"


def test_xxe_file_read_is_refused_and_secret_never_appears(
    secret_file: Path, context: checks.Context
) -> None:
    body = hostile.xxe_file(secret_file)
    problem = _refused(body)
    assert problem.check_id == safexml.SAFE
    assert "DTD" in str(problem) or "DOCTYPE" in str(problem)
    payload = Payload(body, "application/vnd.vmware.vcloud.task+xml")
    said = _everything_said(payload, context)
    assert hostile.SECRET not in said
    assert [v.check for v in checks.run_checks(payload, context)] == [safexml.SAFE]


def test_xinclude_is_never_processed(secret_file: Path, context: checks.Context) -> None:
    payload = Payload(hostile.xinclude_file(secret_file))
    assert payload.root is not None  # well-formed and DTD-free: it parses...
    assert hostile.SECRET not in _everything_said(payload, context)  # ...but includes nothing


def test_billion_laughs_refused_quickly() -> None:
    started = time.perf_counter()
    problem = _refused(hostile.billion_laughs())
    assert problem.check_id == safexml.SAFE
    assert time.perf_counter() - started < 5


def test_external_dtd_is_refused_and_never_fetched() -> None:
    with Loopback() as server:
        problem = _refused(hostile.external_dtd(f"{server.base}/evil.dtd"))
    assert problem.check_id == safexml.SAFE
    assert "evil.dtd" in str(problem)
    assert server.requests == []


def test_parameter_entity_is_refused_and_never_fetched() -> None:
    with Loopback() as server:
        problem = _refused(hostile.parameter_entity(f"{server.base}/param.dtd"))
    assert problem.check_id == safexml.SAFE
    assert server.requests == []


def test_undeclared_entity_reference_is_a_safety_refusal() -> None:
    problem = _refused(b'<Task xmlns="http://www.vmware.com/vcloud/v1.5">&ext;</Task>')
    assert problem.check_id == safexml.SAFE
    assert "ext" in str(problem)


def test_doctype_after_a_long_prologue_is_still_refused() -> None:
    body = b"<!--" + b"x" * 10_000 + b'-->\n<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'
    assert _refused(body).check_id == safexml.SAFE


def test_xsi_schema_location_is_never_fetched(context: checks.Context) -> None:
    with Loopback() as server:
        body = (
            '<OrgList xmlns="http://www.vmware.com/vcloud/v1.5" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="http://www.vmware.com/vcloud/v1.5 {server.base}/master.xsd" '
            'href="https://x.example/api/org/"/>'
        ).encode()
        payload = Payload(body, "application/vnd.vmware.vcloud.orgList+xml")
        assert checks.run_checks(payload, context) == []
    assert server.requests == []


def test_hundred_megabytes_refused_by_size_cap_without_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = hostile.huge_body()
    assert len(body) == 100 * 1024 * 1024

    def must_not_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an over-size body reached the XML parser")

    monkeypatch.setattr(safexml.etree, "fromstring", must_not_parse)
    started = time.perf_counter()
    problem = _refused(body)
    assert time.perf_counter() - started < 2
    assert problem.check_id == safexml.SAFE
    assert "104,857,600 bytes" in str(problem)
    assert f"{safexml.MAX_BYTES:,}-byte cap" in str(problem)


def test_size_cap_is_configurable() -> None:
    body = b'<Task xmlns="http://www.vmware.com/vcloud/v1.5" status="queued"/>'
    assert safexml.parse(body, max_bytes=len(body)) is not None
    with pytest.raises(PayloadError) as info:
        safexml.parse(body, max_bytes=len(body) - 1)
    assert info.value.check_id == safexml.SAFE


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (hostile.WRONG_ENCODING, "encoding"),
        (hostile.UNSUPPORTED_ENCODING, "x-unknown-charset"),
        (b"<Task><Owner></Task>", "mismatch"),
        (b'{"status": "running"}', "not well-formed"),
        (b"<a/><b/>", "not well-formed"),
    ],
    ids=["latin1-declared-utf8", "unsupported-encoding", "tag-mismatch", "json-body", "two-roots"],
)
def test_malformed_bodies_are_wellformed_violations(body: bytes, fragment: str) -> None:
    problem = _refused(body)
    assert problem.check_id == safexml.WELLFORMED
    assert fragment.lower() in str(problem).lower()
    assert problem.line is not None


@pytest.mark.parametrize("body", [b"", b"   \n\t  "], ids=["empty", "whitespace"])
def test_empty_body(body: bytes) -> None:
    problem = _refused(body)
    assert problem.check_id == safexml.WELLFORMED
    assert "empty body" in str(problem)
    assert problem.line == 1


def test_utf16_body_is_valid() -> None:
    root = safexml.parse(hostile.UTF16_ERROR)
    assert root.tag == f"{VCLOUD}Error"
    assert root.get("message") == "caf\xe9 \u2603"


def test_text_with_encoding_declaration_is_a_wellformed_violation() -> None:
    # A str (not bytes) that declares an encoding: lxml refuses it with ValueError.
    problem = _refused('<?xml version="1.0" encoding="UTF-8"?><r/>')  # type: ignore[arg-type]
    assert problem.check_id == safexml.WELLFORMED


def test_payload_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        safexml.parse(b"<")


def test_parse_schema_file_refuses_entities(tmp_path: Path, secret_file: Path) -> None:
    xsd = tmp_path / "evil.xsd"
    xsd.write_text(
        f'<!DOCTYPE s [<!ENTITY leak SYSTEM "{secret_file.as_uri()}">]>'
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:annotation>'
        "<xs:documentation>&leak;</xs:documentation></xs:annotation></xs:schema>",
        encoding="utf-8",
    )
    tree = safexml.parse_schema_file(str(xsd))
    assert hostile.SECRET not in etree.tostring(tree, encoding="unicode")
