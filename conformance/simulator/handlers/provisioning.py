"""Provisioning: vApp templates and media (upload, copy, change, delete, download),
catalog items (add, change, remove, copy, move) and catalog access control."""

from __future__ import annotations

import copy

from lxml import etree
from starlette.responses import Response

from ...mediatypes import VCLOUD_NS
from .. import operations as ops
from .. import paths
from ..cloud import CloudError
from ..http import Call, xml
from ..model import Catalog, CatalogItem, Media, Task, Template, new_id
from ..render import entities
from ..render import provisioning as render
from ..render import tasks as render_tasks
from ..render import vapps as render_vapps
from ..render.common import V, mt
from .browse import find, take_description, visible
from .vapps import id_from_href, task_response

_V = f"{{{VCLOUD_NS}}}"
COPY_SINCE = "5.5"


def _user(call: Call) -> str:
    assert call.session is not None
    return call.session.user_id


def _start(
    call: Call, kind: str, obj_id: str, name: str, org_id: str, operation: str, verb: str
) -> Task:
    call.cloud.ensure_not_busy(obj_id, name)
    return call.cloud.engine.start(
        org_id=org_id,
        user_id=_user(call),
        operation_name=operation,
        operation=f"{verb} {name}({obj_id})",
        owner_kind=kind,
        owner_id=obj_id,
        owner_name=name,
        weight=0.5,
    )


def _with_task(call: Call, body: etree._Element, task: Task) -> etree._Element:
    """Make sure a creation answer embeds the Task building the object."""
    if body.find(f"{_V}Tasks") is None:
        container = V.Tasks()
        container.append(render_tasks.task(call.view, task))
        before = len(body.findall(f"{_V}Link")) + len(body.findall(f"{_V}Description"))
        body.insert(before, container)
    return body


def _vdc(call: Call):  # type: ignore[no-untyped-def]
    vdc = find(call.cloud.inv.vdcs, call.params["id"], "VDC")
    visible(call, vdc.org_id, "VDC")
    return vdc


def _catalog(call: Call) -> Catalog:
    cat = find(call.cloud.inv.catalogs, call.params["id"], "catalog")
    visible(call, cat.org_id, "catalog")
    return cat


def _template(call: Call) -> Template:
    tmpl = find(call.cloud.inv.templates, call.params["id"], "vApp template")
    visible(call, call.cloud.inv.vdcs[tmpl.vdc_id].org_id, "vApp template")
    return tmpl


def _media(call: Call) -> Media:
    item = find(call.cloud.inv.media, call.params["id"], "media")
    visible(call, call.cloud.inv.vdcs[item.vdc_id].org_id, "media")
    return item


def _org_of_template(call: Call, tmpl: Template) -> str:
    return call.cloud.inv.vdcs[tmpl.vdc_id].org_id


def _unique(call: Call, names: list[str], name: str, what: str) -> None:
    if name in names:
        raise CloudError(400, "DUPLICATE_NAME", f"A {what} named {name} already exists.")


def _new_template(
    call: Call, vdc_id: str, catalog_id: str, name: str, description: str, **more: object
) -> Template:
    _unique(call, [i.name for i in call.cloud.inv.items_of(catalog_id)], name, "catalog item")
    tmpl = Template(new_id(), vdc_id, catalog_id, name, description, **more)  # type: ignore[arg-type]
    call.cloud.inv.templates[tmpl.id] = tmpl
    item = CatalogItem(new_id(), catalog_id, name, "vAppTemplate", tmpl.id, description)
    call.cloud.inv.catalog_items[item.id] = item
    return tmpl


def _first_catalog(call: Call, org_id: str) -> str:
    catalogs = call.cloud.inv.catalogs_of(org_id)
    if not catalogs:
        raise CloudError(400, "BAD_REQUEST", "The organization has no catalog for the template.")
    return catalogs[0].id


# -- vApp templates ---------------------------------------------------------------------------


def clone_template(call: Call) -> Response:
    vdc = _vdc(call)
    doc = call.doc("CloneVAppTemplateParams")
    source_el = doc.find(f"{_V}Source")
    source = find(
        call.cloud.inv.templates,
        id_from_href(source_el.get("href") if source_el is not None else None, "vApp template"),
        "vApp template",
    )
    visible(call, _org_of_template(call, source), "vApp template")
    if source.status != 8:
        raise CloudError(400, "BAD_REQUEST", f"vApp template {source.name} is not ready.")
    tmpl = _new_template(
        call,
        vdc.id,
        source.catalog_id if source.vdc_id == vdc.id else _first_catalog(call, vdc.org_id),
        doc.get("name") or f"{source.name}-copy",
        doc.findtext(f"{_V}Description", ""),
        eula=source.eula,
        vms=copy.deepcopy(source.vms),
        vm_ids=[new_id() for _ in source.vms],
    )
    task = _start(
        call, "vAppTemplate", tmpl.id, tmpl.name, vdc.org_id, "vdcCopyTemplate", "Copying"
    )
    if (doc.findtext(f"{_V}IsSourceDelete") or "false").strip() == "true":
        _remove_template(call, source)
    return xml(call, _with_task(call, render_vapps.template(call.view, tmpl), task), status=201)


