"""mediatypes: parsing Content-Type values and the media type <-> type <-> root map."""

from __future__ import annotations

import pytest

from conformance.mediatypes import (
    DOCUMENTED_EXTRA,
    GENERIC_XML,
    VCLOUD_NS,
    MediaType,
    MediaTypeMap,
    qname,
)

TASK = "application/vnd.vmware.vcloud.task"
TASK_TYPE = qname(VCLOUD_NS, "TaskType")
TASK_EL = qname(VCLOUD_NS, "Task")


@pytest.mark.parametrize(
    ("value", "base", "suffix", "params"),
    [
        (f"{TASK}+xml", TASK, "xml", ()),
        (f"{TASK}+xml;version=5.1", TASK, "xml", (("version", "5.1"),)),
        (
            f' {TASK}+json ; Version="36.0" ; charset=utf-8',
            TASK,
            "json",
            (("version", "36.0"), ("charset", "utf-8")),
        ),
        ("application/xml", "application/xml", None, ()),
        ("application/*+xml;version=5.5", "application/*", "xml", (("version", "5.5"),)),
        ("text/xml;", "text/xml", None, ()),
        ("application", "application", None, ()),
    ],
    ids=["xml", "version", "json-params", "generic", "wildcard", "empty-param", "no-subtype"],
)
def test_parse(
    value: str, base: str, suffix: str | None, params: tuple[tuple[str, str], ...]
) -> None:
    mt = MediaType.parse(value)
    assert (mt.base, mt.suffix, mt.params) == (base, suffix, params)


def test_full_and_param() -> None:
    mt = MediaType.parse(f"{TASK}+xml;version=5.1")
    assert mt.full == f"{TASK}+xml"
    assert mt.param("version") == "5.1"
    assert mt.param("charset") is None
    assert MediaType.parse("application/xml").full == "application/xml"


@pytest.mark.parametrize(
    ("value", "generic", "json"),
    [
        ("application/xml", True, False),
        ("TEXT/XML", True, False),
        ("application/*+xml;version=5.1", True, False),
        (f"{TASK}+xml", False, False),
        (f"{TASK}+json", False, True),
        ("application/json", False, True),
    ],
    ids=[
        "application-xml",
        "text-xml-upper",
        "wildcard-xml",
        "vcloud-xml",
        "vcloud-json",
        "plain-json",
    ],
)
def test_generic_and_json(value: str, generic: bool, json: bool) -> None:
    mt = MediaType.parse(value)
    assert mt.is_generic_xml is generic
    assert mt.is_json is json


def test_generic_set() -> None:
    assert "application/xml" in GENERIC_XML and "text/xml" in GENERIC_XML


@pytest.fixture
def small_map() -> MediaTypeMap:
    mtm = MediaTypeMap()
    mtm.add(TASK, TASK_TYPE)
    mtm.add("application/vnd.vmware.vcloud.vApp", qname(VCLOUD_NS, "VAppType"))
    mtm.link_roots({TASK_EL: TASK_TYPE, qname(VCLOUD_NS, "VApp"): qname(VCLOUD_NS, "VAppType")})
    return mtm


def test_map_lookups_both_ways(small_map: MediaTypeMap) -> None:
    assert small_map.types_for(f"{TASK}+xml") == {TASK_TYPE}
    assert small_map.roots_for(f"{TASK}+xml;version=5.1") == {TASK_EL}
    assert small_map.media_types_for_type(TASK_TYPE) == {TASK}
    assert small_map.media_types_for_root(TASK_EL) == {TASK}
    assert small_map.canonical("APPLICATION/VND.VMWARE.VCLOUD.VAPP+xml") == (
        "application/vnd.vmware.vcloud.vApp"
    )
    assert len(small_map) == 2
    assert small_map.all() == sorted([TASK, "application/vnd.vmware.vcloud.vApp"])


@pytest.mark.parametrize(
    ("value", "known"),
    [
        (f"{TASK}+xml", True),
        (f"{TASK}+json", True),
        (TASK, True),
        (f"{TASK.upper()}+XML", True),  # media types are case-insensitive (RFC 6838)
        (f"{TASK}+yaml", False),
        ("application/vnd.vmware.vcloud.nothing+xml", False),
    ],
    ids=["xml", "json", "bare", "upper-suffix", "yaml", "unknown"],
)
def test_is_known(small_map: MediaTypeMap, value: str, known: bool) -> None:
    assert small_map.is_known(value) is known
    assert small_map.is_known(MediaType.parse(value)) is known


def test_unknown_lookups_are_empty(small_map: MediaTypeMap) -> None:
    unknown = "application/vnd.example.none+xml"
    assert small_map.canonical(unknown) is None
    assert small_map.types_for(unknown) == frozenset()
    assert small_map.roots_for(unknown) == frozenset()
    assert small_map.media_types_for_root("{urn:x}Y") == frozenset()
    assert small_map.media_types_for_type("{urn:x}Y") == frozenset()


def test_documented_extra_adds_roots_without_types() -> None:
    mtm = MediaTypeMap()
    mtm.update_documented(DOCUMENTED_EXTRA.items())
    records = "application/vnd.vmware.vcloud.query.records+xml"
    assert mtm.is_known(records)
    assert mtm.roots_for(records) == {qname(VCLOUD_NS, "QueryResultRecords")}
    assert mtm.types_for(records) == frozenset()
    assert mtm.media_types_for_root(qname(VCLOUD_NS, "QueryResultRecords")) == {
        "application/vnd.vmware.vcloud.query.records",
        "application/vnd.vmware.vcloud.query.idrecords",
    }


def test_returned_sets_are_copies(small_map: MediaTypeMap) -> None:
    got = small_map.types_for(TASK)
    assert isinstance(got, frozenset)
    assert small_map.types_for(TASK) == {TASK_TYPE}
