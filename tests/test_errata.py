"""errata: every entry is well-formed, matches exactly one declaration, and only narrows it."""

from __future__ import annotations

import pytest

from conformance import errata, schemas
from conformance.schemas import SchemaRegistry
from conformance.versions import KNOWN_VERSIONS, V


@pytest.mark.parametrize("erratum", errata.ERRATA, ids=lambda e: e.id)
def test_entry_is_complete(erratum: errata.Erratum, registry: SchemaRegistry) -> None:
    assert erratum.kind in ("element", "attribute")
    assert not erratum.range.is_open
    assert len(erratum.evidence) > 80  # a reviewed entry explains itself
    assert erratum.schema.endswith(".xsd")
    assert registry.bundle.schemas_dir is not None
    assert (registry.bundle.schemas_dir / erratum.schema).is_file()


def test_ids_are_unique() -> None:
    ids = [e.id for e in errata.ERRATA]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("erratum", errata.ERRATA, ids=lambda e: e.id)
def test_entry_replaces_one_declaration_range(
    erratum: errata.Erratum, registry: SchemaRegistry
) -> None:
    found = [
        d
        for _, d in registry.index.local
        if d.owner == erratum.owner and d.name == erratum.name and d.kind == erratum.kind
    ]
    assert len(found) == 1
    assert found[0].range == erratum.range
    assert found[0].file == erratum.schema


def test_errata_only_touch_their_own_declarations(
    monkeypatch: pytest.MonkeyPatch, registry: SchemaRegistry
) -> None:
    monkeypatch.setattr(schemas, "ERRATA", ())
    plain = schemas.SchemaIndex(registry.bundle)
    assert plain.errata_applied == []
    touched = {(e.owner, e.name) for e in errata.ERRATA}
    for version in KNOWN_VERSIONS:
        with_errata = {(d.owner, d.name, d.locator) for _, d in registry.index.excluded_at(version)}
        without = {(d.owner, d.name, d.locator) for _, d in plain.excluded_at(version)}
        assert {(o, n) for o, n, _ in with_errata ^ without} <= touched, version


def test_session_erratum_effect_is_limited_to_old_versions(registry: SchemaRegistry) -> None:
    erratum = next(e for e in errata.ERRATA if e.id == "session-authorized-locations")
    for version in KNOWN_VERSIONS:
        excluded = {(d.owner, d.name) for _, d in registry.index.excluded_at(version)}
        assert ((erratum.owner, erratum.name) in excluded) is (version < V("29.0")), version
