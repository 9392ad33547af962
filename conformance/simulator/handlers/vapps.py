"""Provisioning and operating vApps: instantiate, compose, recompose, clone, capture,
deploy, power, delete, snapshots, owner and access control."""

from __future__ import annotations

from urllib.parse import urlparse

from lxml import etree
from starlette.responses import Response

from ...mediatypes import VCLOUD_NS
from .. import operations as ops
from ..cloud import CloudError
from ..http import Call, xml
from ..model import Task, VApp, Vm, VmSpec
from ..render import tasks as render_tasks
from ..render import vapps as render
from ..render.common import V, mt, text
from .browse import find, visible

_V = f"{{{VCLOUD_NS}}}"


def id_from_href(href: str | None, what: str) -> str:
    if not href:
        raise CloudError(400, "BAD_REQUEST", f"A reference to a {what} needs an href.")
    last = urlparse(href).path.rstrip("/").rsplit("/", 1)[-1]
    for prefix in ("vappTemplate-", "vapp-", "vm-"):
        if last.startswith(prefix):
            return last[len(prefix) :]
    return last


def _user(call: Call) -> str:
    assert call.session is not None
    return call.session.user_id


def task_response(call: Call, task: Task, status: int = 202) -> Response:
    if status == 202 and call.cloud.faults.on("status-200-for-async"):
        status = 200
    return xml(call, render_tasks.task(call.view, task), status=status)


def _vapp(call: Call) -> VApp:
    vapp = find(call.cloud.inv.vapps, call.params["id"], "vApp")
    visible(call, vapp.org_id, "vApp")
    return vapp


def _entity(call: Call) -> VApp | Vm:
    entity_id = call.params["id"]
    entity, _kind = ops.entity_and_kind(call.cloud, entity_id)
    org_id = (
        entity.org_id if isinstance(entity, VApp) else call.cloud.inv.vapps[entity.vapp_id].org_id
    )
    visible(call, org_id, "vApp")
    return entity


# -- reading ------------------------------------------------------------------------------


def get_vapp(call: Call) -> Response:
    return xml(call, render.vapp(call.view, _vapp(call)))


def get_vm(call: Call) -> Response:
    vm = find(call.cloud.inv.vms, call.params["id"], "VM")
    visible(call, call.cloud.inv.vapps[vm.vapp_id].org_id, "VM")
    return xml(call, render.vm(call.view, vm))


# -- lifecycle --------------------------------------------------------------------------------


def power_action(call: Call) -> Response:
    entity = _entity(call)
    action = call.params["action"]
    if action not in ops.POWER_RESULT:
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No power action {action}.")
    return task_response(call, ops.power(call.cloud, _user(call), entity.id, action))


def deploy(call: Call) -> Response:
    entity = _entity(call)
    doc = call.doc("DeployVAppParams")
    power_on = doc.get("powerOn", "true").lower() == "true"
    return task_response(call, ops.deploy(call.cloud, _user(call), entity.id, power_on))


def undeploy(call: Call) -> Response:
    entity = _entity(call)
    call.doc("UndeployVAppParams")
    return task_response(call, ops.undeploy(call.cloud, _user(call), entity.id))


def discard_state(call: Call) -> Response:
    entity = _entity(call)
    return task_response(call, ops.discard_state(call.cloud, _user(call), entity.id))


def delete(call: Call) -> Response:
    entity = _entity(call)
    force = call.request.query_params.get("force", "false").lower() == "true"
    return task_response(call, ops.delete(call.cloud, _user(call), entity.id, force))


def _specs_from_template(call: Call, template_id: str) -> tuple[list[VmSpec], str | None]:
    tmpl = find(call.cloud.inv.templates, template_id, "vApp template")
    visible(call, call.cloud.inv.vdcs[tmpl.vdc_id].org_id, "vApp template")
    if tmpl.status != 8:
        raise CloudError(400, "BAD_REQUEST", f"vApp template {tmpl.name} is not ready.")
    return list(tmpl.vms), tmpl.eula


def _vdc(call: Call):  # type: ignore[no-untyped-def]
    vdc = find(call.cloud.inv.vdcs, call.params["id"], "VDC")
    visible(call, vdc.org_id, "VDC")
    return vdc


