"""VM operations beyond power: edit, media, VMware Tools, consolidate, hardware upgrade,
the console screen, storage compliance, and independent disks attached to VMs."""

from __future__ import annotations

import base64

from starlette.responses import Response

from ... import states
from ...mediatypes import VCLOUD_NS
from ..cloud import CloudError
from ..http import Call, xml
from ..model import Task, VApp, Vm
from ..render import devices as render
from ..render.common import mt
from .browse import find, take_description, visible
from .vapps import id_from_href, task_response

_V = f"{{{VCLOUD_NS}}}"

#: A 1x1 PNG: what the console of a simulated VM shows.
THUMBNAIL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _vm(call: Call) -> Vm:
    vm = find(call.cloud.inv.vms, call.params["id"], "VM")
    visible(call, call.cloud.inv.vapps[vm.vapp_id].org_id, "VM")
    return vm


def _user(call: Call) -> str:
    assert call.session is not None
    return call.session.user_id


def start(call: Call, owner: VApp | Vm, operation_name: str, verb: str) -> Task:
    """A task on a vApp or VM that changes nothing when it ends (its effect is immediate)."""
    is_vapp = isinstance(owner, VApp)
    name = owner.name if isinstance(owner, VApp) else owner.spec.name
    call.cloud.ensure_not_busy(owner.id, name)
    org_id = owner.org_id if isinstance(owner, VApp) else call.cloud.inv.vapps[owner.vapp_id].org_id
    return call.cloud.engine.start(
        org_id=org_id,
        user_id=_user(call),
        operation_name=operation_name,
        operation=f"{verb} {name}({owner.id})",
        owner_kind="vApp" if is_vapp else "vm",
        owner_id=owner.id,
        owner_name=name,
        weight=0.5,
    )


def _refuse(vm: Vm, what: str) -> None:
    raise CloudError(
        400,
        "BAD_REQUEST",
        f"{what} is not allowed for the current state of the VM: status "
        f"{states.EntityStatus.describe(vm.status)}.",
    )


# -- name and description (PUT to the edit link) ---------------------------------------------


def edit_vapp(call: Call) -> Response:
    vapp = find(call.cloud.inv.vapps, call.params["id"], "vApp")
    visible(call, vapp.org_id, "vApp")
    doc = call.doc("VApp")
    task = start(call, vapp, "vappUpdateVApp", "Updating Virtual Application")
    name = doc.get("name")
    if name and name != vapp.name:
        if any(v.name == name for v in call.cloud.inv.vapps_of(vapp.vdc_id) if v is not vapp):
            raise CloudError(400, "DUPLICATE_NAME", f"A vApp named {name} already exists.")
        vapp.name = name
    take_description(vapp, doc)
    return task_response(call, task)


def edit_vm(call: Call) -> Response:
    vm = _vm(call)
    doc = call.doc("Vm")
    task = start(call, vm, "vappUpdateVm", "Updating Virtual Machine")
    if doc.get("name"):
        vm.spec.name = doc.get("name", vm.spec.name)
    take_description(vm, doc)
    return task_response(call, task)


# -- actions ---------------------------------------------------------------------------------


def vm_action(call: Call) -> Response:
    """POST /vApp/vm-{id}/action/{action}: tools, consolidate, upgrade, compliance."""
    vm = _vm(call)
    action = call.params["action"]
    if action == "installVMwareTools":
        if vm.status != states.EntityStatus.POWERED_ON:
            _refuse(vm, "Installing VMware Tools")
        task = start(call, vm, "vappInstallTools", "Installing VMware Tools on")
        return task_response(call, task)
    if action == "consolidate":
        return task_response(call, start(call, vm, "vappConsolidateVm", "Consolidating"))
    if action == "upgradeHardwareVersion":
        if vm.status != states.EntityStatus.POWERED_OFF:
            _refuse(vm, "Upgrading the virtual hardware")
        task = start(call, vm, "vappUpgradeHwVersion", "Upgrading virtual hardware of")
        vm.spec.hardware_version = "vmx-10"
        return task_response(call, task)
    if action == "checkCompliance" and call.view.at_least(render.DISKS_SINCE):
        task = start(call, vm, "vappCheckCompliance", "Checking storage compliance of")
        vm.compliance_checked = call.cloud.clock()
        return task_response(call, task)
    raise CloudError(404, "RESOURCE_NOT_FOUND", f"No VM action {action}.")


def media_action(call: Call) -> Response:
    """Insert a media image into the VM's drive, or eject it."""
    vm = _vm(call)
    action = call.params["action"]
    if action not in ("insertMedia", "ejectMedia"):
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No media action {action}.")
    doc = call.doc("MediaInsertOrEjectParams")
    media_el = doc.find(f"{_V}Media")
    media_id = id_from_href(media_el.get("href") if media_el is not None else None, "media")
    media = find(call.cloud.inv.media, media_id, "media")
    visible(call, call.cloud.inv.vdcs[media.vdc_id].org_id, "media")
    if action == "insertMedia":
        task = start(call, vm, "vappInsertCdFloppy", "Inserting media into")
        vm.media_id = media.id
    else:
        if vm.media_id != media.id:
            raise CloudError(
                400, "BAD_REQUEST", f"Media {media.name} is not inserted in {vm.spec.name}."
            )
        task = start(call, vm, "vappEjectCdFloppy", "Ejecting media from")
        vm.media_id = None
    return task_response(call, task)


def disk_action(call: Call) -> Response:
    """Attach an independent disk to the VM, or detach it (5.1+)."""
    vm = _vm(call)
    action = call.params["action"]
    if action not in ("attach", "detach") or not call.view.at_least(render.DISKS_SINCE):
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No disk action {action}.")
    doc = call.doc("DiskAttachOrDetachParams")
    disk_el = doc.find(f"{_V}Disk")
    disk = find(
        call.cloud.inv.disks,
        id_from_href(disk_el.get("href") if disk_el is not None else None, "disk"),
        "disk",
    )
    visible(call, disk.org_id, "disk")
    if action == "attach":
        if disk.vm_id is not None:
            raise CloudError(400, "BAD_REQUEST", f"Disk {disk.name} is already attached.")
        task = start(call, vm, "vappAttachDisk", "Attaching disk to")
        disk.vm_id = vm.id
    else:
        if disk.vm_id != vm.id:
            raise CloudError(400, "BAD_REQUEST", f"Disk {disk.name} is not attached here.")
        task = start(call, vm, "vappDetachDisk", "Detaching disk from")
        disk.vm_id = None
    return task_response(call, task)


# -- console and compliance --------------------------------------------------------------------


def screen(call: Call) -> Response:
    """The console thumbnail (image/png); an empty answer when the VM shows nothing."""
    vm = _vm(call)
    if vm.status != states.EntityStatus.POWERED_ON:
        return Response(b"", status_code=200, headers={"Content-Type": "image/png"})
    return Response(THUMBNAIL, status_code=200, headers={"Content-Type": "image/png"})


def acquire_ticket(call: Call) -> Response:
    vm = _vm(call)
    if vm.status != states.EntityStatus.POWERED_ON:
        _refuse(vm, "A screen ticket")
    return xml(
        call,
        render.screen_ticket(vm, call.request.url.hostname or "localhost"),
        media_type=mt("screenTicket"),
    )


def compliance_result(call: Call) -> Response:
    vm = _vm(call)
    if not call.view.at_least(render.DISKS_SINCE):
        raise CloudError(404, "RESOURCE_NOT_FOUND", "Compliance results need API 5.1 or later.")
    return xml(call, render.compliance_result(call.view, vm), media_type=render.COMPLIANCE_TYPE)
