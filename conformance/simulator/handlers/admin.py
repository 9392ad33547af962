"""Administration: VCloud, AdminOrg/Vdc/Catalog, users, roles, extension, blocking tasks."""

from __future__ import annotations

from starlette.responses import Response

from ...mediatypes import EXTENSION_NS, VCLOUD_NS
from ..cloud import CloudError
from ..http import Call, xml
from ..model import Catalog, Org, User, new_id
from ..render import admin as render
from ..render import entities
from ..render import tasks as render_tasks
from .browse import find, visible

_V = f"{{{VCLOUD_NS}}}"
_X = f"{{{EXTENSION_NS}}}"


def _require_system(call: Call) -> None:
    if not call.view.is_system:
        raise CloudError(
            403,
            "ACCESS_TO_RESOURCE_IS_FORBIDDEN",
            "This operation is denied: system administrators only.",
        )


def vcloud(call: Call) -> Response:
    _require_system(call)
    return xml(call, render.vcloud(call.view))


def admin_org(call: Call) -> Response:
    org = find(call.cloud.inv.orgs, call.params["id"], "organization")
    visible(call, org.id, "organization")
    if call.request.method == "DELETE":
        _require_system(call)
        if org.enabled and org.name != "System":
            raise CloudError(
                400, "BAD_REQUEST", f"Organization {org.name} is enabled; disable it first."
            )
        if org.name == "System" or call.cloud.inv.vdcs_of(org.id):
            raise CloudError(
                400, "BAD_REQUEST", f"Organization {org.name} still has VDCs; it cannot be deleted."
            )
        for user in [u for u in call.cloud.inv.users.values() if u.org_id == org.id]:
            del call.cloud.inv.users[user.id]
        for cat in call.cloud.inv.catalogs_of(org.id):
            del call.cloud.inv.catalogs[cat.id]
        del call.cloud.inv.orgs[org.id]
        return Response(status_code=204)
    if call.request.method == "PUT":
        _require_system(call)
        doc = call.doc("AdminOrg")
        org.full_name = doc.findtext(f"{_V}FullName", org.full_name)
        org.description = doc.findtext(f"{_V}Description", org.description)
        enabled = doc.findtext(f"{_V}IsEnabled")
        if enabled is not None:
            org.enabled = enabled.strip() == "true"
    return xml(call, render.admin_org(call.view, org))


def create_org(call: Call) -> Response:
    _require_system(call)
    doc = call.doc("AdminOrg")
    name = doc.get("name", "")
    if call.cloud.inv.org_by_name(name):
        raise CloudError(400, "DUPLICATE_NAME", f"An organization named {name} already exists.")
    org = Org(
        new_id(),
        name,
        doc.findtext(f"{_V}FullName", name),
        doc.findtext(f"{_V}Description", ""),
        doc.findtext(f"{_V}IsEnabled", "true").strip() == "true",
    )
    call.cloud.inv.orgs[org.id] = org
    return xml(call, render.admin_org(call.view, org), status=201)


def admin_vdc(call: Call) -> Response:
    vdc = find(call.cloud.inv.vdcs, call.params["id"], "VDC")
    visible(call, vdc.org_id, "VDC")
    return xml(call, entities.vdc(call.view, vdc, admin=True))


def admin_catalog(call: Call) -> Response:
    cat = find(call.cloud.inv.catalogs, call.params["id"], "catalog")
    visible(call, cat.org_id, "catalog")
    if call.request.method == "DELETE":
        if call.cloud.inv.items_of(cat.id):
            raise CloudError(400, "BAD_REQUEST", f"Catalog {cat.name} is not empty.")
        del call.cloud.inv.catalogs[cat.id]
        return Response(status_code=204)
    return xml(call, render.admin_catalog(call.view, cat))


def create_catalog(call: Call) -> Response:
    org = find(call.cloud.inv.orgs, call.params["id"], "organization")
    visible(call, org.id, "organization")
    doc = call.doc("AdminCatalog")
    name = doc.get("name", "")
    if any(c.name == name for c in call.cloud.inv.catalogs_of(org.id)):
        raise CloudError(400, "DUPLICATE_NAME", f"A catalog named {name} already exists.")
    cat = Catalog(new_id(), org.id, name, doc.findtext(f"{_V}Description", ""))
    call.cloud.inv.catalogs[cat.id] = cat
    return xml(call, render.admin_catalog(call.view, cat), status=201)


def user(call: Call) -> Response:
    user_obj = find(call.cloud.inv.users, call.params["id"], "user")
    visible(call, user_obj.org_id, "user")
    if call.request.method == "DELETE":
        if call.session is not None and call.session.user_id == user_obj.id:
            raise CloudError(400, "BAD_REQUEST", "You cannot delete the user you are logged in as.")
        del call.cloud.inv.users[user_obj.id]
        return Response(status_code=204)
    if call.request.method == "PUT":
        doc = call.doc("User")
        user_obj.full_name = doc.findtext(f"{_V}FullName", user_obj.full_name)
        user_obj.email = doc.findtext(f"{_V}EmailAddress", user_obj.email)
        enabled = doc.findtext(f"{_V}IsEnabled")
        if enabled is not None:
            user_obj.enabled = enabled.strip() == "true"
    return xml(call, render.user(call.view, user_obj))