def _flags(doc: etree._Element) -> tuple[bool, bool]:
    return (
        doc.get("deploy", "false").lower() == "true",
        doc.get("powerOn", "false").lower() == "true",
    )


def _run_id(name: str) -> str | None:
    return name.split("-", 2)[1] if name.startswith("vcdc-") and name.count("-") >= 2 else None


def _created(call: Call, vapp: VApp, task: Task) -> Response:
    body = render.vapp(call.view, vapp, render_tasks.task(call.view, task))
    return xml(call, body, status=201)


def instantiate(call: Call) -> Response:
    vdc = _vdc(call)
    doc = call.doc("InstantiateVAppTemplateParams")
    source = doc.find(f"{_V}Source")
    specs, eula = _specs_from_template(
        call, id_from_href(source.get("href") if source is not None else None, "vApp template")
    )
    accepted = doc.findtext(f"{_V}AllEULAsAccepted", "false").strip().lower() == "true"
    if eula and not accepted:
        raise CloudError(
            400,
            "BAD_REQUEST",
            "The vApp template has a license agreement (EULA); set AllEULAsAccepted "
            "to true to accept it.",
        )
    name = doc.get("name") or "vApp"
    description = doc.findtext(f"{_V}Description", "")
    vapp = ops.new_vapp(call.cloud, vdc.id, name, _user(call), description, specs, _run_id(name))
    deploy_it, power_on = _flags(doc)
    task = ops.create(call.cloud, _user(call), "instantiate", vapp, deploy_it, power_on)
    return _created(call, vapp, task)


def _sourced_specs(call: Call, doc: etree._Element) -> list[VmSpec]:
    specs: list[VmSpec] = []
    for item in doc.iterfind(f"{_V}SourcedItem"):
        source = item.find(f"{_V}Source")
        href = source.get("href", "") if source is not None else ""
        source_id = id_from_href(href, "VM or vApp template")
        if "/vAppTemplate/vm-" in href:
            for tmpl in call.cloud.inv.templates.values():
                if source_id in tmpl.vm_ids:
                    specs.append(tmpl.vms[tmpl.vm_ids.index(source_id)])
        elif "/vAppTemplate/" in href:
            specs.extend(_specs_from_template(call, source_id)[0])
        elif source_id in call.cloud.inv.vms:
            specs.append(call.cloud.inv.vms[source_id].spec)
        elif source_id in call.cloud.inv.vapps:
            vapp = call.cloud.inv.vapps[source_id]
            specs.extend(call.cloud.inv.vms[v].spec for v in vapp.vm_ids)
        else:
            raise CloudError(400, "BAD_REQUEST", f"SourcedItem {href} does not exist.")
    return specs


def compose(call: Call) -> Response:
    vdc = _vdc(call)
    doc = call.doc("ComposeVAppParams")
    name = doc.get("name") or "vApp"
    specs = _sourced_specs(call, doc)
    vapp = ops.new_vapp(
        call.cloud,
        vdc.id,
        name,
        _user(call),
        doc.findtext(f"{_V}Description", ""),
        specs,
        _run_id(name),
    )
    deploy_it, power_on = _flags(doc)
    task = ops.create(call.cloud, _user(call), "compose", vapp, deploy_it, power_on)
    return _created(call, vapp, task)


def recompose(call: Call) -> Response:
    vapp = _vapp(call)
    doc = call.doc("RecomposeVAppParams")
    add = _sourced_specs(call, doc)
    remove = [id_from_href(d.get("href"), "VM") for d in doc.iterfind(f"{_V}DeleteItem")]
    return task_response(call, ops.recompose(call.cloud, _user(call), vapp, add, remove))


