"""The schema registry: the whole vCloud API compiled with lxml, per API version.

One :class:`SchemaIndex` reads the bundle once (version marks, media types, type
locations). :meth:`SchemaRegistry.schema` derives the schema as it stood at a
given API version by removing the local elements and attributes whose
``added-in`` / ``since`` / ``removed-in`` marks exclude that version (errata
applied), and compiles it with libxml2. Versions that prune the same set share
one compiled schema; compiling happens once per process.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from . import bundle as bundle_mod
from .errata import ERRATA, Erratum
from .errors import SchemaBundleError
from .mediatypes import DOCUMENTED_EXTRA, MediaTypeMap, qname
from .safexml import parse_schema_file
from .versions import NEWEST, ApiVersion, VersionRange, resolve_marker

log = logging.getLogger(__name__)

XS_NS = "http://www.w3.org/2001/XMLSchema"
META_NS = "http://www.vmware.com/vcloud/meta"
_XS = f"{{{XS_NS}}}"
_META = f"{{{META_NS}}}"


@dataclass(frozen=True, slots=True)
class Declaration:
    """One element, attribute or type declaration that carries a version range."""

    kind: str  # "element", "attribute" or "type"
    name: str
    namespace: str
    owner: str | None
    file: str
    line: int
    range: VersionRange
    is_global: bool
    #: Child indexes from the document root to the node (stable across copies).
    locator: tuple[int, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _locator(node: etree._Element) -> tuple[int, ...]:
    steps: list[int] = []
    while (parent := node.getparent()) is not None:
        steps.append(parent.index(node))
        node = parent
    return tuple(reversed(steps))


def _follow(root: etree._Element, locator: tuple[int, ...]) -> etree._Element:
    node = root
    for step in locator:
        node = node[step]
    return node


def _range_of(annotation: etree._Element) -> VersionRange | None:
    added = removed = None
    for mark in annotation.iter(f"{_META}version"):
        if mark.get("added-in"):
            added = _marker(mark.get("added-in", ""))
        if mark.get("removed-in"):
            removed = _marker(mark.get("removed-in", ""))
    if added is None:
        for doc in annotation.iter(f"{_XS}documentation"):
            if doc.get("source") == "since" and doc.text:
                added = _marker(doc.text)
    if added is None and removed is None:
        return None
    return VersionRange(added, removed)


def _marker(text: str) -> ApiVersion:
    version = resolve_marker(text)
    if version is None:
        log.warning("unknown API version marker %r in schema; treated as %s", text, NEWEST)
        return NEWEST
    return version


def _target(annotation: etree._Element) -> etree._Element | None:
    """The declaration an annotation describes (anonymous types belong to their element)."""
    node = annotation.getparent()
    if node is None:
        return None
    if node.tag == f"{_XS}complexContent":
        node = node.getparent()
    if node is not None and node.tag in (f"{_XS}complexType", f"{_XS}simpleType"):
        parent = node.getparent()
        if parent is not None and parent.tag == f"{_XS}element":
            node = parent
    return node


def _owner(node: etree._Element) -> etree._Element:
    while (parent := node.getparent()) is not None and parent.tag != f"{_XS}schema":
        node = parent
    return node


class SchemaIndex:
    """Everything read from the bundle's XSDs, once."""

    def __init__(self, bundle: bundle_mod.SchemaBundle) -> None:
        self.bundle = bundle
        self.docs: dict[Path, etree._ElementTree] = {}
        self.namespaces: dict[Path, str] = {}
        self.local: list[tuple[Path, Declaration]] = []
        self.global_ranges: dict[str, Declaration] = {}
        self.element_types: dict[str, str] = {}
        self.type_locations: dict[str, str] = {}
        self.media_types = MediaTypeMap()
        self.unresolved: list[str] = []
        self.errata_applied: list[Erratum] = []
        self._load()
        self._index()
        self._apply_errata()
        self.media_types.link_roots(self.element_types)
        self.media_types.update_documented(DOCUMENTED_EXTRA.items())

    # -- loading -----------------------------------------------------------
    def resolve_location(self, location: str, base: Path) -> Path | None:
        if location in self.bundle.catalog:
            return self.bundle.catalog[location]
        parsed = urlparse(location)
        if parsed.scheme in ("http", "https"):
            return None
        if parsed.scheme == "file":
            return Path(unquote(parsed.path))
        return (base.parent / location).resolve()

    def _load(self) -> None:
        queue = [(path, ns) for ns, path in self.bundle.entries]
        while queue:
            path, namespace_hint = queue.pop()
            if path in self.docs:
                continue
            if not path.is_file():
                raise SchemaBundleError(f"schema file missing from the bundle: {path}")
            tree = parse_schema_file(str(path))
            self.docs[path] = tree
            root = tree.getroot()
            self.namespaces[path] = root.get("targetNamespace", namespace_hint)
            for ref in root.iter(f"{_XS}include", f"{_XS}import", f"{_XS}redefine"):
                location = ref.get("schemaLocation")
                if not location:
                    continue
                target = self.resolve_location(location, path)
                if target is None:
                    self.unresolved.append(location)
                    continue
                ns = ref.get("namespace", self.namespaces[path])
                queue.append((target, ns if ref.tag == f"{_XS}import" else self.namespaces[path]))

    # -- indexing ----------------------------------------------------------
    def _index(self) -> None:
        for path, tree in self.docs.items():
            namespace = self.namespaces[path]
            rel = self.bundle.relative(path)
            root = tree.getroot()
            for child in root:
                name = child.get("name")
                if not name:
                    continue
                if child.tag in (f"{_XS}complexType", f"{_XS}simpleType"):
                    self.type_locations[qname(namespace, name)] = f"{rel}:{child.sourceline}"
                elif child.tag == f"{_XS}element" and child.get("type"):
                    self.element_types[qname(namespace, name)] = self._resolve_qname(
                        child, child.get("type", "")
                    )
            for annotation in root.iter(f"{_XS}annotation"):
                for content_type in annotation.iter(f"{_META}content-type"):
                    owner = _owner(annotation)
                    if owner.get("name") and content_type.text:
                        self.media_types.add(
                            content_type.text.strip(), qname(namespace, owner.get("name", ""))
                        )
                version_range = _range_of(annotation)
                target = _target(annotation)
                if version_range is None or target is None:
                    continue
                self._record(path, rel, namespace, target, version_range)

    def _record(
        self, path: Path, rel: str, namespace: str, target: etree._Element, rng: VersionRange
    ) -> Declaration | None:
        tag = etree.QName(target).localname
        if tag not in ("element", "attribute", "complexType", "simpleType"):
            return None
        is_global = target.getparent() is not None and target.getparent().tag == f"{_XS}schema"
        owner = _owner(target)
        decl = Declaration(
            kind="type" if tag.endswith("Type") else tag,
            name=target.get("name") or target.get("ref") or "",
            namespace=namespace,
            owner=owner.get("name"),
            file=rel,
            line=target.sourceline or 0,
            range=rng,
            is_global=is_global,
            locator=_locator(target),
        )
        if is_global:
            self.global_ranges[qname(namespace, decl.name)] = decl
        else:
            self.local.append((path, decl))
        return decl

    @staticmethod
    def _resolve_qname(node: etree._Element, value: str) -> str:
        prefix, _, local = value.rpartition(":")
        namespace = node.nsmap.get(prefix or None, "")
        return qname(namespace or "", local)

    def _apply_errata(self) -> None:
        for erratum in ERRATA:
            matches = []
            for path, tree in self.docs.items():
                rel = self.bundle.relative(path)
                if not (rel == erratum.schema or rel.endswith("/" + erratum.schema.split("/")[-1])):
                    continue
                for owner in tree.getroot():
                    if owner.get("name") != erratum.owner:
                        continue
                    for node in owner.iter(f"{_XS}{erratum.kind}"):
                        if node.get("name") == erratum.name:
                            matches.append((path, rel, node))
            if len(matches) != 1:
                message = (
                    f"erratum {erratum.id!r} matched {len(matches)} declarations "
                    f"({erratum.owner}/{erratum.name} in {erratum.schema}); expected exactly 1"
                )
                if self.bundle.kind == "official":
                    raise SchemaBundleError(message)
                log.warning(message)
                continue
            path, rel, node = matches[0]
            self.local = [
                (p, d) for p, d in self.local if not (p == path and d.locator == _locator(node))
            ]
            self._record(path, rel, self.namespaces[path], node, erratum.range)
            self.errata_applied.append(erratum)

    # -- per version ---------------------------------------------------------
    def excluded_at(self, version: ApiVersion | None) -> list[tuple[Path, Declaration]]:
        """Local declarations that did not exist at ``version`` (None = newest)."""
        if version is None:
            version = NEWEST
        return [(p, d) for p, d in self.local if not d.range.contains(version)]

    def global_range(self, element_or_type: str) -> Declaration | None:
        return self.global_ranges.get(element_or_type)


