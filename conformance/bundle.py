"""Finding the XSD bundle on disk and reading its XML catalog.

The project never ships VMware's schemas: it reads them from where the user
says (``--schemas`` / ``VCD_CONFORMANCE_SCHEMAS``), from ``./xsd/``, or from
``../shared/xsd``, in that order.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .errors import SchemaBundleError, SchemaBundleNotFoundError
from .mediatypes import VERSIONS_NS

ENV_VAR = "VCD_CONFORMANCE_SCHEMAS"
MANIFEST = "bundle.json"
_CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
_XS = "{http://www.w3.org/2001/XMLSchema}"

# Official layout (vmware/vcd-api-schemas), relative to the bundle root.
_DRIVER = Path("rest-api/1.5/schemas/master/driver.xsd")
_VERSIONS = Path("rest-api/schemas/versioning/versions.xsd")
_CATALOG = Path("rest-api/schemas/external/catalog.xml")
#: Folder the errata and media-type tables name schemas relative to.
_SCHEMAS_DIR = Path("rest-api/1.5/schemas")


@dataclass(frozen=True)
class SchemaBundle:
    """A compilable set of XSDs: entry schemas plus the catalog for remote imports."""

    root: Path
    #: (target namespace, file) pairs the compiled schema imports.
    entries: tuple[tuple[str, Path], ...]
    #: Remote URL (systemId) -> local file, from the XML catalog.
    catalog: dict[str, Path] = field(default_factory=dict)
    #: Folder that errata ``schema`` paths are relative to.
    schemas_dir: Path | None = None
    kind: str = "official"
    source: str | None = None

    def relative(self, path: Path) -> str:
        base = self.schemas_dir or self.root
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            try:
                return path.relative_to(self.root).as_posix()
            except ValueError:
                return path.as_posix()


def read_catalog(path: Path) -> dict[str, Path]:
    """``system``/``uri`` entries of an OASIS XML catalog, mapped to absolute paths."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    mapping: dict[str, Path] = {}
    for entry in tree.iter(f"{_CATALOG_NS}system", f"{_CATALOG_NS}uri"):
        key = entry.get("systemId") or entry.get("name")
        target = entry.get("uri")
        if key and target:
            mapping[key] = (path.parent / target).resolve()
    return mapping


def _target_namespace(path: Path) -> str:
    with path.open("rb") as handle:  # closed even though parsing stops at the root
        for _event, elem in etree.iterparse(handle, events=("start",), resolve_entities=False):
            return elem.get("targetNamespace", "")
    return ""


def _entry_points(path: Path) -> list[tuple[str, Path]]:
    """(namespace, file) to compile from ``path``.

    A schema without a targetNamespace that only gathers imports (the official
    ``master/driver.xsd``) stands for what it imports: importing it as such
    would import a no-namespace schema into the no-namespace wrapper, which
    libxml2 refuses.
    """
    namespace = _target_namespace(path)
    if namespace:
        return [(namespace, path)]
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    entries: list[tuple[str, Path]] = []
    for imp in tree.getroot().iter(f"{_XS}import"):
        location = imp.get("schemaLocation")
        if location:
            entries.append((imp.get("namespace", ""), (path.parent / location).resolve()))
    return entries or [(namespace, path)]


def _official(root: Path) -> SchemaBundle:
    entries = _entry_points(root / _DRIVER)
    versions = root / _VERSIONS
    if versions.is_file():
        entries.append((VERSIONS_NS, versions.resolve()))
    catalog_file = root / _CATALOG
    catalog = read_catalog(catalog_file) if catalog_file.is_file() else {}
    return SchemaBundle(
        root=root.resolve(),
        entries=tuple(entries),
        catalog=catalog,
        schemas_dir=(root / _SCHEMAS_DIR).resolve(),
        kind="official",
    )


def _fetched(root: Path, fallback_catalog: dict[str, Path]) -> SchemaBundle:
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    entries = []
    for rel in manifest.get("entries", []):
        entries.extend(_entry_points((root / rel).resolve()))
    if not entries:
        raise SchemaBundleError(f"{root / MANIFEST} lists no entry schemas")
    own_catalog = root / "catalog.xml"
    catalog = read_catalog(own_catalog) if own_catalog.is_file() else dict(fallback_catalog)
    # Errata name files as the official tree does below rest-api/1.5/schemas
    # (vcloud/..., admin/...): the deepest folder holding every entry schema.
    schemas_dir = Path(os.path.commonpath([path.parent for _, path in entries]))
    return SchemaBundle(
        root=root.resolve(),
        entries=tuple(entries),
        catalog=catalog,
        schemas_dir=schemas_dir,
        kind="fetched",
        source=manifest.get("source"),
    )


def is_bundle(path: Path) -> bool:
    return (path / _DRIVER).is_file() or (path / MANIFEST).is_file()


def candidates(explicit: str | os.PathLike[str] | None = None) -> list[Path]:
    """Where a bundle is looked for, in order."""
    places: list[Path] = []
    if explicit:
        places.append(Path(explicit))
    elif os.environ.get(ENV_VAR):
        places.append(Path(os.environ[ENV_VAR]))
    places.append(Path.cwd() / "xsd")
    places.append(Path.cwd().parent / "shared" / "xsd")
    # The checkout's own sibling, so running from another directory still works.
    places.append(Path(__file__).resolve().parent.parent.parent / "shared" / "xsd")
    unique: list[Path] = []
    for place in places:
        if place.resolve() not in [u.resolve() for u in unique]:
            unique.append(place)
    return unique


def locate(explicit: str | os.PathLike[str] | None = None) -> SchemaBundle:
    """Find and describe the bundle; :class:`SchemaBundleNotFoundError` names every place."""
    places = candidates(explicit)
    if explicit or os.environ.get(ENV_VAR):
        # An explicit choice is never silently replaced by a default.
        places = places[:1]
    for place in places:
        if is_bundle(place):
            return load(place)
    raise SchemaBundleNotFoundError([str(p.resolve()) for p in places])


def load(path: Path) -> SchemaBundle:
    if (path / _DRIVER).is_file():
        return _official(path)
    if (path / MANIFEST).is_file():
        # Foreign imports (DMTF, W3C) resolve through the official bundle's catalog,
        # wherever that bundle is configured (an explicit --schemas aside).
        fallback: dict[str, Path] = {}
        for place in candidates():
            if (place / _DRIVER).is_file() and (place / _CATALOG).is_file():
                fallback = read_catalog(place / _CATALOG)
                break
        return _fetched(path, fallback)
    raise SchemaBundleNotFoundError([str(path.resolve())])
