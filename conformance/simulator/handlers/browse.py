"""Browsing: OrgList, Org, Vdc, Catalog, CatalogItem, VAppTemplate, Media, Network."""

from __future__ import annotations

from typing import TypeVar

from lxml import etree
from starlette.responses import Response

from ...mediatypes import VCLOUD_NS
from .. import paths
from ..cloud import CloudError
from ..http import Call, xml
from ..render import entities, vapps

T = TypeVar("T")


def find(table: dict[str, T], id_: str, what: str) -> T:
    try:
        return table[id_]
    except KeyError:
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No {what} with id {id_}.") from None


def take_description(target: object, doc: etree._Element) -> None:
    """An edit body's Description replaces the object's (absent: unchanged)."""
    description = doc.findtext(f"{{{VCLOUD_NS}}}Description")
    if description is not None:
        target.description = description  # type: ignore[attr-defined]


def visible(call: Call, org_id: str, what: str) -> None:
    """Tenants see only their own org's objects; System sees all."""
    if call.view.is_system or call.view.org_id == org_id:
        return
    raise CloudError(
        403,
        "ACCESS_TO_RESOURCE_IS_FORBIDDEN",
        f"Either you need some or all of the following rights to view this {what}, "
        "or the target entity is invalid.",
    )


def org_list(call: Call) -> Response:
    inv = call.cloud.inv
    orgs = [o for o in inv.orgs.values() if call.view.is_system or o.id == call.view.org_id]
    return xml(call, entities.org_list(call.view, orgs))


def org(call: Call) -> Response:
    found = find(call.cloud.inv.orgs, call.params["id"], "organization")
    visible(call, found.id, "organization")
    return xml(call, entities.org(call.view, found))


def vdc(call: Call) -> Response:
    found = find(call.cloud.inv.vdcs, call.params["id"], "VDC")
    visible(call, found.org_id, "VDC")
    return xml(call, entities.vdc(call.view, found))


def catalog(call: Call) -> Response:
    found = find(call.cloud.inv.catalogs, call.params["id"], "catalog")
    visible(call, found.org_id, "catalog")
    return xml(call, entities.catalog(call.view, found))


def catalog_item(call: Call) -> Response:
    item = find(call.cloud.inv.catalog_items, call.params["id"], "catalog item")
    visible(call, call.cloud.inv.catalogs[item.catalog_id].org_id, "catalog item")
    return xml(call, entities.catalog_item(call.view, item))


def template(call: Call) -> Response:
    tmpl = find(call.cloud.inv.templates, call.params["id"], "vApp template")
    visible(call, call.cloud.inv.vdcs[tmpl.vdc_id].org_id, "vApp template")
    return xml(call, vapps.template(call.view, tmpl))


def template_owner(call: Call) -> Response:
    tmpl = find(call.cloud.inv.templates, call.params["id"], "vApp template")
    visible(call, call.cloud.inv.vdcs[tmpl.vdc_id].org_id, "vApp template")
    href = call.view.url(paths.template(tmpl.id)) + "/owner"
    return xml(call, vapps.owner(call.view, href, vapps.template_owner(call.view), editable=False))


def template_vm(call: Call) -> Response:
    vm_id = call.params["id"]
    for tmpl in call.cloud.inv.templates.values():
        if vm_id in tmpl.vm_ids:
            visible(call, call.cloud.inv.vdcs[tmpl.vdc_id].org_id, "VM")
            spec = tmpl.vms[tmpl.vm_ids.index(vm_id)]
            return xml(call, vapps.template_vm(call.view, tmpl, spec, vm_id))
    raise CloudError(404, "RESOURCE_NOT_FOUND", f"No template VM with id {vm_id}.")


def media(call: Call) -> Response:
    item = find(call.cloud.inv.media, call.params["id"], "media")
    visible(call, call.cloud.inv.vdcs[item.vdc_id].org_id, "media")
    return xml(call, entities.media(call.view, item))


def network(call: Call) -> Response:
    net = find(call.cloud.inv.networks, call.params["id"], "network")
    visible(call, net.org_id, "network")
    return xml(call, entities.network(call.view, net))
