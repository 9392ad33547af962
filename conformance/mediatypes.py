"""Media types: parsing Content-Type values and the media type <-> XSD type map."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

#: Generic XML media types that say nothing about the root element. A cloud may
#: answer ``GET /api/versions`` with one of these; they never mismatch.
GENERIC_XML = frozenset({"application/xml", "text/xml", "application/*+xml", "application/*"})

VCLOUD_NS = "http://www.vmware.com/vcloud/v1.5"
EXTENSION_NS = "http://www.vmware.com/vcloud/extension/v1.5"
VERSIONS_NS = "http://www.vmware.com/vcloud/versions"
OVF_NS = "http://schemas.dmtf.org/ovf/envelope/1"


def qname(namespace: str, local: str) -> str:
    return f"{{{namespace}}}{local}"


#: Media types the Programming Guide documents whose XSD types carry no
#: ``meta:content-type`` annotation (OVF sections, query results, versions).
#: Each maps to the root elements a response of that type has.
DOCUMENTED_EXTRA: dict[str, tuple[str, ...]] = {
    "application/vnd.vmware.vcloud.query.records": (qname(VCLOUD_NS, "QueryResultRecords"),),
    "application/vnd.vmware.vcloud.query.idrecords": (qname(VCLOUD_NS, "QueryResultRecords"),),
    "application/vnd.vmware.vcloud.query.queryList": (qname(VCLOUD_NS, "QueryList"),),
    "application/vnd.vmware.vcloud.virtualHardwareSection": (
        qname(OVF_NS, "VirtualHardwareSection"),
    ),
    "application/vnd.vmware.vcloud.operatingSystemSection": (
        qname(OVF_NS, "OperatingSystemSection"),
    ),
    "application/vnd.vmware.vcloud.startupSection": (qname(OVF_NS, "StartupSection"),),
    "application/vnd.vmware.vcloud.rasdItem": (qname(VCLOUD_NS, "Item"),),
}


@dataclass(frozen=True, slots=True)
class MediaType:
    """A parsed media type: ``base`` without suffix and parameters."""

    base: str
    suffix: str | None = None
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, value: str) -> MediaType:
        head, *raw_params = value.split(";")
        full = head.strip()
        params = []
        for raw in raw_params:
            key, _, val = raw.partition("=")
            if key.strip():
                params.append((key.strip().lower(), val.strip().strip('"')))
        type_part, _, subtype = full.partition("/")
        suffix = None
        if "+" in subtype:
            subtype, _, suffix = subtype.rpartition("+")
            suffix = suffix.lower()
        return cls(f"{type_part}/{subtype}" if subtype else type_part, suffix, tuple(params))

    @property
    def full(self) -> str:
        """Base plus suffix, no parameters: ``application/vnd.vmware.vcloud.task+xml``."""
        return f"{self.base}+{self.suffix}" if self.suffix else self.base

    @property
    def is_generic_xml(self) -> bool:
        return self.full.lower() in GENERIC_XML

    @property
    def is_json(self) -> bool:
        return self.suffix == "json" or self.base == "application/json"

    def param(self, name: str) -> str | None:
        for key, val in self.params:
            if key == name:
                return val
        return None


@dataclass
class MediaTypeMap:
    """Media type <-> XSD type <-> root element, built from schema annotations."""

    #: lower-cased base media type -> (canonical base, XSD type QNames)
    _types: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    #: XSD type QName -> canonical base media types
    _by_type: dict[str, set[str]] = field(default_factory=dict)
    #: lower-cased base media type -> root element QNames
    _roots: dict[str, set[str]] = field(default_factory=dict)
    #: root element QName -> canonical base media types
    _by_root: dict[str, set[str]] = field(default_factory=dict)

    def add(self, media_type: str, type_qname: str) -> None:
        key = media_type.lower()
        canonical, types = self._types.setdefault(key, (media_type, set()))
        types.add(type_qname)
        self._by_type.setdefault(type_qname, set()).add(canonical)

    def add_root(self, media_type: str, element_qname: str) -> None:
        key = media_type.lower()
        canonical, _ = self._types.setdefault(key, (media_type, set()))
        self._roots.setdefault(key, set()).add(element_qname)
        self._by_root.setdefault(element_qname, set()).add(canonical)

    def link_roots(self, element_types: dict[str, str]) -> None:
        """Derive root elements from global element declarations (element -> type)."""
        for element, type_qname in element_types.items():
            for media_type in self._by_type.get(type_qname, ()):
                self.add_root(media_type, element)

    def is_known(self, media_type: str | MediaType) -> bool:
        mt = MediaType.parse(media_type) if isinstance(media_type, str) else media_type
        if mt.suffix not in (None, "xml", "json"):
            return False
        return mt.base.lower() in self._types

    def canonical(self, media_type: str | MediaType) -> str | None:
        mt = MediaType.parse(media_type) if isinstance(media_type, str) else media_type
        entry = self._types.get(mt.base.lower())
        return entry[0] if entry else None

    def types_for(self, media_type: str | MediaType) -> frozenset[str]:
        mt = MediaType.parse(media_type) if isinstance(media_type, str) else media_type
        entry = self._types.get(mt.base.lower())
        return frozenset(entry[1]) if entry else frozenset()

    def roots_for(self, media_type: str | MediaType) -> frozenset[str]:
        mt = MediaType.parse(media_type) if isinstance(media_type, str) else media_type
        return frozenset(self._roots.get(mt.base.lower(), ()))

    def media_types_for_root(self, element_qname: str) -> frozenset[str]:
        return frozenset(self._by_root.get(element_qname, ()))

    def media_types_for_type(self, type_qname: str) -> frozenset[str]:
        return frozenset(self._by_type.get(type_qname, ()))

    def all(self) -> list[str]:
        return sorted(entry[0] for entry in self._types.values())

    def __len__(self) -> int:
        return len(self._types)

    def update_documented(self, extra: Iterable[tuple[str, Iterable[str]]]) -> None:
        for media_type, roots in extra:
            for root in roots:
                self.add_root(media_type, root)