def upload_template(call: Call) -> Response:
    """uploadVAppTemplate: a template (status 0) waiting for its OVF descriptor."""
    vdc = _vdc(call)
    doc = call.doc("UploadVAppTemplateParams")
    tmpl = _new_template(
        call,
        vdc.id,
        _first_catalog(call, vdc.org_id),
        doc.get("name", "template"),
        doc.findtext(f"{_V}Description", ""),
        status=0,
        upload_pending=True,
    )
    return xml(call, render_vapps.template(call.view, tmpl), status=201)


def _remove_template(call: Call, tmpl: Template) -> None:
    call.cloud.inv.templates.pop(tmpl.id, None)
    for item in [i for i in call.cloud.inv.catalog_items.values() if i.entity_id == tmpl.id]:
        del call.cloud.inv.catalog_items[item.id]


def template(call: Call) -> Response:
    """PUT (name and description) or DELETE a vApp template; both answer a Task."""
    tmpl = _template(call)
    org_id = _org_of_template(call, tmpl)
    if call.request.method == "DELETE":
        task = _start(
            call, "vAppTemplate", tmpl.id, tmpl.name, org_id, "vdcDeleteTemplate", "Deleting"
        )
        _remove_template(call, tmpl)
        return task_response(call, task)
    doc = call.doc("VAppTemplate")
    task = _start(call, "vAppTemplate", tmpl.id, tmpl.name, org_id, "vdcUpdateTemplate", "Updating")
    tmpl.name = doc.get("name", tmpl.name)
    take_description(tmpl, doc)
    return task_response(call, task)


def template_download(call: Call) -> Response:
    """enableDownload (a Task) and disableDownload (204) of a vApp template."""
    tmpl = _template(call)
    if call.params["action"] == "enableDownload":
        task = _start(
            call,
            "vAppTemplate",
            tmpl.id,
            tmpl.name,
            _org_of_template(call, tmpl),
            "vdcEnableDownload",
            "Enabling download of",
        )
        tmpl.download_enabled = True
        return task_response(call, task)
    if call.params["action"] == "disableDownload":
        tmpl.download_enabled = False
        return Response(status_code=204)
    raise CloudError(404, "RESOURCE_NOT_FOUND", f"No template action {call.params['action']}.")


def template_ovf(call: Call) -> Response:
    """The template's OVF descriptor (rel=ovf, and download:default once enabled)."""
    tmpl = _template(call)
    body = etree.tostring(render.ovf_descriptor(tmpl), xml_declaration=True, encoding="UTF-8")
    return Response(body, headers={"Content-Type": "text/xml"})


def transfer(call: Call) -> Response:
    """GET a file of a template enabled for download (the descriptor only)."""
    kind, _, ident = call.params["object"].partition("-")
    tmpl = call.cloud.inv.templates.get(ident) if kind == "vappTemplate" else None
    if tmpl is None or not tmpl.download_enabled or call.params["name"] != "descriptor.ovf":
        raise CloudError(404, "RESOURCE_NOT_FOUND", "Nothing to download at this URL.")
    visible(call, _org_of_template(call, tmpl), "vApp template")
    body = etree.tostring(render.ovf_descriptor(tmpl), xml_declaration=True, encoding="UTF-8")
    return Response(body, headers={"Content-Type": "text/xml"})


# -- media ---------------------------------------------------------------------------------------


def _new_media(call: Call, vdc_id: str, doc: etree._Element, status: int) -> Media:
    size = doc.get("size", "0")
    item = Media(
        new_id(),
        vdc_id,
        None,
        doc.get("name", "media"),
        image_type=doc.get("imageType", "iso"),
        size=int(size) if size.isdigit() else 0,
        status=status,
        description=doc.findtext(f"{_V}Description", ""),
    )
    call.cloud.inv.media[item.id] = item
    return item


def upload_media(call: Call) -> Response:
    """POST a Media to a VDC: the image (status 0) waits for its file."""
    vdc = _vdc(call)
    doc = call.doc("Media")
    item = _new_media(call, vdc.id, doc, status=0)
    return xml(call, entities.media(call.view, item), status=201)


