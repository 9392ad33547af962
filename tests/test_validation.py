"""validation: is_valid / validate / iter_errors, with located and explained errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from conformance import validation
from conformance.errors import SchemaValidationError
from conformance.mediatypes import VCLOUD_NS
from conformance.schemas import SchemaRegistry
from conformance.versions import V, VersionRange

PAYLOADS = Path(__file__).parent / "fixtures" / "payloads"
LOCATION = re.compile(r"^[\w/]+\.xsd:\d+$")


def fixture(rel: str, *replacements: tuple[str, str]) -> etree._Element:
    text = (PAYLOADS / rel).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return etree.fromstring(text.encode())


def bad_task() -> etree._Element:
    """A 1.5 Task with a wrong Progress type and an undeclared attribute on Owner."""
    return fixture(
        "1.5/task-running.xml",
        ("<Progress>40</Progress>", "<Progress>forty</Progress>"),
        ("<Owner type=", '<Owner bogus="1" type='),
    )


# -- the trio ---------------------------------------------------------------------------


def test_trio_agree_on_valid_input(registry: SchemaRegistry) -> None:
    task = fixture("1.5/task-running.xml")
    assert validation.is_valid(task, V("1.5"), registry)
    assert validation.is_valid(task.getroottree(), V("1.5"), registry)  # trees too
    assert list(validation.iter_errors(task, V("1.5"), registry)) == []
    validation.validate(task, V("1.5"), registry)  # does not raise


def test_trio_agree_on_invalid_input(registry: SchemaRegistry) -> None:
    task = bad_task()
    assert not validation.is_valid(task, V("5.5"), registry)
    errors = list(validation.iter_errors(task, V("5.5"), registry))
    assert len(errors) == 2
    with pytest.raises(SchemaValidationError) as info:
        validation.validate(task, V("5.5"), registry)
    assert info.value.error == errors[0]
    assert str(info.value) == str(errors[0])


def test_default_registry_is_used(registry: SchemaRegistry) -> None:
    assert validation.is_valid(fixture("1.5/org.xml"))
    assert list(validation.iter_errors(bad_task()))


def test_schema_validation_error_is_a_value_error(registry: SchemaRegistry) -> None:
    with pytest.raises(ValueError):
        validation.validate(bad_task(), None, registry)


# -- error details ------------------------------------------------------------------------


def test_errors_carry_line_path_reason_and_location(registry: SchemaRegistry) -> None:
    errors = {e.path: e for e in validation.iter_errors(bad_task(), V("5.5"), registry)}
    assert set(errors) == {"/Task/Owner", "/Task/Progress"}
    progress = errors["/Task/Progress"]
    assert progress.line == 7
    assert "'forty' is not a valid value" in progress.message
    assert progress.reason.startswith("SCHEMAV_")
    assert progress.schema_location is not None
    assert progress.schema_location.startswith("vcloud/task.xsd:")
    assert LOCATION.match(progress.schema_location)
    assert not progress.is_version_error and progress.version_range is None
    assert progress.api_version == V("5.5")
    owner = errors["/Task/Owner"]
    assert owner.line == 4
    assert "bogus" in owner.message
    assert "{" not in owner.message  # vCloud namespaces are shortened
    assert str(progress) == (
        f"line 7, /Task/Progress: {progress.message} (schema: {progress.schema_location})"
    )


def test_local_element_location_names_its_own_type(registry: SchemaRegistry) -> None:
    errors = {e.path: e for e in validation.iter_errors(bad_task(), V("5.5"), registry)}
    reference_type = registry.index.type_locations[f"{{{VCLOUD_NS}}}ReferenceType"]
    assert errors["/Task/Owner"].schema_location == reference_type


def test_version_error_carries_its_range(registry: SchemaRegistry) -> None:
    session = fixture("5.5/session.xml")
    (error,) = validation.iter_errors(session, V("1.5"), registry)
    assert error.is_version_error
    assert error.version_range == VersionRange(V("5.5"))
    assert error.api_version == V("1.5")
    assert error.path == "/Session"
    assert error.line == 2
    assert "userId" in error.message
    assert error.schema_location is not None and error.schema_location.startswith(
        "vcloud/session.xsd:"
    )


def test_removed_element_carries_removed_range(registry: SchemaRegistry) -> None:
    vdc = fixture("1.5/vdc.xml")
    errors = list(validation.iter_errors(vdc, V("5.1"), registry))
    assert [e.path for e in errors] == ["/Vdc/StorageCapacity"]
    assert errors[0].version_range == VersionRange(V("1.0"), V("5.1"))


def test_version_and_plain_errors_are_told_apart(registry: SchemaRegistry) -> None:
    session = fixture(
        "5.5/session.xml",
        ('<Link rel="remove"', '<Link rel="remove" extra="x"'),
    )
    errors = list(validation.iter_errors(session, V("1.5"), registry))
    kinds = sorted((e.path, e.is_version_error) for e in errors)
    assert kinds == [("/Session", True), ("/Session/Link[6]", False)]


def test_no_version_means_no_version_errors(registry: SchemaRegistry) -> None:
    errors = list(validation.iter_errors(bad_task(), None, registry))
    assert errors and not any(e.is_version_error for e in errors)


def test_newer_payload_is_valid_at_its_version_only(registry: SchemaRegistry) -> None:
    template = fixture("5.1/vapptemplate.xml")
    assert validation.is_valid(template, V("5.1"), registry)
    assert not validation.is_valid(template, V("1.5"), registry)
    errors = list(validation.iter_errors(template, V("1.5"), registry))
    assert errors and all(e.is_version_error for e in errors)
    assert {e.version_range for e in errors} == {VersionRange(V("5.1"))}


# -- readable paths ----------------------------------------------------------------------


def test_readable_path() -> None:
    root = etree.fromstring(
        f'<VApp xmlns="{VCLOUD_NS}" xmlns:ovf="urn:x"><Link/><Link/><Description/>'
        "<ovf:Section><ovf:Item/></ovf:Section></VApp>"
    )
    assert validation.readable_path(root) == "/VApp"
    assert validation.readable_path(root[1]) == "/VApp/Link[2]"
    assert validation.readable_path(root[2]) == "/VApp/Description"
    assert validation.readable_path(root[3][0]) == "/VApp/Section/Item"
