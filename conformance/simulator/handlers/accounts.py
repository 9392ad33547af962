"""Administration beyond the basics: enable/disable organizations, groups, roles and
rights, and a catalog's administrative changes (properties, publish, owner)."""

from __future__ import annotations

from starlette.responses import Response

from ...mediatypes import VCLOUD_NS
from .. import paths
from ..cloud import CloudError
from ..http import Call, xml
from ..model import Group, Role, new_id
from ..render import admin as render_admin
from ..render import provisioning
from ..render import vapps as render_vapps
from ..render.common import V, View, admin_mt, entity_attrs, link, ref, text
from .admin import _require_system
from .browse import find, visible
from .vapps import id_from_href

_V = f"{{{VCLOUD_NS}}}"


# -- organizations ------------------------------------------------------------------------------


def org_action(call: Call) -> Response:
    """enable / disable an organization (204); a disabled one can be removed."""
    _require_system(call)
    org = find(call.cloud.inv.orgs, call.params["id"], "organization")
    action = call.params["action"]
    if action not in ("enable", "disable") or org.name == "System":
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No organization action {action}.")
    org.enabled = action == "enable"
    return Response(status_code=204)


# -- groups -------------------------------------------------------------------------------------


def _group_element(view: View, group: Group) -> object:
    href = view.url(paths.group(group.id))
    root = V.Group(entity_attrs(view, group.name, "group", group.id, href, admin_mt("group")))
    root.append(link("edit", href, admin_mt("group")))
    root.append(link("remove", href))
    if group.description:
        root.append(text("Description", group.description))
    root.append(text("NameInSource", group.name))
    root.append(V.UsersList())
    root.append(text("ProviderType", "INTEGRATED"))
    role = next((r for r in view.cloud.inv.roles.values() if r.name == group.role), None)
    if role is not None:
        root.append(ref("Role", view.url(paths.role(role.id)), admin_mt("role"), role.name))
    return root


def _role_name(call: Call, doc) -> str:  # type: ignore[no-untyped-def]
    role_el = doc.find(f"{_V}Role")
    if role_el is None:
        return "vApp User"
    role = find(call.cloud.inv.roles, id_from_href(role_el.get("href"), "role"), "role")
    return role.name


def create_group(call: Call) -> Response:
    """Import a group (from the organization's directory) into an organization."""
    org = find(call.cloud.inv.orgs, call.params["id"], "organization")
    visible(call, org.id, "organization")
    doc = call.doc("Group")
    name = doc.get("name", "")
    if any(g.org_id == org.id and g.name == name for g in call.cloud.inv.groups.values()):
        raise CloudError(400, "DUPLICATE_NAME", f"A group named {name} already exists.")
    group = Group(
        new_id(), org.id, name, _role_name(call, doc), doc.findtext(f"{_V}Description", "")
    )
    call.cloud.inv.groups[group.id] = group
    return xml(call, _group_element(call.view, group), status=201)


def group(call: Call) -> Response:
    group_obj = find(call.cloud.inv.groups, call.params["id"], "group")
    visible(call, group_obj.org_id, "group")
    if call.request.method == "DELETE":
        del call.cloud.inv.groups[group_obj.id]
        return Response(status_code=204)
    if call.request.method == "PUT":
        doc = call.doc("Group")
        group_obj.description = doc.findtext(f"{_V}Description", group_obj.description)
        if doc.find(f"{_V}Role") is not None:
            group_obj.role = _role_name(call, doc)
    return xml(call, _group_element(call.view, group_obj))


# -- roles and rights ---------------------------------------------------------------------------


def _rights(call: Call, doc) -> list[str]:  # type: ignore[no-untyped-def]
    known = provisioning.all_rights(call.view)
    names = []
    for right_ref in doc.iter(f"{_V}RightReference"):
        ident = id_from_href(right_ref.get("href"), "right")
        if ident not in known:
            raise CloudError(400, "BAD_REQUEST", f"No right at {right_ref.get('href')}.")
        names.append(known[ident])
    return names


def create_role(call: Call) -> Response:
    _require_system(call)
    doc = call.doc("Role")
    name = doc.get("name", "")
    if any(r.name == name for r in call.cloud.inv.roles.values()):
        raise CloudError(400, "DUPLICATE_NAME", f"A role named {name} already exists.")
    role_obj = Role(new_id(), name, doc.findtext(f"{_V}Description", ""), _rights(call, doc))
    call.cloud.inv.roles[role_obj.id] = role_obj
    return xml(call, render_admin.role(call.view, role_obj), status=201)


def role(call: Call) -> Response:
    role_obj = find(call.cloud.inv.roles, call.params["id"], "role")
    if call.request.method == "GET":
        return xml(call, render_admin.role(call.view, role_obj))
    _require_system(call)
    if call.request.method == "DELETE":
        in_use = any(u.role == role_obj.name for u in call.cloud.inv.users.values())
        if in_use:
            raise CloudError(400, "BAD_REQUEST", f"Role {role_obj.name} is assigned to users.")
        del call.cloud.inv.roles[role_obj.id]
        return Response(status_code=204)
    doc = call.doc("Role")
    role_obj.description = doc.findtext(f"{_V}Description", role_obj.description)
    if doc.find(f"{_V}RightReferences") is not None:
        role_obj.rights = _rights(call, doc)
    return xml(call, render_admin.role(call.view, role_obj))


def right(call: Call) -> Response:
    rights = provisioning.all_rights(call.view)
    ident = call.params["id"]
    if ident not in rights:
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No right with id {ident}.")
    return xml(call, provisioning.right(call.view, ident, rights[ident]))


# -- catalogs ------------------------------------------------------------------------------------


def _catalog(call: Call):  # type: ignore[no-untyped-def]
    cat = find(call.cloud.inv.catalogs, call.params["id"], "catalog")
    visible(call, cat.org_id, "catalog")
    return cat


def edit_catalog(call: Call) -> Response:
    """PUT an AdminCatalog: name and description (200, the catalog)."""
    cat = _catalog(call)
    doc = call.doc("AdminCatalog")
    name = doc.get("name", cat.name)
    if any(c.name == name and c.id != cat.id for c in call.cloud.inv.catalogs_of(cat.org_id)):
        raise CloudError(400, "DUPLICATE_NAME", f"A catalog named {name} already exists.")
    cat.name = name
    cat.description = doc.findtext(f"{_V}Description", cat.description)
    return xml(call, render_admin.admin_catalog(call.view, cat))


def publish_catalog(call: Call) -> Response:
    cat = _catalog(call)
    doc = call.doc("PublishCatalogParams")
    cat.published = (doc.findtext(f"{_V}IsPublished") or "false").strip() == "true"
    return Response(status_code=204)


def catalog_owner(call: Call) -> Response:
    cat = _catalog(call)
    href = call.view.url(paths.admin_catalog(cat.id)) + "/owner"
    if call.request.method == "PUT":
        doc = call.doc("Owner")
        user_el = doc.find(f"{_V}User")
        new_owner = find(
            call.cloud.inv.users,
            id_from_href(user_el.get("href") if user_el is not None else None, "user"),
            "user",
        )
        visible(call, new_owner.org_id, "user")
        cat.owner_id = new_owner.id
        return Response(status_code=204)
    owner = call.cloud.inv.users.get(cat.owner_id or "") or render_vapps.template_owner(call.view)
    return xml(call, render_vapps.owner(call.view, href, owner, editable=True))
