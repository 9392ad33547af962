"""Independent disks (5.1+): create in a VDC, read, update, list attached VMs, delete."""

from __future__ import annotations

from starlette.responses import Response

from ...mediatypes import VCLOUD_NS
from ..cloud import CloudError
from ..http import Call, xml
from ..model import Disk, new_id
from ..render import devices as render
from ..render import tasks as render_tasks
from .browse import find, take_description, visible
from .vapps import task_response

_V = f"{{{VCLOUD_NS}}}"


def _since(call: Call) -> None:
    if not call.view.at_least(render.DISKS_SINCE):
        raise CloudError(404, "RESOURCE_NOT_FOUND", "Independent disks need API 5.1 or later.")


def _disk(call: Call) -> Disk:
    _since(call)
    item = find(call.cloud.inv.disks, call.params["id"], "disk")
    visible(call, item.org_id, "disk")
    return item


def _size_mb(value: str | None) -> int:
    try:
        size = int(value or "")
    except ValueError:
        raise CloudError(400, "BAD_REQUEST", "Disk size must be a number of bytes.") from None
    if size <= 0:
        raise CloudError(400, "BAD_REQUEST", "Disk size must be positive.")
    return max(1, size // (1024 * 1024))


def _task(call: Call, item: Disk, operation_name: str, verb: str):  # type: ignore[no-untyped-def]
    assert call.session is not None
    call.cloud.ensure_not_busy(item.id, item.name)
    return call.cloud.engine.start(
        org_id=item.org_id,
        user_id=call.session.user_id,
        operation_name=operation_name,
        operation=f"{verb} {item.name}({item.id})",
        owner_kind="disk",
        owner_id=item.id,
        owner_name=item.name,
        weight=0.5,
    )


def create(call: Call) -> Response:
    _since(call)
    vdc = find(call.cloud.inv.vdcs, call.params["id"], "VDC")
    visible(call, vdc.org_id, "VDC")
    assert call.session is not None
    spec = call.doc("DiskCreateParams").find(f"{_V}Disk")
    assert spec is not None  # the schema requires it
    item = Disk(
        new_id(),
        vdc.id,
        vdc.org_id,
        spec.get("name", "disk"),
        _size_mb(spec.get("size")),
        call.session.user_id,
        description=spec.findtext(f"{_V}Description", ""),
        bus_type=spec.get("busType", "6"),
        bus_sub_type=spec.get("busSubType", "lsilogic"),
    )
    call.cloud.inv.disks[item.id] = item
    task = _task(call, item, "vdcCreateDisk", "Creating Disk")
    body = render.disk(call.view, item)
    if body.find(f"{_V}Tasks") is None:  # the answer always shows its creation task
        container = body.makeelement(f"{_V}Tasks", {})
        container.append(render_tasks.task(call.view, task))
        body.insert(len(body.findall(f"{_V}Link")), container)
    return xml(call, body, status=201)


def disk(call: Call) -> Response:
    item = _disk(call)
    if call.request.method == "PUT":
        doc = call.doc("Disk")
        task = _task(call, item, "vdcUpdateDisk", "Updating Disk")
        item.name = doc.get("name", item.name)
        if doc.get("size"):
            item.size_mb = max(item.size_mb, _size_mb(doc.get("size")))
        take_description(item, doc)
        return task_response(call, task)
    if call.request.method == "DELETE":
        if item.vm_id is not None:
            raise CloudError(
                400, "BAD_REQUEST", f"Disk {item.name} is attached to a VM; detach it first."
            )
        task = _task(call, item, "vdcDeleteDisk", "Deleting Disk")
        del call.cloud.inv.disks[item.id]
        return task_response(call, task)
    return xml(call, render.disk(call.view, item))


def attached_vms(call: Call) -> Response:
    return xml(call, render.attached_vms(call.view, _disk(call)))