class _BundleResolver(etree.Resolver):
    """Serves pruned copies from memory and catalog entries from disk; nothing remote."""

    def __init__(self, index: SchemaIndex, overrides: dict[Path, bytes]) -> None:
        super().__init__()
        self.index = index
        self.overrides = overrides

    def resolve(self, url: str | None, pubid: str | None, context: object) -> object:
        if not url:
            return None
        if url in self.index.bundle.catalog:
            return self.resolve_filename(str(self.index.bundle.catalog[url]), context)
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ftp"):
            raise SchemaBundleError(
                f"schema import {url} is not in the bundle's XML catalog; "
                "the registry never goes to the network"
            )
        path = Path(unquote(parsed.path) if parsed.scheme == "file" else url).resolve()
        if path in self.overrides:
            return self.resolve_string(self.overrides[path], context, base_url=str(path))
        return None


class SchemaRegistry:
    """Compiled schemas per API version, plus the index they come from."""

    def __init__(self, bundle: bundle_mod.SchemaBundle) -> None:
        self.bundle = bundle
        self.index = SchemaIndex(bundle)
        if self.index.unresolved:
            missing = ", ".join(sorted(set(self.index.unresolved)))
            raise SchemaBundleError(
                f"the bundle at {bundle.root} imports schemas its XML catalog does not map "
                f"to local files: {missing}"
            )
        self._compiled: dict[frozenset[tuple[Path, tuple[int, ...]]], etree.XMLSchema] = {}
        #: version -> compiled schema: the hot path skips recomputing the pruned set.
        self._by_version: dict[ApiVersion | None, etree.XMLSchema] = {}
        self._lock = threading.Lock()

    @property
    def media_types(self) -> MediaTypeMap:
        return self.index.media_types

    def schema(self, version: ApiVersion | None = None) -> etree.XMLSchema:
        """The compiled schema as it stood at ``version`` (None: the bundle as published)."""
        cached = self._by_version.get(version)
        if cached is not None:
            return cached
        excluded = self.index.excluded_at(version) if version is not None else []
        key = frozenset((p, d.locator) for p, d in excluded)
        schema = self._compiled.get(key)
        if schema is None:
            with self._lock:
                schema = self._compiled.get(key)
                if schema is None:
                    schema = self._compile(excluded)
                    self._compiled[key] = schema
        self._by_version[version] = schema
        return schema

    def _compile(self, excluded: list[tuple[Path, Declaration]]) -> etree.XMLSchema:
        overrides: dict[Path, bytes] = {}
        by_file: dict[Path, list[Declaration]] = {}
        for path, decl in excluded:
            decls = by_file.setdefault(path, [])
            if all(d.locator != decl.locator for d in decls):
                decls.append(decl)
        for path, decls in by_file.items():
            root = copy.deepcopy(self.index.docs[path].getroot())
            # Deepest first, later siblings first, so earlier locators stay valid.
            for decl in sorted(decls, key=lambda d: d.locator, reverse=True):
                node = _follow(root, decl.locator)
                parent = node.getparent()
                if parent is not None:
                    parent.remove(node)
                    _drop_empty_choices(parent)
            overrides[path] = etree.tostring(root)
        wrapper = etree.Element(f"{_XS}schema", nsmap={"xs": XS_NS})
        for namespace, path in self.bundle.entries:
            etree.SubElement(wrapper, f"{_XS}import", namespace=namespace, schemaLocation=str(path))
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        parser.resolvers.add(_BundleResolver(self.index, overrides))
        try:
            doc = etree.fromstring(
                etree.tostring(wrapper), parser, base_url=str(self.bundle.root) + os.sep
            )
            return etree.XMLSchema(doc)
        except etree.XMLSchemaParseError as exc:
            raise SchemaBundleError(
                f"the schema bundle at {self.bundle.root} does not compile: {exc}"
            ) from None