def clone_media(call: Call) -> Response:
    vdc = _vdc(call)
    doc = call.doc("CloneMediaParams")
    source_el = doc.find(f"{_V}Source")
    source = find(
        call.cloud.inv.media,
        id_from_href(source_el.get("href") if source_el is not None else None, "media"),
        "media",
    )
    visible(call, call.cloud.inv.vdcs[source.vdc_id].org_id, "media")
    item = Media(
        new_id(),
        vdc.id,
        None,
        doc.get("name") or f"{source.name}-copy",
        image_type=source.image_type,
        size=source.size,
        description=doc.findtext(f"{_V}Description", ""),
    )
    call.cloud.inv.media[item.id] = item
    task = _start(call, "media", item.id, item.name, vdc.org_id, "vdcCopyMedia", "Copying")
    if (doc.findtext(f"{_V}IsSourceDelete") or "false").strip() == "true":
        call.cloud.inv.media.pop(source.id, None)
    return xml(call, _with_task(call, entities.media(call.view, item), task), status=201)


def media(call: Call) -> Response:
    """PUT (name and description) or DELETE a media image; both answer a Task."""
    item = _media(call)
    org_id = call.cloud.inv.vdcs[item.vdc_id].org_id
    if call.request.method == "DELETE":
        task = _start(call, "media", item.id, item.name, org_id, "vdcDeleteMedia", "Deleting")
        del call.cloud.inv.media[item.id]
        for ci in [i for i in call.cloud.inv.catalog_items.values() if i.entity_id == item.id]:
            del call.cloud.inv.catalog_items[ci.id]
        return task_response(call, task)
    doc = call.doc("Media")
    task = _start(call, "media", item.id, item.name, org_id, "vdcUpdateMedia", "Updating")
    item.name = doc.get("name", item.name)
    take_description(item, doc)
    return task_response(call, task)


def media_owner(call: Call) -> Response:
    item = _media(call)
    href = call.view.url(paths.media(item.id)) + "/owner"
    owner = render_vapps.template_owner(call.view)
    return xml(call, render_vapps.owner(call.view, href, owner, editable=False))


# -- catalogs and their items -----------------------------------------------------------------


def _item_entity(call: Call, doc: etree._Element) -> tuple[str, str]:
    entity = doc.find(f"{_V}Entity")
    href = entity.get("href", "") if entity is not None else ""
    ident = id_from_href(href, "entity")
    if ident in call.cloud.inv.templates:
        visible(call, _org_of_template(call, call.cloud.inv.templates[ident]), "vApp template")
        return "vAppTemplate", ident
    if ident in call.cloud.inv.media:
        visible(call, call.cloud.inv.vdcs[call.cloud.inv.media[ident].vdc_id].org_id, "media")
        return "media", ident
    raise CloudError(400, "BAD_REQUEST", f"Entity {href} is not a vApp template or media.")


def add_item(call: Call) -> Response:
    cat = _catalog(call)
    doc = call.doc("CatalogItem")
    kind, entity_id = _item_entity(call, doc)
    name = doc.get("name", "item")
    _unique(call, [i.name for i in call.cloud.inv.items_of(cat.id)], name, "catalog item")
    item = CatalogItem(
        new_id(), cat.id, name, kind, entity_id, doc.findtext(f"{_V}Description", "")
    )
    call.cloud.inv.catalog_items[item.id] = item
    return xml(call, entities.catalog_item(call.view, item), status=201)


def upload_to_catalog(call: Call) -> Response:
    """5.5: upload a template (UploadVAppTemplateParams) or media (Media) into a catalog."""
    cat = _catalog(call)
    doc = call.doc("UploadVAppTemplateParams", "Media")
    vdc = next(iter(call.cloud.inv.vdcs_of(cat.org_id)), None)
    if vdc is None:
        raise CloudError(400, "BAD_REQUEST", "The organization has no VDC to hold the upload.")
    if etree.QName(doc).localname == "Media":
        if not call.view.at_least(COPY_SINCE):
            raise CloudError(404, "RESOURCE_NOT_FOUND", "Upload media to a VDC before API 5.5.")
        media_obj = _new_media(call, vdc.id, doc, status=0)
        media_obj.catalog_id = cat.id
        item = CatalogItem(
            new_id(), cat.id, media_obj.name, "media", media_obj.id, media_obj.description
        )
        call.cloud.inv.catalog_items[item.id] = item
    else:
        if not call.view.at_least(COPY_SINCE):
            raise CloudError(404, "RESOURCE_NOT_FOUND", "Upload templates to a VDC before 5.5.")
        tmpl = _new_template(
            call,
            vdc.id,
            cat.id,
            doc.get("name", "template"),
            doc.findtext(f"{_V}Description", ""),
            status=0,
            upload_pending=True,
        )
        item = next(i for i in call.cloud.inv.catalog_items.values() if i.entity_id == tmpl.id)
    return xml(call, entities.catalog_item(call.view, item), status=201)


