"""Every fixture payload passes every check at the API version of its folder.

The fixtures under ``fixtures/payloads/<version>/`` are written in the shape real
vCloud 1.5 / 5.1 / 5.5 clouds answer (see the Programming Guides of those
releases). The media type is the root's ``type`` attribute, as a cloud sends it
in the Content-Type header; a root without ``type`` (Error) is checked without one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conformance import checks
from conformance.payload import Payload
from conformance.versions import GUIDE_VERSIONS, ApiVersion

PAYLOADS = Path(__file__).parent / "fixtures" / "payloads"
FIXTURES = sorted(PAYLOADS.glob("*/*.xml"))


def _media_type(body: bytes) -> str | None:
    return etree.fromstring(body).get("type")


@pytest.mark.parametrize("path", FIXTURES, ids=[f"{p.parent.name}/{p.stem}" for p in FIXTURES])
def test_fixture_conforms(path: Path, context: checks.Context) -> None:
    body = path.read_bytes()
    version = ApiVersion.parse(path.parent.name)
    payload = Payload(body, _media_type(body), version, source=str(path))
    violations = checks.run_checks(payload, context)
    assert [str(v) for v in violations] == []


def test_every_guide_version_has_fixtures() -> None:
    folders = {ApiVersion.parse(p.parent.name) for p in FIXTURES}
    assert folders == set(GUIDE_VERSIONS)


@pytest.mark.parametrize("version", [str(v) for v in GUIDE_VERSIONS])
def test_core_documents_present(version: str) -> None:
    roots = set()
    for path in (PAYLOADS / version).glob("*.xml"):
        roots.add(etree.QName(etree.parse(str(path)).getroot()).localname)
    wanted = {
        "Session",
        "OrgList",
        "Org",
        "Vdc",
        "Catalog",
        "CatalogItem",
        "VAppTemplate",
        "VApp",
        "Task",
        "Error",
    }
    if version != "1.5":
        wanted |= {"QueryResultRecords", "BlockingTask"}
    if version == "5.5":
        wanted |= {"Metadata"}
    assert wanted <= roots
