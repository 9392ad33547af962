"""schemas: the index read once, and one compiled schema per API version (pruned, cached)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

from conformance import bundle, schemas
from conformance.errata import ERRATA, Erratum
from conformance.errors import SchemaBundleError
from conformance.mediatypes import EXTENSION_NS, VCLOUD_NS, MediaType, qname
from conformance.schemas import SchemaRegistry, get_registry
from conformance.versions import KNOWN_VERSIONS, NEWEST, V, VersionRange

from . import minibundle

SESSION_NS = f'xmlns="{VCLOUD_NS}"'


def session(
    *, user_id: bool = False, location_id: bool = False, locations: bool = False
) -> etree._Element:
    attrs = ' userId="urn:vcloud:user:1"' if user_id else ""
    attrs += ' locationId="site-a@org"' if location_id else ""
    inner = "<AuthorizedLocations/>" if locations else ""
    return etree.fromstring(
        f'<Session {SESSION_NS} user="u" org="o" href="https://x.example/api/session/"{attrs}>'
        f'<Link rel="remove" href="https://x.example/api/session/"/>{inner}</Session>'
    )


# -- caching -----------------------------------------------------------------------


def test_registry_is_one_per_process(registry: SchemaRegistry) -> None:
    assert get_registry() is registry
    assert get_registry(registry.bundle.root) is registry


@pytest.mark.parametrize("version", [None, *KNOWN_VERSIONS], ids=str)
def test_schema_object_is_cached(registry: SchemaRegistry, version: V | None) -> None:
    assert registry.schema(version) is registry.schema(version)


def test_versions_with_the_same_pruning_share_one_schema(registry: SchemaRegistry) -> None:
    modern = {id(registry.schema(V(f"{n}.0"))) for n in range(30, 37)}
    assert len(modern) == 1  # no local mark is newer than 30.0: one schema for all
    assert registry.schema(V("1.5")) is not registry.schema(V("5.5"))
    assert registry.schema(V("5.1")) is not registry.schema(V("5.5"))
    assert registry.schema(None) is not registry.schema(V("1.5"))


def test_compiles_once_per_pruned_set_even_under_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = SchemaRegistry(bundle.load(minibundle.write_fetched(tmp_path / "mini")))
    calls: list[int] = []
    real = SchemaRegistry._compile

    def counting(self: SchemaRegistry, excluded: list) -> etree.XMLSchema:  # type: ignore[type-arg]
        calls.append(len(excluded))
        return real(self, excluded)

    monkeypatch.setattr(SchemaRegistry, "_compile", counting)
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(reg.schema, [V("5.5")] * 32))
    assert len({id(s) for s in got}) == 1
    assert calls == [1]  # Colour (MULTI_SITE) pruned, shiny (5.5) kept
    reg.schema(V("5.6"))  # same pruned set as 5.5
    reg.schema(V("29.0"))  # nothing pruned, but a different key from None
    reg.schema(None)
    assert calls == [1, 0]  # 29.0 and None both prune nothing: one compile for both


# -- version pruning -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "valid"),
    [("1.5", False), ("5.1", False), ("5.5", True), ("29.0", False)],
    ids=["1.5", "5.1", "5.5", "29.0-needs-locations"],
)
def test_session_user_id_by_version(registry: SchemaRegistry, version: str, valid: bool) -> None:
    assert registry.schema(V(version)).validate(session(user_id=True)) is valid


def test_session_user_id_declaration(registry: SchemaRegistry) -> None:
    decl = next(
        d for _, d in registry.index.local if d.owner == "SessionType" and d.name == "userId"
    )
    assert decl.kind == "attribute"
    assert decl.range == VersionRange(V("5.5"))
    assert decl.file == "vcloud/session.xsd"
    assert decl.where.startswith("vcloud/session.xsd:")


def test_feature_name_markers_resolve(registry: SchemaRegistry) -> None:
    decl = next(
        d for _, d in registry.index.local if d.owner == "SessionType" and d.name == "locationId"
    )
    assert decl.range == VersionRange(V("30.0"))  # JWT_LOGIN_SUPPORT
    assert not registry.schema(V("29.0")).validate(session(location_id=True, locations=True))
    assert registry.schema(V("30.0")).validate(session(location_id=True, locations=True))


def test_feature_name_marker_in_a_bundle_of_our_own(tmp_path: Path) -> None:
    reg = SchemaRegistry(bundle.load(minibundle.write_fetched(tmp_path / "mini")))
    coloured = etree.fromstring(minibundle.widget(colour=True))
    assert not reg.schema(V("5.5")).validate(coloured)  # MULTI_SITE = 29.0
    assert reg.schema(V("29.0")).validate(coloured)
    shiny = etree.fromstring(minibundle.widget(shiny=True))
    assert not reg.schema(V("5.1")).validate(shiny)
    assert reg.schema(V("5.5")).validate(shiny)


def test_removed_in_prunes_after_the_version(registry: SchemaRegistry) -> None:
    vdc = etree.fromstring(
        f'<Vdc {SESSION_NS} name="v" href="https://x.example/api/vdc/1">'
        "<StorageCapacity><Units>MB</Units><Limit>10</Limit></StorageCapacity></Vdc>"
    )
    assert registry.schema(V("1.5")).validate(vdc)
    assert not registry.schema(V("5.1")).validate(vdc)  # removed-in 5.1


def test_excluded_at_none_is_newest(registry: SchemaRegistry) -> None:
    assert registry.index.excluded_at(None) == registry.index.excluded_at(NEWEST)
    assert len(registry.index.excluded_at(V("1.5"))) > len(registry.index.excluded_at(V("5.5")))


def test_empty_choice_is_dropped_not_left_unsatisfiable(tmp_path: Path) -> None:
    root = tmp_path / "choice"
    root.mkdir()
    (root / "main.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:meta="http://www.vmware.com/vcloud/meta" targetNamespace="urn:example:c" '
        'xmlns="urn:example:c" elementFormDefault="qualified">'
        '<xs:element name="Box"><xs:complexType><xs:sequence>'
        '<xs:element name="Id" type="xs:int"/>'
        "<xs:choice>"
        '<xs:element name="A" type="xs:string"><xs:annotation><xs:appinfo>'
        '<meta:version added-in="5.5"/></xs:appinfo></xs:annotation></xs:element>'
        '<xs:element name="B" type="xs:string"><xs:annotation><xs:appinfo>'
        '<meta:version added-in="5.5"/></xs:appinfo></xs:annotation></xs:element>'
        "</xs:choice></xs:sequence></xs:complexType></xs:element></xs:schema>",
        encoding="utf-8",
    )
    (root / "bundle.json").write_text('{"entries": ["main.xsd"]}', encoding="utf-8")
    reg = SchemaRegistry(bundle.load(root))
    bare = etree.fromstring('<Box xmlns="urn:example:c"><Id>1</Id></Box>')
    with_a = etree.fromstring('<Box xmlns="urn:example:c"><Id>1</Id><A>x</A></Box>')
    assert reg.schema(V("1.5")).validate(bare)
    assert not reg.schema(V("1.5")).validate(with_a)
    assert reg.schema(V("5.5")).validate(with_a)
    assert not reg.schema(V("5.5")).validate(bare)


# -- errata -----------------------------------------------------------------------------


def test_erratum_applied(registry: SchemaRegistry) -> None:
    assert [e.id for e in registry.index.errata_applied] == [e.id for e in ERRATA]
    decl = next(
        d
        for _, d in registry.index.local
        if d.owner == "SessionType" and d.name == "AuthorizedLocations"
    )
    assert decl.range == VersionRange(V("29.0"))


@pytest.mark.parametrize(
    ("version", "valid"),
    [(None, False), ("1.5", True), ("5.5", True), ("29.0", False), ("36.0", False)],
    ids=["published", "1.5", "5.5", "29.0", "36.0"],
)
def test_session_without_locations(
    registry: SchemaRegistry, version: str | None, valid: bool
) -> None:
    schema = registry.schema(V(version) if version else None)
    assert schema.validate(session()) is valid


def test_session_with_locations_from_29(registry: SchemaRegistry) -> None:
    assert registry.schema(V("29.0")).validate(session(locations=True))
    assert not registry.schema(V("5.5")).validate(session(locations=True))


def test_stale_erratum_raises(monkeypatch: pytest.MonkeyPatch, registry: SchemaRegistry) -> None:
    stale = Erratum(
        id="no-such-thing",
        schema="vcloud/session.xsd",
        owner="SessionType",
        kind="element",
        name="DoesNotExist",
        range=VersionRange(V("5.1")),
        evidence="test",
    )
    monkeypatch.setattr(schemas, "ERRATA", (stale,))
    with pytest.raises(SchemaBundleError, match=r"'no-such-thing' matched 0 declarations"):
        schemas.SchemaIndex(registry.bundle)


def test_stale_erratum_only_warns_for_a_fetched_bundle(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="conformance.schemas"):
        index = schemas.SchemaIndex(bundle.load(minibundle.write_fetched(tmp_path / "mini")))
    assert index.errata_applied == []
    assert any("matched 0 declarations" in r.getMessage() for r in caplog.records)


# -- media types and index ------------------------------------------------------------


def test_media_type_map_size(registry: SchemaRegistry) -> None:
    mt = registry.media_types
    assert len(mt) >= 297  # 297 annotated types, plus documented extras
    assert len(mt.all()) == len(mt)


def test_task_media_type_type_root(registry: SchemaRegistry) -> None:
    mt = registry.media_types
    task, task_type, task_el = (
        "application/vnd.vmware.vcloud.task",
        qname(VCLOUD_NS, "TaskType"),
        qname(VCLOUD_NS, "Task"),
    )
    assert mt.types_for(f"{task}+xml") == {task_type}
    assert mt.roots_for(f"{task}+xml") == {task_el}
    assert mt.media_types_for_type(task_type) == {task}
    assert mt.media_types_for_root(task_el) == {task}
    assert registry.index.element_types[task_el] == task_type


@pytest.mark.parametrize(
    "value",
    [
        "application/vnd.vmware.vcloud.task+xml",
        "application/vnd.vmware.vcloud.task+json",
        "application/vnd.vmware.vcloud.vApp+json;version=36.0",
        "application/vnd.vmware.admin.blockingTask+xml",
        "application/vnd.vmware.vcloud.query.records+json",
        "application/vnd.vmware.vcloud.vapp+xml",  # base compared case-insensitively
    ],
    ids=["task-xml", "task-json", "vapp-json-version", "blocking-task", "query-json", "lower"],
)
def test_known_media_types(registry: SchemaRegistry, value: str) -> None:
    assert registry.media_types.is_known(value)
    assert registry.media_types.is_known(MediaType.parse(value))


def test_blocking_task_in_extension_namespace(registry: SchemaRegistry) -> None:
    assert registry.media_types.roots_for("application/vnd.vmware.admin.blockingTask+xml") == {
        qname(EXTENSION_NS, "BlockingTask")
    }


def test_index_locations_and_globals(registry: SchemaRegistry) -> None:
    index = registry.index
    assert index.unresolved == []
    assert index.type_locations[qname(VCLOUD_NS, "TaskType")].startswith("vcloud/task.xsd:")
    snapshot = index.global_range(qname(VCLOUD_NS, "SnapshotSectionType"))
    assert snapshot is not None and snapshot.is_global and snapshot.kind == "type"
    assert snapshot.range == VersionRange(V("5.1"))
    task = index.global_range(qname(VCLOUD_NS, "TaskType"))  # since 0.9
    assert task is not None and task.range.contains(V("1.5"))
    assert index.global_range(qname(VCLOUD_NS, "NoSuchType")) is None


def test_unmapped_remote_import_is_refused(tmp_path: Path) -> None:
    root = minibundle.write_fetched(tmp_path / "mini", with_catalog=False)
    with pytest.raises(SchemaBundleError) as info:
        SchemaRegistry(bundle.load(root))
    assert minibundle.FOREIGN_URL in str(info.value)


def test_missing_schema_file_is_a_bundle_error(tmp_path: Path) -> None:
    root = minibundle.write_fetched(tmp_path / "mini")
    (root / "extra.xsd").unlink()
    with pytest.raises(SchemaBundleError, match="missing from the bundle"):
        SchemaRegistry(bundle.load(root))


def test_uncompilable_bundle_is_a_bundle_error(tmp_path: Path) -> None:
    root = minibundle.write_fetched(tmp_path / "mini")
    (root / "extra.xsd").write_text(
        minibundle.EXTRA.replace('base="xs:int"', 'base="NoSuchType"'), encoding="utf-8"
    )
    reg = SchemaRegistry(bundle.load(root))
    with pytest.raises(SchemaBundleError, match="does not compile"):
        reg.schema(None)
