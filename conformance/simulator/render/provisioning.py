"""Provisioning representations: upload Files, the OVF descriptor of a template,
catalog access controls, and roles' rights."""

from __future__ import annotations

import uuid

from lxml import etree

from .. import paths
from ..model import Catalog, Role, Template
from .common import OVF, V, View, admin_mt, entity_attrs, link, mt, ref, text

OVF_NS = "http://schemas.dmtf.org/ovf/envelope/1"
_RIGHTS = uuid.UUID("6ba7b812-9dad-11d1-80b4-00c04fd430c8")


def transfer_url(view: View, kind: str, id_: str, name: str) -> str:
    """Where a file of an object is uploaded or downloaded (outside /api)."""
    return f"{view.base.rsplit('/api', 1)[0]}/transfer/{kind}-{id_}/{name}"


def upload_files(view: View, kind: str, id_: str, name: str, size: int) -> etree._Element:
    """A Files list with one file still to upload (bytesTransferred 0)."""
    files = V.Files()
    item = V.File({"name": name, "size": str(size), "bytesTransferred": "0"})
    item.append(link("upload:default", transfer_url(view, kind, id_, name)))
    files.append(item)
    return files


def ovf_descriptor(tmpl: Template) -> etree._Element:
    """A minimal OVF envelope for a template's download (rel=ovf / download:default)."""
    envelope = OVF.Envelope()
    envelope.append(OVF.References())
    collection = OVF.VirtualSystemCollection({f"{{{OVF_NS}}}id": tmpl.name})
    collection.append(OVF.Info(f"The virtual systems of {tmpl.name}"))
    for spec in tmpl.vms:
        system = OVF.VirtualSystem({f"{{{OVF_NS}}}id": spec.name})
        system.append(OVF.Info(f"The virtual machine {spec.name}"))
        collection.append(system)
    envelope.append(collection)
    return envelope


def control_access(catalog: Catalog) -> etree._Element:
    """ControlAccessParamsType is not a resource: no href or type attributes."""
    params = V.ControlAccessParams()
    params.append(text("IsSharedToEveryone", bool(catalog.everyone_access)))
    if catalog.everyone_access:
        params.append(text("EveryoneAccessLevel", catalog.everyone_access))
    elif catalog.access_settings:
        settings = V.AccessSettings()
        for href, media_type, level in catalog.access_settings:
            setting = V.AccessSetting()
            setting.append(ref("Subject", href, media_type or None))
            setting.append(text("AccessLevel", level))
            settings.append(setting)
        params.append(settings)
    return params


def right_id(name: str) -> str:
    """Rights have stable ids derived from their names."""
    return str(uuid.uuid5(_RIGHTS, name))


def all_rights(view: View) -> dict[str, str]:
    """id -> name of every right some role grants."""
    out: dict[str, str] = {}
    for role_obj in view.cloud.inv.roles.values():
        for name in role_obj.rights:
            out[right_id(name)] = name
    return out


def right_reference(view: View, name: str) -> etree._Element:
    return ref("RightReference", view.url(paths.right(right_id(name))), admin_mt("right"), name)


def right(view: View, id_: str, name: str) -> etree._Element:
    href = view.url(paths.right(id_))
    root = V.Right(entity_attrs(view, name, "right", id_, href, admin_mt("right")))
    root.append(text("Description", name))
    root.append(text("Category", name.split(":", 1)[0].strip()))
    return root


def role_rights(view: View, role_obj: Role) -> etree._Element:
    rights = V.RightReferences()
    for name in role_obj.rights:
        rights.append(right_reference(view, name))
    return rights


def catalog_links(view: View, href: str) -> list[etree._Element]:
    """A catalog's access-control links (the POST and the read)."""
    return [
        link("controlAccess", f"{href}/action/controlAccess", mt("controlAccess")),
        link("down", f"{href}/controlAccess/", mt("controlAccess")),
    ]
