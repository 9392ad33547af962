"""linkrels: the documented rel vocabulary and implied verbs."""

from __future__ import annotations

import pytest

from conformance import linkrels


@pytest.mark.parametrize(
    ("rel", "verb"),
    [
        ("up", "GET"),
        ("down", "GET"),
        ("edit", "PUT"),
        ("remove", "DELETE"),
        ("add", "POST"),
        ("power:powerOn", "POST"),
        ("task:cancel", "POST"),
        ("ovf", "GET"),
        ("upload:default", "PUT"),
        ("blockingTask", "GET"),
        ("resume", "POST"),
    ],
    ids=lambda x: x,
)
def test_documented(rel: str, verb: str) -> None:
    assert linkrels.is_known(rel)
    assert linkrels.implied_verb(rel) == verb


@pytest.mark.parametrize(
    "rel",
    [
        "edgeGateway:upgrade",
        "orgVdcNetwork:syncSyslogServerSettings",
        "snapshot:futureOp",
        "media:newThing",
        "power:hibernate",
    ],
)
def test_namespaced_prefixes_are_post(rel: str) -> None:
    assert linkrels.is_known(rel)
    assert linkrels.implied_verb(rel) == linkrels.POST


@pytest.mark.parametrize("rel", ["", "teleport", "Up", "power", "download:somethingElse"])
def test_unknown(rel: str) -> None:
    assert not linkrels.is_known(rel)
    assert linkrels.implied_verb(rel) is None
    assert not linkrels.is_navigable(rel)


@pytest.mark.parametrize(
    ("rel", "navigable"),
    [
        ("down", True),
        ("alternate", True),
        ("edit", True),
        ("remove", False),
        ("power:powerOff", False),
        ("nextPage", True),
    ],
    ids=lambda x: str(x),
)
def test_is_navigable(rel: str, navigable: bool) -> None:
    assert linkrels.is_navigable(rel) is navigable


def test_vocabulary_uses_only_http_verbs() -> None:
    assert set(linkrels.RELS.values()) <= {
        linkrels.GET,
        linkrels.POST,
        linkrels.PUT,
        linkrels.DELETE,
    }
    assert all(p.endswith(":") for p in linkrels.NAMESPACED_PREFIXES)
