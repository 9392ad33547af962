"""schema.valid and schema.version: XSD validity at the negotiated API version."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

from .. import validation
from ..mediatypes import VERSIONS_NS
from ..payload import Payload
from ..schemas import Declaration, SchemaIndex
from ..versions import ApiVersion
from ..violations import Violation, error
from .registry import Context, register

#: ``GET /api/versions`` answers before any negotiation and lists every version in
#: the newest shape: it is judged against the published schema, whatever was asked.
UNVERSIONED_ROOTS = frozenset({f"{{{VERSIONS_NS}}}SupportedVersions"})


def judged_version(payload: Payload) -> ApiVersion | None:
    """The version a payload is judged at (None: the schema as published)."""
    root = payload.root
    if root is not None and root.tag in UNVERSIONED_ROOTS:
        return None
    return payload.version


def _cached(payload: Payload, context: Context) -> list[validation.SchemaError]:
    cache = payload.__dict__.setdefault("_schema_errors", {})
    version = judged_version(payload)
    key = str(version)
    if key not in cache:
        assert payload.root is not None  # guarded by needs_tree
        cache[key] = list(validation.iter_errors(payload.root, version, context.registry))
    result: list[validation.SchemaError] = cache[key]
    return result


@register("schema.valid", "Valid against the official XSDs as they stood at the API version")
def schema_valid(payload: Payload, context: Context) -> Iterator[Violation]:
    for err in _cached(payload, context):
        if not err.is_version_error:
            location = f" [{err.schema_location}]" if err.schema_location else ""
            yield error("schema.valid", f"{err.message}{location}", err.line, err.path)


@register(
    "schema.version",
    "No element, attribute or type newer than the API version, or removed before it",
)
def schema_version(payload: Payload, context: Context) -> Iterator[Violation]:
    version = judged_version(payload)
    if version is None:
        return
    for err in _cached(payload, context):
        if err.is_version_error:
            when = err.version_range.describe() if err.version_range else ""
            yield error(
                "schema.version",
                f"{err.message} (at API {version}; {when})".replace("; )", ")"),
                err.line,
                err.path,
            )
    yield from _global_versions(payload.root, version, context)


def _global_versions(
    root: etree._Element | None, version: ApiVersion, context: Context
) -> Iterator[Violation]:
    """Elements whose global declaration or type did not exist at ``version``."""
    if root is None:
        return
    missing = _missing_at(context.registry.index, version)
    if not missing:
        return
    for node in root.iter(etree.Element):
        item = missing.get(node.tag)
        if item is not None:
            yield error(
                "schema.version",
                f"{etree.QName(node).localname} ({item.kind} {item.name}) is "
                f"{item.range.describe()}; not part of API {version}",
                node.sourceline,
                validation.readable_path(node),
            )


@lru_cache(maxsize=64)
def _missing_at(index: SchemaIndex, version: ApiVersion) -> dict[str, Declaration]:
    """Element tag -> its global declaration, else its type's, when that is out of range.

    Worked out once per version, so that each payload costs one lookup per element.
    """
    missing: dict[str, Declaration] = {}
    for tag in set(index.global_ranges) | set(index.element_types):
        decl = index.global_range(tag)
        type_qname = index.element_types.get(tag)
        type_decl = index.global_range(type_qname) if type_qname else None
        for item in (decl, type_decl):
            if item is not None and not item.range.contains(version):
                missing[tag] = item
                break
    return missing
