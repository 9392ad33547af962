"""Object metadata: GET/POST the collection, GET/PUT/DELETE one entry (typed values)."""

from __future__ import annotations

from typing import Any

from lxml import etree
from starlette.responses import Response

from ...mediatypes import VCLOUD_NS
from ..cloud import CloudError
from ..http import Call, xml
from ..render.common import XSI_NS, V, link, mt, text
from .browse import find, visible
from .vapps import task_response

_V = f"{{{VCLOUD_NS}}}"
_XSI = f"{{{XSI_NS}}}type"
TYPED = (
    "MetadataStringValue",
    "MetadataNumberValue",
    "MetadataBooleanValue",
    "MetadataDateTimeValue",
)

#: URL kind -> (inventory table, org id of an object, task owner kind)
KINDS = {
    "org": ("orgs", lambda c, o: o.id, "org"),
    "vdc": ("vdcs", lambda c, o: o.org_id, "vdc"),
    "catalog": ("catalogs", lambda c, o: o.org_id, "catalog"),
    "catalogItem": (
        "catalog_items",
        lambda c, o: c.inv.catalogs[o.catalog_id].org_id,
        "catalogItem",
    ),
    "media": ("media", lambda c, o: c.inv.vdcs[o.vdc_id].org_id, "media"),
    "network": ("networks", lambda c, o: o.org_id, "network"),
    "vAppTemplate": ("templates", lambda c, o: c.inv.vdcs[o.vdc_id].org_id, "vAppTemplate"),
    "vApp": ("vapps", lambda c, o: o.org_id, "vApp"),
    "vm": ("vms", lambda c, o: c.inv.vapps[o.vapp_id].org_id, "vm"),
    "disk": ("disks", lambda c, o: o.org_id, "disk"),
}


def _target(call: Call) -> tuple[Any, str, str]:
    kind, ident = call.params["kind"], call.params["id"]
    for prefix, real_kind in (("vapp-", "vApp"), ("vm-", "vm"), ("vappTemplate-", "vAppTemplate")):
        if ident.startswith(prefix):
            kind, ident = real_kind, ident[len(prefix) :]
    call.params["kind"], call.params["id"] = kind, ident
    if kind not in KINDS:
        raise CloudError(
            404, "RESOURCE_NOT_FOUND", f"Objects of kind {kind} have no metadata here."
        )
    table, org_of, owner_kind = KINDS[kind]
    obj = find(getattr(call.cloud.inv, table), call.params["id"], kind)
    visible(call, org_of(call.cloud, obj), kind)
    return obj, owner_kind, call.request.url.path.split("/metadata")[0]


def _value_elements(parent: etree._Element, entry: dict[str, str]) -> None:
    if entry.get("domain"):
        parent.append(
            V.Domain(entry["domain"], {"visibility": entry.get("visibility", "READWRITE")})
        )


def _typed(entry: dict[str, str]) -> etree._Element:
    typed = V.TypedValue({_XSI: entry.get("type", "MetadataStringValue")})
    typed.append(text("Value", entry["value"]))
    return typed


def metadata(call: Call) -> Response:
    obj, owner_kind, base_path = _target(call)
    if call.request.method == "POST":
        doc = call.doc("Metadata")
        for entry in doc.iterfind(f"{_V}MetadataEntry"):
            key = entry.findtext(f"{_V}Key", "")
            obj.metadata[key] = _parse_value(entry)
        return task_response(call, _task(call, obj, owner_kind, "metadataUpdate"))
    href = call.view.url(base_path.split("/api/", 1)[1]) + "/metadata"
    root = V.Metadata({"href": href, "type": mt("metadata")})
    root.append(link("up", href.rsplit("/metadata", 1)[0], _owner_type(owner_kind)))
    root.append(link("add", href, mt("metadata")))
    for key, entry in sorted(obj.metadata.items()):
        item = V.MetadataEntry({"href": f"{href}/{key}", "type": mt("metadata.value")})
        item.append(link("edit", f"{href}/{key}", mt("metadata.value")))
        item.append(link("remove", f"{href}/{key}"))
        _value_elements(item, entry)
        item.append(text("Key", key))
        item.append(text("Value", entry["value"]))
        item.append(_typed(entry))
        root.append(item)
    return xml(call, root)


def _owner_type(kind: str) -> str:
    return {
        "org": mt("org"),
        "vdc": mt("vdc"),
        "catalog": mt("catalog"),
        "catalogItem": mt("catalogItem"),
        "media": mt("media"),
        "network": mt("orgVdcNetwork"),
        "vAppTemplate": mt("vAppTemplate"),
        "vApp": mt("vApp"),
        "vm": mt("vm"),
        "disk": mt("disk"),
    }[kind]


def _parse_value(node: etree._Element) -> dict[str, str]:
    typed = node.find(f"{_V}TypedValue")
    if typed is not None:
        kind = typed.get(_XSI, "MetadataStringValue").rpartition(":")[2]
        if kind not in TYPED:
            raise CloudError(400, "BAD_REQUEST", f"Unknown metadata value type {kind}.")
        value = typed.findtext(f"{_V}Value", "")
    else:
        kind, value = "MetadataStringValue", node.findtext(f"{_V}Value", "")
    entry = {"type": kind, "value": value}
    domain = node.find(f"{_V}Domain")
    if domain is not None and domain.text:
        entry["domain"] = domain.text
        entry["visibility"] = domain.get("visibility", "READWRITE")
    return entry


def _task(call: Call, obj: Any, owner_kind: str, operation: str):  # type: ignore[no-untyped-def]
    assert call.session is not None
    name = getattr(obj, "name", None) or obj.spec.name
    org_id = KINDS[call.params["kind"]][1](call.cloud, obj)
    return call.cloud.engine.start(
        org_id=org_id,
        user_id=call.session.user_id,
        operation_name=operation,
        operation=f"Updating metadata of {name}",
        owner_kind=owner_kind,
        owner_id=obj.id,
        owner_name=name,
        weight=0.25,
    )


def metadata_entry(call: Call) -> Response:
    obj, owner_kind, base_path = _target(call)
    key = call.params["key"]
    href = call.view.url(base_path.split("/api/", 1)[1]) + f"/metadata/{key}"
    if call.request.method == "PUT":
        doc = call.doc("MetadataValue")
        obj.metadata[key] = _parse_value(doc)
        return task_response(call, _task(call, obj, owner_kind, "metadataUpdate"))
    if key not in obj.metadata:
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No metadata entry {key}.")
    if call.request.method == "DELETE":
        del obj.metadata[key]
        return task_response(call, _task(call, obj, owner_kind, "metadataDelete"))
    entry = obj.metadata[key]
    root = V.MetadataValue({"href": href, "type": mt("metadata.value")})
    root.append(link("up", href.rsplit("/", 1)[0], mt("metadata")))
    root.append(link("edit", href, mt("metadata.value")))
    root.append(link("remove", href))
    _value_elements(root, entry)
    root.append(text("Value", entry["value"]))
    root.append(_typed(entry))
    return xml(call, root)
