"""What every representation needs: namespaces, media types, links, references."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lxml import etree
from lxml.builder import ElementMaker

from ...mediatypes import EXTENSION_NS, OVF_NS, VCLOUD_NS, VERSIONS_NS
from ...versions import ApiVersion

if TYPE_CHECKING:
    from ..cloud import Cloud

RASD_NS = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
VSSD_NS = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"
VMW_NS = "http://www.vmware.com/schema/ovf"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

NSMAP = {
    None: VCLOUD_NS,
    "ovf": OVF_NS,
    "rasd": RASD_NS,
    "vssd": VSSD_NS,
    "vmw": VMW_NS,
    "vmext": EXTENSION_NS,
    "xsi": XSI_NS,
}

V = ElementMaker(namespace=VCLOUD_NS, nsmap={None: VCLOUD_NS})
OVF = ElementMaker(namespace=OVF_NS)
RASD = ElementMaker(namespace=RASD_NS)
EXT = ElementMaker(namespace=EXTENSION_NS, nsmap={"vmext": EXTENSION_NS, "vcloud": VCLOUD_NS})
VERS = ElementMaker(namespace=VERSIONS_NS, nsmap={None: VERSIONS_NS})


def mt(name: str, family: str = "vcloud") -> str:
    """``mt("vApp")`` -> ``application/vnd.vmware.vcloud.vApp+xml``."""
    return f"application/vnd.vmware.{family}.{name}+xml"


def admin_mt(name: str) -> str:
    return mt(name, "admin")


def iso(ts: float | None) -> str:
    if ts is None:
        ts = datetime.now(UTC).timestamp()
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class View:
    """One request's point of view: base URL, negotiated version, the cloud, the caller."""

    base: str  # e.g. http://127.0.0.1:8443/api
    version: ApiVersion
    cloud: Cloud
    user_id: str | None = None
    org_id: str | None = None
    is_system: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def faults(self):  # type: ignore[no-untyped-def]
        return self.cloud.faults

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def at_least(self, version: str) -> bool:
        return self.version >= ApiVersion.parse(version)


def link(
    rel: str, href: str, media_type: str | None = None, name: str | None = None
) -> etree._Element:
    attrs = {"rel": rel, "href": href}
    if media_type:
        attrs["type"] = media_type
    if name:
        attrs["name"] = name
    return V.Link(attrs)


def ref(
    tag: str,
    href: str,
    media_type: str | None,
    name: str | None = None,
    maker: ElementMaker = V,
    id_: str | None = None,
) -> etree._Element:
    attrs = {"href": href}
    if id_:
        attrs["id"] = id_
    if media_type:
        attrs["type"] = media_type
    if name is not None:
        attrs["name"] = name
    return getattr(maker, tag)(attrs)


def text(tag: str, value: object, maker: ElementMaker = V) -> etree._Element:
    if isinstance(value, bool):
        value = "true" if value else "false"
    return getattr(maker, tag)(str(value))


def urn(kind: str, id_: str) -> str:
    return f"urn:vcloud:{kind}:{id_}"


def entity_attrs(
    view: View, name: str, kind: str, id_: str, href: str, media_type: str, **more: object
) -> dict[str, str]:
    attrs = {"name": name, "id": urn(kind, id_), "href": href, "type": media_type}
    for key, value in more.items():
        if value is None:
            continue
        attrs[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return attrs