def _drop_empty_choices(node: etree._Element | None) -> None:
    """A choice left without particles would accept nothing; remove it instead."""
    while node is not None and node.tag == f"{_XS}choice":
        if any(child.tag != f"{_XS}annotation" for child in node):
            return
        parent = node.getparent()
        if parent is None:
            return
        parent.remove(node)
        node = parent


_REGISTRIES: dict[Path, SchemaRegistry] = {}
#: (--schemas, $VCD_CONFORMANCE_SCHEMAS, cwd) -> registry, so that callers that do
#: not pass a registry (``validation.is_valid(tree, v)``) do not re-locate and
#: re-read the bundle on every call.
_LOCATED: dict[tuple[str | None, str | None, str], SchemaRegistry] = {}
_REGISTRY_LOCK = threading.Lock()


def get_registry(schemas: str | os.PathLike[str] | None = None) -> SchemaRegistry:
    """The process-wide registry for a bundle (located as :func:`bundle.locate` says)."""
    key = (os.fspath(schemas) if schemas else None, os.environ.get(bundle_mod.ENV_VAR), os.getcwd())
    registry = _LOCATED.get(key)
    if registry is not None:
        return registry
    found = bundle_mod.locate(schemas)
    with _REGISTRY_LOCK:
        registry = _REGISTRIES.get(found.root)
        if registry is None:
            registry = SchemaRegistry(found)
            _REGISTRIES[found.root] = registry
        _LOCATED[key] = registry
        return registry