def _item(call: Call) -> CatalogItem:
    item = find(call.cloud.inv.catalog_items, call.params["id"], "catalog item")
    visible(call, call.cloud.inv.catalogs[item.catalog_id].org_id, "catalog item")
    return item


def catalog_item(call: Call) -> Response:
    """PUT (200 CatalogItem) or DELETE (204) a catalog item."""
    item = _item(call)
    inv = call.cloud.inv
    if call.request.method == "DELETE":
        del inv.catalog_items[item.id]
        still_listed = any(i.entity_id == item.entity_id for i in inv.catalog_items.values())
        if not still_listed:  # the item was the entity's only listing: the entity goes too
            inv.templates.pop(item.entity_id, None)
            inv.media.pop(item.entity_id, None)
        return Response(status_code=204)
    doc = call.doc("CatalogItem")
    item.name = doc.get("name", item.name)
    take_description(item, doc)
    return xml(call, entities.catalog_item(call.view, item))


def copy_or_move(call: Call) -> Response:
    """5.5: copy or move a catalog item into this catalog; a Task on the new/moved item."""
    if not call.view.at_least(COPY_SINCE):
        raise CloudError(404, "RESOURCE_NOT_FOUND", "Copy and move need API 5.5 or later.")
    target = _catalog(call)
    action = call.params["action"]
    doc = call.doc("CopyOrMoveCatalogItemParams")
    source_el = doc.find(f"{_V}Source")
    source = find(
        call.cloud.inv.catalog_items,
        id_from_href(source_el.get("href") if source_el is not None else None, "catalog item"),
        "catalog item",
    )
    visible(call, call.cloud.inv.catalogs[source.catalog_id].org_id, "catalog item")
    name = doc.get("name") or source.name
    names = [i.name for i in call.cloud.inv.items_of(target.id) if i.id != source.id]
    _unique(call, names, name, "catalog item")
    if action == "move":
        source.catalog_id, source.name = target.id, name
        item = source
        verb, operation = "Moving", "catalogMoveItem"
    else:
        entity_id = source.entity_id
        original = call.cloud.inv.templates.get(source.entity_id)
        if original is not None:
            duplicate = copy.deepcopy(original)
            duplicate.id, duplicate.catalog_id, duplicate.name = new_id(), target.id, name
            duplicate.vm_ids = [new_id() for _ in duplicate.vms]
            call.cloud.inv.templates[duplicate.id] = duplicate
            entity_id = duplicate.id
        item = CatalogItem(new_id(), target.id, name, source.entity_kind, entity_id)
        call.cloud.inv.catalog_items[item.id] = item
        verb, operation = "Copying", "catalogCopyItem"
    task = _start(call, "catalogItem", item.id, item.name, target.org_id, operation, verb)
    return task_response(call, task)


def catalog_action(call: Call) -> Response:
    """POST /catalog/{id}/action/{action}: upload, captureVApp, copy, move, controlAccess."""
    action = call.params["action"]
    if action == "upload":
        return upload_to_catalog(call)
    if action in ("copy", "move"):
        return copy_or_move(call)
    if action == "controlAccess":
        return catalog_access(call)
    raise CloudError(404, "RESOURCE_NOT_FOUND", f"No catalog action {action}.")


def catalog_access(call: Call) -> Response:
    """GET the access controls of a catalog, or POST new ones (echoed back)."""
    cat = _catalog(call)
    if call.request.method == "POST":
        doc = call.doc("ControlAccessParams")
        shared = (doc.findtext(f"{_V}IsSharedToEveryone") or "false").strip() == "true"
        level = (doc.findtext(f"{_V}EveryoneAccessLevel") or "ReadOnly").strip()
        cat.everyone_access = level if shared else ""
        cat.access_settings = [
            [
                setting.find(f"{_V}Subject").get("href", ""),
                setting.find(f"{_V}Subject").get("type", ""),
                (setting.findtext(f"{_V}AccessLevel") or "ReadOnly").strip(),
            ]
            for setting in doc.iterfind(f"{_V}AccessSettings/{_V}AccessSetting")
            if setting.find(f"{_V}Subject") is not None
        ]
    return xml(call, render.control_access(cat), media_type=mt("controlAccess"))


def instantiate_ovf(call: Call) -> Response:
    """5.5: a vApp (status 0) created from an OVF package still to upload."""
    if not call.view.at_least(COPY_SINCE):
        raise CloudError(404, "RESOURCE_NOT_FOUND", "instantiateOvf needs API 5.5 or later.")
    vdc = _vdc(call)
    doc = call.doc("InstantiateOvfParams")
    name = doc.get("name") or "vApp"
    vapp = ops.new_vapp(
        call.cloud, vdc.id, name, _user(call), doc.findtext(f"{_V}Description", ""), []
    )
    vapp.upload_pending = True
    return xml(call, render_vapps.vapp(call.view, vapp), status=201)