def create_user(call: Call) -> Response:
    org = find(call.cloud.inv.orgs, call.params["id"], "organization")
    visible(call, org.id, "organization")
    doc = call.doc("User")
    name = doc.get("name", "")
    if call.cloud.inv.user_in_org(org.id, name):
        raise CloudError(
            400, "DUPLICATE_NAME", f"A user named {name} already exists in {org.name}."
        )
    password = doc.findtext(f"{_V}Password")
    if not password:
        raise CloudError(400, "BAD_REQUEST", "A new local user needs a Password.")
    role_el = doc.find(f"{_V}Role")
    role_name = role_el.get("name") if role_el is not None and role_el.get("name") else "vApp User"
    user_obj = User(
        new_id(),
        org.id,
        name,
        password,
        role=role_name,
        full_name=doc.findtext(f"{_V}FullName", ""),
        email=doc.findtext(f"{_V}EmailAddress", ""),
        enabled=doc.findtext(f"{_V}IsEnabled", "true").strip() == "true",
    )
    call.cloud.inv.users[user_obj.id] = user_obj
    return xml(call, render.user(call.view, user_obj), status=201)


def role(call: Call) -> Response:
    role_obj = find(call.cloud.inv.roles, call.params["id"], "role")
    return xml(call, render.role(call.view, role_obj))


def extension(call: Call) -> Response:
    _require_system(call)
    return xml(call, render.extension(call.view))


def blocking_tasks(call: Call) -> Response:
    _require_system(call)
    return xml(call, render_tasks.blocking_task_references(call.view))


def blocking_task(call: Call) -> Response:
    _require_system(call)
    blocking = find(call.cloud.inv.blocking_tasks, call.params["id"], "blocking task")
    return xml(call, render_tasks.blocking_task(call.view, blocking))


def blocking_action(call: Call) -> Response:
    _require_system(call)
    blocking = find(call.cloud.inv.blocking_tasks, call.params["id"], "blocking task")
    action = call.params["action"]
    if blocking.status != "active":
        raise CloudError(
            400, "BAD_REQUEST", f"Blocking task is {blocking.status}; no action is possible."
        )
    if action == "updateProgress":
        doc = call.doc("BlockingTaskUpdateProgressParams")
        timeout = doc.findtext(f"{_X}TimeoutValueInMilliseconds")
        seconds = (
            int(timeout) / 1000
            if timeout and timeout.strip().isdigit()
            else blocking.timeout_seconds
        )
        call.cloud.engine.extend_blocking(blocking, seconds)
        blocking.message = doc.findtext(f"{_X}Message")
        task = call.cloud.inv.tasks.get(blocking.task_id)
        if task is not None:
            task.details = blocking.message
        return xml(call, render_tasks.blocking_task(call.view, blocking))
    if action not in ("resume", "abort", "fail"):
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No blocking task action {action}.")
    doc = call.doc("BlockingTaskOperationParams")
    call.cloud.engine.resolve_blocking(blocking, action, doc.findtext(f"{_X}Message"))
    if action in ("abort", "fail"):
        _transient_objects(call, blocking.task_id, action)
    return Response(status_code=204)


def _transient_objects(call: Call, task_id: str, action: str) -> None:
    """abort removes the objects the task was creating; fail marks them in error."""
    task = call.cloud.inv.tasks.get(task_id)
    if task is None or task.owner_kind != "vApp":
        return
    vapp = call.cloud.inv.vapps.get(task.owner_id)
    if vapp is None or vapp.status not in (0, -1):
        return
    if action == "abort":
        for vm_id in vapp.vm_ids:
            call.cloud.inv.vms.pop(vm_id, None)
        del call.cloud.inv.vapps[vapp.id]
    else:
        vapp.status = -1


def blocking_settings(call: Call) -> Response:
    _require_system(call)
    inv = call.cloud.inv
    if call.request.method == "PUT":
        doc = call.doc("BlockingTaskSettings")
        action = doc.findtext(f"{_X}TimeoutAction", "abort").strip()
        if action not in ("abort", "fail", "resume"):
            raise CloudError(400, "BAD_REQUEST", "TimeoutAction must be abort, fail or resume.")
        inv.blocking_timeout_action = action
        inv.blocking_operations = [o.text.strip() for o in doc.iter(f"{_V}Operation") if o.text]
        timeout = doc.findtext(f"{_X}TimeoutInMilliseconds", "300000").strip()
        inv.blocking_timeout_seconds = int(timeout) / 1000 if timeout.isdigit() else 300.0
    return xml(call, render.blocking_settings(call.view))