def clone(call: Call) -> Response:
    vdc = _vdc(call)
    doc = call.doc("CloneVAppParams")
    source = doc.find(f"{_V}Source")
    source_vapp = find(
        call.cloud.inv.vapps,
        id_from_href(source.get("href") if source is not None else None, "vApp"),
        "vApp",
    )
    visible(call, source_vapp.org_id, "vApp")
    call.cloud.ensure_not_busy(source_vapp.id, source_vapp.name)
    name = doc.get("name") or f"{source_vapp.name}-copy"
    specs = [call.cloud.inv.vms[v].spec for v in source_vapp.vm_ids]
    vapp = ops.new_vapp(
        call.cloud,
        vdc.id,
        name,
        _user(call),
        doc.findtext(f"{_V}Description", ""),
        specs,
        _run_id(name),
    )
    task = ops.create(call.cloud, _user(call), "clone", vapp, *_flags(doc))
    if doc.findtext(f"{_V}IsSourceDelete", "false").strip() == "true":
        ops.delete(call.cloud, _user(call), source_vapp.id, force=True)
    return _created(call, vapp, task)


def capture(call: Call) -> Response:
    doc = call.doc("CaptureVAppParams")
    source = doc.find(f"{_V}Source")
    vapp = find(
        call.cloud.inv.vapps,
        id_from_href(source.get("href") if source is not None else None, "vApp"),
        "vApp",
    )
    visible(call, vapp.org_id, "vApp")
    if "catalog" in call.request.url.path.split("/")[2]:
        catalog_id = call.params["id"]
    else:
        target = doc.find(f"{_V}TargetCatalogItem")
        catalogs = call.cloud.inv.catalogs_of(vapp.org_id)
        catalog_id = (
            catalogs[0].id
            if catalogs and target is None
            else id_from_href(target.get("href") if target is not None else None, "catalog")
        )
    find(call.cloud.inv.catalogs, catalog_id, "catalog")
    tmpl, _task = ops.capture(
        call.cloud,
        _user(call),
        vapp,
        catalog_id,
        doc.get("name") or vapp.name,
        doc.findtext(f"{_V}Description", ""),
    )
    body = render.template(call.view, tmpl)
    return xml(call, body, status=201)


# -- snapshots ---------------------------------------------------------------------------------


def snapshot_action(call: Call) -> Response:
    vapp = _vapp(call)
    if not call.view.at_least(render.SNAPSHOTS_SINCE):
        raise CloudError(
            404, "RESOURCE_NOT_FOUND", f"Snapshots need API {render.SNAPSHOTS_SINCE} or later."
        )
    action = {
        "createSnapshot": "createSnapshot",
        "revertToCurrentSnapshot": "revertSnapshot",
        "removeAllSnapshots": "removeSnapshots",
    }[call.params["action"]]
    memory = False
    if action == "createSnapshot":
        doc = call.doc("CreateSnapshotParams")
        memory = doc.get("memory", "false").lower() == "true"
    return task_response(call, ops.snapshot(call.cloud, _user(call), vapp, action, memory))


# -- owner and access -----------------------------------------------------------------------


def owner(call: Call) -> Response:
    entity = _vapp(call)
    href = f"{call.view.url('vApp/vapp-' + entity.id)}/owner"
    if call.request.method == "PUT":
        doc = call.doc("Owner")
        user_el = doc.find(f"{_V}User")
        new_owner = id_from_href(user_el.get("href") if user_el is not None else None, "user")
        find(call.cloud.inv.users, new_owner, "user")
        entity.owner_id = new_owner
        return Response(status_code=204)
    user = call.cloud.inv.users.get(entity.owner_id)
    return xml(call, render.owner(call.view, href, user, editable=True))


def control_access(call: Call) -> Response:
    entity = _vapp(call)
    if call.request.method == "POST":
        doc = call.doc("ControlAccessParams")
        entity.access_shared = doc.findtext(f"{_V}IsSharedToEveryone", "false").strip() == "true"
    # ControlAccessParamsType is not a resource: no href or type attributes.
    params = V.ControlAccessParams()
    params.append(text("IsSharedToEveryone", entity.access_shared))
    if entity.access_shared:
        params.append(text("EveryoneAccessLevel", "ReadOnly"))
    return xml(call, params, media_type=mt("controlAccess"))


def vapp_action(call: Call) -> Response:
    """POST /vApp/vapp-{id}/action/{action} for snapshots and access control."""
    action = call.params["action"]
    if action in ("createSnapshot", "revertToCurrentSnapshot", "removeAllSnapshots"):
        return snapshot_action(call)
    if action == "controlAccess":
        return control_access(call)
    raise CloudError(404, "RESOURCE_NOT_FOUND", f"No vApp action {action}.")
