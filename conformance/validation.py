"""XSD validation of one payload: ``iter_errors`` / ``validate`` / ``is_valid``.

``is_valid`` is the hot path: one libxml2 validation against the compiled,
version-scoped schema. ``iter_errors`` also explains each error: an error that
only exists at the requested version (the published schema accepts the node)
is a *version* error and names the declaration's version range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias

from lxml import etree

from .errors import SchemaValidationError
from .schemas import SchemaRegistry, get_registry
from .versions import ApiVersion, VersionRange

Source: TypeAlias = "etree._Element | etree._ElementTree"

_ELEMENT_RE = re.compile(r"^Element '(\{[^}]*\})?([^']+)'(?:, attribute '([^']+)')?")


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One schema violation, located in the payload and in the schema."""

    message: str
    line: int | None
    path: str
    reason: str
    #: ``file.xsd:line`` of the type that governs the offending element, if known.
    schema_location: str | None = None
    #: Set when the node is legal in some version but not in the one asked for.
    version_range: VersionRange | None = None
    api_version: ApiVersion | None = None

    @property
    def is_version_error(self) -> bool:
        return self.version_range is not None

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        schema = f" (schema: {self.schema_location})" if self.schema_location else ""
        return f"{where}{self.path}: {self.message}{schema}"


def is_valid(
    source: Source, api_version: ApiVersion | None = None, registry: SchemaRegistry | None = None
) -> bool:
    """True when ``source`` is valid against the schema at ``api_version``."""
    registry = registry or get_registry()
    return bool(registry.schema(api_version).validate(source))


def validate(
    source: Source, api_version: ApiVersion | None = None, registry: SchemaRegistry | None = None
) -> None:
    """Raise :class:`SchemaValidationError` carrying the first error, if any."""
    for error in iter_errors(source, api_version, registry):
        raise SchemaValidationError(error)


def iter_errors(
    source: Source, api_version: ApiVersion | None = None, registry: SchemaRegistry | None = None
) -> Iterator[SchemaError]:
    """Every schema error of ``source`` at ``api_version`` (None: the published bundle)."""
    registry = registry or get_registry()
    schema = registry.schema(api_version)
    if schema.validate(source):
        return
    entries = list(schema.error_log)
    published: set[tuple[int, str, str]] | None = None
    if api_version is not None:
        full = registry.schema(None)
        full.validate(source)
        published = {(e.line, e.path, e.type_name) for e in full.error_log}
    root = source.getroot() if isinstance(source, etree._ElementTree) else source
    for entry in entries:
        node = _node_at(root, entry.path)
        version_range = None
        if published is not None and (entry.line, entry.path, entry.type_name) not in published:
            version_range = _explain(registry, api_version, entry.message) or VersionRange()
        yield SchemaError(
            message=_tidy(entry.message),
            line=entry.line or None,
            path=readable_path(node) if node is not None else entry.path,
            reason=entry.type_name,
            schema_location=_schema_location(registry, node),
            version_range=version_range,
            api_version=api_version,
        )


def _explain(
    registry: SchemaRegistry, api_version: ApiVersion | None, message: str
) -> VersionRange | None:
    """The version range of the excluded declaration an error is about, if found."""
    match = _ELEMENT_RE.match(message)
    if not match:
        return None
    namespace = (match.group(1) or "{}")[1:-1]
    element, attribute = match.group(2), match.group(3)
    wanted_kind = "attribute" if attribute else "element"
    wanted_name = attribute or element
    expected = re.findall(r"\{([^}]*)\}(\w+)", message.partition("Expected is")[2])
    excluded = [decl for _path, decl in registry.index.excluded_at(api_version)]
    for decl in excluded:
        same_name = decl.kind == wanted_kind and decl.name == wanted_name
        if same_name and (wanted_kind == "attribute" or decl.namespace == namespace):
            return decl.range
    # A required child missing at this version: name the one the schema expected.
    for ns, name in expected:
        for decl in excluded:
            if decl.kind == "element" and decl.name == name and decl.namespace == ns:
                return decl.range
    return None


def _node_at(root: etree._Element, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        found = root.getroottree().xpath(path)
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


def readable_path(node: etree._Element) -> str:
    """``/Task/Owner`` style path with local names and 1-based indexes where ambiguous."""
    steps = []
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        steps.append(name)
        node = parent
    return "/" + "/".join(reversed(steps))


def _schema_location(registry: SchemaRegistry, node: etree._Element | None) -> str | None:
    """``file.xsd:line`` of the named type that governs ``node`` (or its nearest ancestor)."""
    from .typemodel import model_for  # imported late: errors are rare, the model costs ~25 ms

    model = model_for(registry.index)
    while node is not None:
        typedef = model.type_for(node)
        if typedef is not None and typedef.name:
            location = registry.index.type_locations.get(typedef.name)
            if location:
                return location
        node = node.getparent()
    return None


def _tidy(message: str) -> str:
    """Shorten ``{namespace}Local`` to ``Local`` for the vCloud namespaces."""
    return re.sub(r"\{http://www\.vmware\.com/vcloud/[^}]*\}", "", message).strip()
