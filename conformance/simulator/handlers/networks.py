"""Organization networks (1.5, in an AdminOrg) and organization VDC networks (5.1+, in
an AdminVdc): create and delete."""

from __future__ import annotations

from lxml import etree
from starlette.responses import Response

from ...mediatypes import VCLOUD_NS
from ..cloud import CloudError
from ..http import Call, xml
from ..model import Network, new_id
from ..render import entities
from .browse import find, visible
from .vapps import task_response

_V = f"{{{VCLOUD_NS}}}"


def _start(call: Call, net: Network, operation: str, verb: str):  # type: ignore[no-untyped-def]
    assert call.session is not None
    return call.cloud.engine.start(
        org_id=net.org_id,
        user_id=call.session.user_id,
        operation_name=operation,
        operation=f"{verb} Network {net.name}({net.id})",
        owner_kind="network",
        owner_id=net.id,
        owner_name=net.name,
        weight=0.5,
    )


def _scope(doc: etree._Element) -> dict[str, str]:
    scope = doc.find(f"{_V}Configuration/{_V}IpScopes/{_V}IpScope")
    if scope is None:
        scope = doc.find(f"{_V}Configuration/{_V}IpScope")
    if scope is None:
        return {}
    out = {}
    for tag, field_name in (("Gateway", "gateway"), ("Netmask", "netmask"), ("Dns1", "dns")):
        value = scope.findtext(f"{_V}{tag}")
        if value:
            out[field_name] = value.strip()
    start = scope.findtext(f"{_V}IpRanges/{_V}IpRange/{_V}StartAddress")
    end = scope.findtext(f"{_V}IpRanges/{_V}IpRange/{_V}EndAddress")
    if start and end:
        out["ip_start"], out["ip_end"] = start.strip(), end.strip()
    return out


def _create(call: Call, org_id: str, vdc_id: str, root_tag: str) -> Response:
    doc = call.doc(root_tag)
    name = doc.get("name", "")
    if any(n.name == name for n in call.cloud.inv.networks_of(org_id)):
        raise CloudError(400, "DUPLICATE_NAME", f"A network named {name} already exists.")
    fence = (doc.findtext(f"{_V}Configuration/{_V}FenceMode") or "isolated").strip()
    if fence == "bridged" and doc.find(f"{_V}Configuration/{_V}ParentNetwork") is None:
        raise CloudError(400, "BAD_REQUEST", "A bridged network needs a ParentNetwork.")
    net = Network(new_id(), org_id, vdc_id, name, fence_mode=fence)
    for field_name, value in _scope(doc).items():
        setattr(net, field_name, value)
    call.cloud.inv.networks[net.id] = net
    _start(call, net, "networkCreateNetwork", "Creating")
    return xml(call, entities.network(call.view, net), status=201)


def create_org_network(call: Call) -> Response:
    """1.5: POST an OrgNetwork to the AdminOrg's networks."""
    if call.view.at_least("5.1"):
        raise CloudError(404, "RESOURCE_NOT_FOUND", "From 5.1 networks belong to a VDC.")
    org = find(call.cloud.inv.orgs, call.params["id"], "organization")
    visible(call, org.id, "organization")
    vdcs = call.cloud.inv.vdcs_of(org.id)
    if not vdcs:
        raise CloudError(400, "BAD_REQUEST", f"Organization {org.name} has no VDC.")
    return _create(call, org.id, vdcs[0].id, "OrgNetwork")


def create_vdc_network(call: Call) -> Response:
    """5.1+: POST an OrgVdcNetwork to the AdminVdc's networks."""
    if not call.view.at_least("5.1"):
        raise CloudError(404, "RESOURCE_NOT_FOUND", "Organization VDC networks need 5.1.")
    vdc = find(call.cloud.inv.vdcs, call.params["id"], "VDC")
    visible(call, vdc.org_id, "VDC")
    return _create(call, vdc.org_id, vdc.id, "OrgVdcNetwork")


def delete_network(call: Call) -> Response:
    net = find(call.cloud.inv.networks, call.params["id"], "network")
    visible(call, net.org_id, "network")
    if any(net.name in v.network_names for v in call.cloud.inv.vapps.values()):
        raise CloudError(400, "BAD_REQUEST", f"Network {net.name} is in use by vApps.")
    call.cloud.ensure_not_busy(net.id, net.name)
    task = _start(call, net, "networkDelete", "Deleting")
    del call.cloud.inv.networks[net.id]
    return task_response(call, task)
