"""Configuring vApps and VMs: read and update sections through their edit links."""

from __future__ import annotations

from lxml import etree
from starlette.responses import Response

from ...mediatypes import VCLOUD_NS
from .. import operations as ops
from ..cloud import CloudError
from ..http import Call, xml
from ..model import VApp, Vm
from ..render import vapps as render
from ..render.common import OVF, V, link, mt
from .browse import find, take_description, visible
from .vapps import _user, task_response

_V = f"{{{VCLOUD_NS}}}"
OVF_NS = "http://schemas.dmtf.org/ovf/envelope/1"
RASD_NS = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"


def _vm(call: Call) -> Vm:
    vm = find(call.cloud.inv.vms, call.params["id"], "VM")
    visible(call, call.cloud.inv.vapps[vm.vapp_id].org_id, "VM")
    return vm


def _vapp(call: Call) -> VApp:
    vapp = find(call.cloud.inv.vapps, call.params["id"], "vApp")
    visible(call, vapp.org_id, "vApp")
    return vapp


def _as_vcloud_item(item: etree._Element) -> etree._Element:
    item.tag = f"{_V}Item"
    return item


def vm_section(call: Call) -> Response:
    vm = _vm(call)
    href = call.view.url(f"vApp/vm-{vm.id}")
    section = call.params["section"]
    if call.request.method == "PUT":
        return _update_vm_section(call, vm, section)
    builders = {
        "virtualHardwareSection": lambda: render.virtual_hardware_section(
            call.view, vm.spec, href, True
        ),
        "operatingSystemSection": lambda: render.operating_system_section(
            call.view, vm.spec, href, True
        ),
        "networkConnectionSection": lambda: render.network_connection_section(
            call.view, vm.spec, href, True
        ),
        "guestCustomizationSection": lambda: render.guest_customization_section(
            call.view, vm.spec, href, vm.id, True
        ),
        "runtimeInfoSection": lambda: render.runtime_info_section(href),
        "vmCapabilities": lambda: render.vm_capabilities(vm.spec, href),
    }
    if section not in builders:
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"VMs have no section {section}.")
    return xml(call, builders[section]())


def vm_hardware_part(call: Call) -> Response:
    vm = _vm(call)
    href = call.view.url(f"vApp/vm-{vm.id}")
    part = call.params["part"]
    if call.request.method == "PUT":
        return _update_hardware_part(call, vm, part)
    if part == "cpu":
        return xml(call, _as_vcloud_item(render.cpu_item(call.view, vm.spec, href)))
    if part == "memory":
        return xml(call, _as_vcloud_item(render.memory_item(call.view, vm.spec, href)))
    if part in ("disks", "networkCards", "media"):
        listing = render.rasd_items_list(call.view, vm.spec, href, part)
        for item in listing.iterfind(f"{{{OVF_NS}}}Item"):
            _as_vcloud_item(item)
        return xml(call, listing)
    raise CloudError(404, "RESOURCE_NOT_FOUND", f"No hardware part {part}.")


def _quantity(item: etree._Element) -> int:
    value = item.findtext(f"{{{RASD_NS}}}VirtualQuantity")
    try:
        number = int(value or "")
    except ValueError:
        raise CloudError(
            400, "BAD_REQUEST", "rasd:VirtualQuantity must be a positive integer."
        ) from None
    if number <= 0:
        raise CloudError(400, "BAD_REQUEST", "rasd:VirtualQuantity must be a positive integer.")
    return number


def _update_hardware_part(call: Call, vm: Vm, part: str) -> Response:
    if part in ("cpu", "memory"):
        doc = call.doc("Item")
        value = _quantity(doc)
        if part == "cpu":
            vm.spec.cpus = value
        else:
            vm.spec.memory_mb = value
    elif part in ("disks", "networkCards"):
        call.doc("RasdItemsList")
    else:
        raise CloudError(405, "METHOD_NOT_ALLOWED", f"{part} cannot be updated.")
    return task_response(call, ops.update_section(call.cloud, _user(call), vm))


def _update_vm_section(call: Call, vm: Vm, section: str) -> Response:
    spec = vm.spec
    if section == "virtualHardwareSection":
        doc = call.doc("VirtualHardwareSection")
        for item in doc.iterfind(f"{{{OVF_NS}}}Item"):
            kind = item.findtext(f"{{{RASD_NS}}}ResourceType")
            if kind == "3":
                spec.cpus = _quantity(item)
            elif kind == "4":
                spec.memory_mb = _quantity(item)
    elif section == "operatingSystemSection":
        doc = call.doc("OperatingSystemSection")
        spec.os_description = doc.findtext(f"{{{OVF_NS}}}Description", spec.os_description)
    elif section == "networkConnectionSection":
        doc = call.doc("NetworkConnectionSection")
        conn = doc.find(f"{_V}NetworkConnection")
        if conn is not None:
            network = conn.get("network")
            if (
                network not in {n.name for n in call.cloud.inv.networks.values()}
                and network != "none"
            ):
                raise CloudError(400, "BAD_REQUEST", f"No network named {network}.")
            spec.network = network
            spec.ip_mode = conn.findtext(f"{_V}IpAddressAllocationMode", spec.ip_mode)
            spec.ip_address = conn.findtext(f"{_V}IpAddress")
    elif section == "vmCapabilities":
        doc = call.doc("VmCapabilities")
        for flag, attr in (
            ("MemoryHotAddEnabled", "memory_hot_add"),
            ("CpuHotAddEnabled", "cpu_hot_add"),
        ):
            value = doc.findtext(f"{_V}{flag}")
            if value is not None:
                setattr(spec, attr, value.strip() == "true")
    elif section == "guestCustomizationSection":
        doc = call.doc("GuestCustomizationSection")
        spec.customization_enabled = doc.findtext(f"{_V}Enabled", "false").strip() == "true"
        spec.computer_name = doc.findtext(f"{_V}ComputerName", spec.computer_name)
        password = doc.findtext(f"{_V}AdminPassword")
        spec.admin_password = password or None
        spec.admin_password_enabled = (
            doc.findtext(f"{_V}AdminPasswordEnabled", "true").strip() == "true"
        )
    else:
        raise CloudError(405, "METHOD_NOT_ALLOWED", f"{section} cannot be updated.")
    return task_response(call, ops.update_section(call.cloud, _user(call), vm))


