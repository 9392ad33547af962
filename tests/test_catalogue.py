"""The packaged example catalogue: it loads, covers every area and version, and every
request body is schema-valid at every version its example applies to."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from lxml import etree

from conformance import examples
from conformance.examples import AREAS, SUITE_VERSIONS, Example
from conformance.schemas import SchemaRegistry
from conformance.validation import is_valid, iter_errors

#: What each placeholder becomes when a body is checked without a cloud.
DUMMY = {
    "name": "vcdc-test-abc123",
    "href": "https://vcd.example.invalid/api/x/00000000-0000-0000-0000-000000000001",
    "attr-name": "vcdc-test",
    "secret": "Vc-not-a-secret#9a",
    "run": "test",
    "version": "5.5",
    "org-name": "acme",
    "user-name": "alice",
}


def _filled(body: str) -> bytes:
    return examples._PLACEHOLDER.sub(lambda m: DUMMY[m.group(1)], body).encode("utf-8")


@pytest.fixture(scope="module")
def catalogue() -> tuple[Example, ...]:
    return examples.load()


def test_ids_are_unique_and_named_after_their_area(catalogue: tuple[Example, ...]) -> None:
    counts = Counter(ex.id for ex in catalogue)
    assert [i for i, n in counts.items() if n > 1] == []
    for ex in catalogue:
        assert re.fullmatch(rf"{ex.area}\.[a-z0-9][a-z0-9.-]*", ex.id), ex.id


def test_coverage(catalogue: tuple[Example, ...]) -> None:
    assert len(catalogue) >= 150
    per_area = Counter(ex.area for ex in catalogue)
    assert [a for a in AREAS if not per_area[a]] == []
    per_version = {str(v): sum(ex.applies_to(v) for ex in catalogue) for v in SUITE_VERSIONS}
    assert all(per_version.values()), per_version


def test_every_example_has_a_title_section_and_documented_outcome(
    catalogue: tuple[Example, ...],
) -> None:
    for ex in catalogue:
        assert ex.title and ex.section and ex.chapter, ex.id
        assert ex.expect.status, ex.id
        if ex.expect.root is not None and 200 <= ex.expect.status[0] < 300:
            assert ex.expect.media_type, f"{ex.id}: an answer with a body names its media type"


def test_creating_examples_clean_up(catalogue: tuple[Example, ...]) -> None:
    """A POST whose answer is a new object (201) registers it for removal."""
    for ex in catalogue:
        if ex.request.method == "POST" and 201 in ex.expect.status:
            assert ex.expect.created, f"{ex.id} creates an object but does not remove it"


def test_bodies_are_valid_at_every_applicable_version(
    catalogue: tuple[Example, ...], registry: SchemaRegistry
) -> None:
    failures = []
    for ex in catalogue:
        if ex.request.body is None or ex.request.invalid_body:
            continue
        root = etree.fromstring(_filled(ex.request.body))
        for version in ex.versions:
            if not is_valid(root, version, registry):
                first = next(iter(iter_errors(root, version, registry)), None)
                failures.append(f"{ex.id} @ {version}: {first}")
    assert failures == []


def test_deliberately_invalid_bodies_really_are(
    catalogue: tuple[Example, ...], registry: SchemaRegistry
) -> None:
    broken = [ex for ex in catalogue if ex.request.invalid_body]
    assert broken, "the catalogue documents at least one refusal of a bad body"
    for ex in broken:
        try:
            root = etree.fromstring(_filled(ex.request.body or ""))
        except etree.XMLSyntaxError:
            continue  # malformed: refused before validation
        for version in ex.versions:
            assert not is_valid(root, version, registry), f"{ex.id} @ {version} is valid"


def test_a_body_names_its_content_type(catalogue: tuple[Example, ...]) -> None:
    for ex in catalogue:
        if ex.request.body is not None:
            assert ex.request.content_type, ex.id
            assert ex.request.method in ("POST", "PUT"), ex.id
