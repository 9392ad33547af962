"""Provider VDCs and the organization VDC lifecycle: create, enable, disable, delete."""

from __future__ import annotations

from starlette.responses import Response

from ...mediatypes import VCLOUD_NS
from ..cloud import CloudError
from ..http import Call, xml
from ..model import ProviderVdc, StorageProfile, Vdc, new_id
from ..render import entities
from ..render import vdcs as render
from .admin import _require_system
from .browse import find
from .vapps import id_from_href, task_response

_V = f"{{{VCLOUD_NS}}}"


def _provider(call: Call) -> ProviderVdc:
    _require_system(call)
    return find(call.cloud.inv.provider_vdcs, call.params["id"], "provider VDC")


def provider_vdc(call: Call) -> Response:
    return xml(call, render.provider_vdc(call.view, _provider(call)))


def vdc_references(call: Call) -> Response:
    return xml(call, render.vdc_references(call.view, _provider(call)))


def storage_profile(call: Call) -> Response:
    _require_system(call)
    for provider in call.cloud.inv.provider_vdcs.values():
        if call.params["id"] in provider.storage_profiles:
            return xml(call, render.storage_profile(call.view, provider, call.params["id"]))
    raise CloudError(404, "RESOURCE_NOT_FOUND", f"No storage profile {call.params['id']}.")


def _limit(doc, tag: str, default: int) -> int:  # type: ignore[no-untyped-def]
    value = doc.findtext(f"{_V}ComputeCapacity/{_V}{tag}/{_V}Limit")
    return int(value) if value and value.strip().isdigit() else default


def create_vdc(call: Call) -> Response:
    """POST an AdminVdc (1.5, .../vdcs) or CreateVdcParams (5.1+, .../vdcsparams)."""
    _require_system(call)
    org = find(call.cloud.inv.orgs, call.params["id"], "organization")
    modern = call.request.url.path.endswith("vdcsparams")
    if modern != call.view.at_least("5.1"):
        raise CloudError(405, "METHOD_NOT_ALLOWED", "Use vdcsparams from 5.1, vdcs before.")
    doc = call.doc("CreateVdcParams" if modern else "AdminVdc")
    name = doc.get("name", "")
    if any(v.name == name for v in call.cloud.inv.vdcs_of(org.id)):
        raise CloudError(400, "DUPLICATE_NAME", f"A VDC named {name} already exists.")
    pvdc_el = doc.find(f"{_V}ProviderVdcReference")
    provider = find(
        call.cloud.inv.provider_vdcs,
        id_from_href(pvdc_el.get("href") if pvdc_el is not None else None, "provider VDC"),
        "provider VDC",
    )
    vdc = Vdc(
        new_id(),
        org.id,
        name,
        doc.findtext(f"{_V}Description", ""),
        (doc.findtext(f"{_V}AllocationModel") or "AllocationVApp").strip(),
        cpu_limit_mhz=_limit(doc, "Cpu", 2000),
        memory_limit_mb=_limit(doc, "Memory", 4096),
        provider_id=provider.id,
    )
    call.cloud.inv.vdcs[vdc.id] = vdc
    profiles = doc.findall(f"{_V}VdcStorageProfile") or [None]
    for profile in profiles:
        ref = profile.find(f"{_V}ProviderVdcStorageProfile") if profile is not None else None
        profile_id = id_from_href(ref.get("href"), "storage profile") if ref is not None else ""
        label = provider.storage_profiles.get(profile_id, "*")
        limit = profile.findtext(f"{_V}Limit") if profile is not None else None
        created = StorageProfile(
            new_id(), vdc.id, label, int(limit) if limit and limit.isdigit() else 102400
        )
        call.cloud.inv.storage_profiles[created.id] = created
    assert call.session is not None
    call.cloud.engine.start(
        org_id=org.id,
        user_id=call.session.user_id,
        operation_name="vdcCreateVdc",
        operation=f"Creating Virtual Datacenter {vdc.name}({vdc.id})",
        owner_kind="adminVdc",
        owner_id=vdc.id,
        owner_name=vdc.name,
        weight=0.5,
    )
    return xml(call, entities.vdc(call.view, vdc, admin=True), status=201)


def vdc_action(call: Call) -> Response:
    _require_system(call)
    vdc = find(call.cloud.inv.vdcs, call.params["id"], "VDC")
    action = call.params["action"]
    if action not in ("enable", "disable"):
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No VDC action {action}.")
    vdc.enabled = action == "enable"
    return Response(status_code=204)


def delete_vdc(call: Call) -> Response:
    """A disabled, empty VDC can be deleted; the answer is the Task that removes it."""
    _require_system(call)
    inv = call.cloud.inv
    vdc = find(inv.vdcs, call.params["id"], "VDC")
    if vdc.enabled:
        raise CloudError(400, "BAD_REQUEST", f"VDC {vdc.name} is enabled; disable it first.")
    holds = (
        bool(inv.vapps_of(vdc.id))
        or any(t.vdc_id == vdc.id for t in inv.templates.values())
        or any(m.vdc_id == vdc.id for m in inv.media.values())
    )
    if holds:
        raise CloudError(400, "BAD_REQUEST", f"VDC {vdc.name} still holds vApps or templates.")
    call.cloud.ensure_not_busy(vdc.id, vdc.name)
    assert call.session is not None
    task = call.cloud.engine.start(
        org_id=vdc.org_id,
        user_id=call.session.user_id,
        operation_name="vdcDeleteVdc",
        operation=f"Deleting Virtual Datacenter {vdc.name}({vdc.id})",
        owner_kind="adminVdc",
        owner_id=vdc.id,
        owner_name=vdc.name,
        weight=0.5,
    )
    for profile in inv.profiles_of(vdc.id):
        del inv.storage_profiles[profile.id]
    for net in [n for n in inv.networks.values() if n.vdc_id == vdc.id]:
        del inv.networks[net.id]
    del inv.vdcs[vdc.id]
    return task_response(call, task)