def reconfigure_vm(call: Call) -> Response:
    vm = _vm(call)
    doc = call.doc("Vm")
    if doc.get("name"):
        vm.spec.name = doc.get("name", vm.spec.name)
    take_description(vm, doc)
    for item in doc.iter(f"{{{OVF_NS}}}Item"):
        kind = item.findtext(f"{{{RASD_NS}}}ResourceType")
        if kind == "3":
            vm.spec.cpus = _quantity(item)
        elif kind == "4":
            vm.spec.memory_mb = _quantity(item)
    return task_response(call, ops.update_section(call.cloud, _user(call), vm))


def vapp_section(call: Call) -> Response:
    vapp = _vapp(call)
    href = call.view.url(f"vApp/vapp-{vapp.id}")
    section = call.params["section"]
    if call.request.method == "PUT":
        expected = {
            "leaseSettingsSection": "LeaseSettingsSection",
            "startupSection": "StartupSection",
            "networkConfigSection": "NetworkConfigSection",
        }.get(section)
        if expected is None:
            raise CloudError(405, "METHOD_NOT_ALLOWED", f"{section} cannot be updated.")
        call.doc(expected)
        return task_response(call, ops.update_section(call.cloud, _user(call), vapp))
    builders = {
        "leaseSettingsSection": lambda: render.lease_section(call.view, href),
        "startupSection": lambda: render.startup_section(call.view, vapp, href),
        "networkConfigSection": lambda: render.network_config_section(call.view, vapp, href),
        "snapshotSection": lambda: render.snapshot_section(
            call.view, href, vapp.snapshot, vapp.status
        ),
    }
    if section == "snapshotSection" and not call.view.at_least(render.SNAPSHOTS_SINCE):
        del builders[section]
    if section not in builders:
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"vApps have no section {section}.")
    return xml(call, builders[section]())


def product_sections(call: Call) -> Response:
    entity_id = call.params["id"]
    kind = call.params.get("kind", "vapp")
    if kind == "vm":
        _vm(call)
    else:
        _vapp(call)
    href = call.view.url(f"vApp/{kind}-{entity_id}/productSections/")
    if call.request.method == "PUT":
        doc = call.doc("ProductSectionList")
        call.cloud.product_sections[entity_id] = [
            etree.tostring(s) for s in doc.iterfind(f"{{{OVF_NS}}}ProductSection")
        ]
        entity, _ = ops.entity_and_kind(call.cloud, entity_id)
        return task_response(call, ops.update_section(call.cloud, _user(call), entity))
    return xml(call, _product_section_list(call, entity_id, href, editable=True))


def template_section(call: Call) -> Response:
    """GET a template's lease or network configuration section at its href."""
    tmpl = find(call.cloud.inv.templates, call.params["id"], "vApp template")
    visible(call, call.cloud.inv.vdcs[tmpl.vdc_id].org_id, "vApp template")
    href = call.view.url(f"vAppTemplate/vappTemplate-{tmpl.id}")
    builders = {
        "leaseSettingsSection": lambda: render.lease_template_section(href),
        "networkConfigSection": lambda: render.network_config_section(call.view, tmpl, href),
    }
    section = call.params["section"]
    if section not in builders:
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"vApp templates have no section {section}.")
    return xml(call, builders[section]())


def template_product_sections(call: Call) -> Response:
    """A template's product sections (1.5 [NEW]): read, and replaced by a PUT (a Task)."""
    tmpl = find(call.cloud.inv.templates, call.params["id"], "vApp template")
    visible(call, call.cloud.inv.vdcs[tmpl.vdc_id].org_id, "vApp template")
    href = call.view.url(f"vAppTemplate/vappTemplate-{tmpl.id}/productSections/")
    if call.request.method == "PUT":
        doc = call.doc("ProductSectionList")
        call.cloud.ensure_not_busy(tmpl.id, tmpl.name)
        call.cloud.product_sections[tmpl.id] = [
            etree.tostring(s) for s in doc.iterfind(f"{{{OVF_NS}}}ProductSection")
        ]
        task = call.cloud.engine.start(
            org_id=call.cloud.inv.vdcs[tmpl.vdc_id].org_id,
            user_id=_user(call),
            operation_name="vdcUpdateTemplateProductSections",
            operation=f"Updating product sections of {tmpl.name}({tmpl.id})",
            owner_kind="vAppTemplate",
            owner_id=tmpl.id,
            owner_name=tmpl.name,
            weight=0.5,
        )
        return task_response(call, task)
    return xml(call, _product_section_list(call, tmpl.id, href, editable=True))


def _product_section_list(call: Call, entity_id: str, href: str, editable: bool) -> etree._Element:
    root = V.ProductSectionList({"href": href, "type": mt("productSections")})
    if editable:
        root.append(link("edit", href, mt("productSections")))
    for raw in call.cloud.product_sections.get(entity_id, []):
        root.append(etree.fromstring(raw))
    if not call.cloud.product_sections.get(entity_id):
        section = OVF.ProductSection({f"{{{OVF_NS}}}required": "false"})
        section.append(OVF.Info("Information about the installed software"))
        root.append(section)
    return root
