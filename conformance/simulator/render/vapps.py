"""vApp, VM and vApp template representations, with their sections.

Links are state-aware through ``states.ACTION_RULES``: an action link appears
exactly when the action is legal for the entity's status and deployed flag.
"""

from __future__ import annotations

from lxml import etree

from ... import states
from .. import paths
from ..model import Network, Snapshot, Template, User, VApp, Vm, VmSpec
from . import devices, provisioning
from .common import (
    OVF,
    RASD,
    V,
    View,
    admin_mt,
    entity_attrs,
    iso,
    link,
    mt,
    ref,
    text,
)
from .entities import network_configuration
from .tasks import tasks_in_progress

OVF_NS = "http://schemas.dmtf.org/ovf/envelope/1"
VCLOUD_NS = "http://www.vmware.com/vcloud/v1.5"

#: Snapshots (SnapshotSection, CreateSnapshotParams) exist from API 5.1.
SNAPSHOTS_SINCE = "5.1"

#: rel -> (path suffix, body media type or None)
ACTION_LINKS = {
    "power:powerOn": ("power/action/powerOn", None),
    "power:powerOff": ("power/action/powerOff", None),
    "power:reboot": ("power/action/reboot", None),
    "power:reset": ("power/action/reset", None),
    "power:shutdown": ("power/action/shutdown", None),
    "power:suspend": ("power/action/suspend", None),
    "discardState": ("action/discardSuspendedState", None),
    "deploy": ("action/deploy", mt("deployVAppParams")),
    "undeploy": ("action/undeploy", mt("undeployVAppParams")),
}


def _info(message: str) -> etree._Element:
    return OVF.Info(message)


def _section(tag: str, href: str, media_type: str, info: str, maker=V) -> etree._Element:  # type: ignore[no-untyped-def]
    el = getattr(maker, tag)(
        {f"{{{VCLOUD_NS}}}href": href, f"{{{VCLOUD_NS}}}type": media_type}
        if maker is OVF
        else {"href": href, "type": media_type}
    )
    el.append(_info(info))
    return el


def action_links(
    view: View, href: str, status: int, deployed: bool, busy: bool
) -> list[etree._Element]:
    """Power, deploy and remove links legal in this state (none while a task runs)."""
    out: list[etree._Element] = []
    if busy:
        return out
    allowed = states.allowed_actions(status, deployed)
    if view.faults.on("link-wrong-state") and status == states.EntityStatus.POWERED_ON:
        allowed = allowed | {"power:powerOn"}
    for rel, (suffix, media_type) in ACTION_LINKS.items():
        if rel in allowed:
            out.append(link(rel, f"{href}/{suffix}", media_type))
    return out


def vapp(view: View, vapp: VApp, embedded_task: etree._Element | None = None) -> etree._Element:
    cloud = view.cloud
    href = view.url(paths.vapp(vapp.id))
    attrs = entity_attrs(
        view,
        vapp.name,
        "vapp",
        vapp.id,
        href,
        mt("vApp"),
        status=vapp.status,
        deployed=vapp.deployed,
        ovfDescriptorUploaded=True,
    )
    root = V.VApp(attrs)
    tasks = tasks_in_progress(view, vapp.id)
    busy = tasks is not None
    creating = vapp.status in states.NOT_READY
    if not creating:
        root.extend(action_links(view, href, vapp.status, vapp.deployed, busy))
        if "remove" in states.allowed_actions(vapp.status, vapp.deployed) and not busy:
            root.append(link("remove", href))
        root.append(link("edit", href, mt("vApp")))
        root.append(link("recompose", f"{href}/action/recomposeVApp", mt("recomposeVAppParams")))
        root.append(link("controlAccess", f"{href}/action/controlAccess", mt("controlAccess")))
        root.append(link("down", f"{href}/controlAccess/", mt("controlAccess")))
        root.append(link("up", view.url(paths.vdc(vapp.vdc_id)), mt("vdc")))
        root.append(link("down", f"{href}/owner", mt("owner")))
        root.append(link("down", f"{href}/metadata", mt("metadata")))
        root.append(link("down", f"{href}/productSections/", mt("productSections")))
        if view.at_least(SNAPSHOTS_SINCE):
            root.append(
                link("snapshot:create", f"{href}/action/createSnapshot", mt("createSnapshotParams"))
            )
        if vapp.snapshot is not None and view.at_least(SNAPSHOTS_SINCE):
            root.append(link("snapshot:revertToCurrent", f"{href}/action/revertToCurrentSnapshot"))
            root.append(link("snapshot:removeAll", f"{href}/action/removeAllSnapshots"))
    else:
        root.append(link("up", view.url(paths.vdc(vapp.vdc_id)), mt("vdc")))
    if vapp.description:
        root.append(text("Description", vapp.description))
    if tasks is not None:
        root.append(tasks)
    elif embedded_task is not None:
        container = V.Tasks()
        container.append(embedded_task)
        root.append(container)
    if vapp.upload_pending:
        root.append(provisioning.upload_files(view, "vapp", vapp.id, "descriptor.ovf", 0))
    if not creating:
        root.append(lease_section(view, href))
        root.append(startup_section(view, vapp, href))
        root.append(network_section(vapp, cloud))
        root.append(network_config_section(view, vapp, href))
        if view.at_least(SNAPSHOTS_SINCE):
            root.append(snapshot_section(view, href, vapp.snapshot, vapp.status))
    root.append(text("DateCreated", vapp.created or iso(None)))
    root.append(owner(view, None, cloud.inv.users.get(vapp.owner_id), editable=False))
    if view.faults.on("schema-unknown-element"):
        root.append(text("Priority", "high"))
    root.append(text("InMaintenanceMode", False))
    if not creating and vapp.vm_ids:
        children = V.Children()
        for vm_id in vapp.vm_ids:
            vm_obj = cloud.inv.vms.get(vm_id)
            if vm_obj is not None:
                children.append(vm(view, vm_obj))
        root.append(children)
    return root


def owner(view: View, href: str | None, user: User | None, editable: bool) -> etree._Element:
    """An Owner: embedded in a vApp or template (no href), or answered at ``.../owner``."""
    el = V.Owner({"href": href, "type": mt("owner")} if href else {"type": mt("owner")})
    if editable and href:
        el.append(link("edit", href, mt("owner")))
    if user is not None:
        el.append(ref("User", view.url(paths.user(user.id)), admin_mt("user"), user.name))
    return el


def template_owner(view: View) -> User:
    """Templates belong to the user who published them: the seeded administrator."""
    return next(iter(view.cloud.inv.users.values()))


def lease_section(view: View, href: str) -> etree._Element:
    section = _section(
        "LeaseSettingsSection",
        f"{href}/leaseSettingsSection/",
        mt("leaseSettingsSection"),
        "Lease settings section",
    )
    section.set(f"{{{OVF_NS}}}required", "false")
    section.append(link("edit", f"{href}/leaseSettingsSection/", mt("leaseSettingsSection")))
    section.append(text("DeploymentLeaseInSeconds", 604800))
    section.append(text("StorageLeaseInSeconds", 2592000))
    return section


def startup_section(view: View, vapp: VApp, href: str) -> etree._Element:
    section = OVF.StartupSection(
        {
            f"{{{VCLOUD_NS}}}href": f"{href}/startupSection/",
            f"{{{VCLOUD_NS}}}type": mt("startupSection"),
        }
    )
    section.append(_info("VApp startup section"))
    for order, vm_id in enumerate(vapp.vm_ids):
        vm_obj = view.cloud.inv.vms.get(vm_id)
        if vm_obj is None:
            continue
        section.append(
            OVF.Item(
                {
                    f"{{{OVF_NS}}}id": vm_obj.spec.name,
                    f"{{{OVF_NS}}}order": str(order),
                    f"{{{OVF_NS}}}startAction": "powerOn",
                    f"{{{OVF_NS}}}startDelay": "0",
                    f"{{{OVF_NS}}}stopAction": "powerOff",
                    f"{{{OVF_NS}}}stopDelay": "0",
                }
            )
        )
    section.append(link("edit", f"{href}/startupSection/", mt("startupSection")))
    return section


def network_section(vapp: VApp, cloud) -> etree._Element:  # type: ignore[no-untyped-def]
    section = OVF.NetworkSection()
    section.append(_info("The list of logical networks"))
    for name in vapp.network_names:
        net = OVF.Network({f"{{{OVF_NS}}}name": name})
        net.append(OVF.Description(f"{name} network"))
        section.append(net)
    return section


def _org_network(view: View, name: str) -> Network | None:
    return next((n for n in view.cloud.inv.networks.values() if n.name == name), None)


def network_config_section(view: View, vapp: VApp | Template, href: str) -> etree._Element:
    section = _section(
        "NetworkConfigSection",
        f"{href}/networkConfigSection/",
        mt("networkConfigSection"),
        "The configuration parameters for logical networks",
    )
    if isinstance(vapp, VApp):
        section.append(link("edit", f"{href}/networkConfigSection/", mt("networkConfigSection")))
    names = (
        vapp.network_names
        if isinstance(vapp, VApp)
        else sorted({s.network for s in vapp.vms if s.network})
    )
    for name in names:
        parent = _org_network(view, name)
        config = V.NetworkConfig({"networkName": name})
        if parent is not None:
            conf = network_configuration(parent, fence_mode="bridged")
            parent_ref = ref("ParentNetwork", view.url(paths.network(parent.id)), None, parent.name)
            conf.insert(list(conf).index(conf.find(f"{{{VCLOUD_NS}}}FenceMode")), parent_ref)
            config.append(conf)
        config.append(text("IsDeployed", isinstance(vapp, VApp) and vapp.deployed))
        section.append(config)
    return section


def snapshot_section(
    view: View, href: str, snapshot: Snapshot | None, status: int
) -> etree._Element:
    section = _section(
        "SnapshotSection",
        f"{href}/snapshotSection",
        mt("snapshotSection"),
        "Snapshot information section",
    )
    if snapshot is not None:
        section.append(
            V.Snapshot(
                {
                    "poweredOn": "true" if snapshot.memory else "false",
                    "created": snapshot.created,
                    "size": str(snapshot.size),
                }
            )
        )
    return section


# -- VM -------------------------------------------------------------------------------


def vm(view: View, vm_obj: Vm) -> etree._Element:
    href = view.url(paths.vm(vm_obj.id))
    spec = vm_obj.spec
    attrs = entity_attrs(
        view,
        spec.name,
        "vm",
        vm_obj.id,
        href,
        mt("vm"),
        status=vm_obj.status,
        deployed=vm_obj.deployed,
        needsCustomization=False,
        nestedHypervisorEnabled=False,
    )
    root = V.Vm(attrs)
    tasks = tasks_in_progress(view, vm_obj.id)
    busy = tasks is not None
    root.extend(action_links(view, href, vm_obj.status, vm_obj.deployed, busy))
    if "remove" in states.allowed_actions(vm_obj.status, vm_obj.deployed) and not busy:
        root.append(link("remove", href))
    root.extend(devices.vm_links(view, vm_obj, href, busy))
    root.append(link("edit", href, mt("vm")))
    root.append(link("up", view.url(paths.vapp(vm_obj.vapp_id)), mt("vApp")))
    root.append(link("down", f"{href}/metadata", mt("metadata")))
    root.append(link("down", f"{href}/productSections/", mt("productSections")))
    root.append(link("reconfigureVm", f"{href}/action/reconfigureVm", mt("vm")))
    if vm_obj.status == states.EntityStatus.POWERED_ON:
        root.append(link("screen:thumbnail", f"{href}/screen"))
        root.append(link("screen:acquireTicket", f"{href}/screen/action/acquireTicket"))
    root.append(
        link(
            "media:insertMedia", f"{href}/media/action/insertMedia", mt("mediaInsertOrEjectParams")
        )
    )
    root.append(
        link("media:ejectMedia", f"{href}/media/action/ejectMedia", mt("mediaInsertOrEjectParams"))
    )
    if vm_obj.description:
        root.append(text("Description", vm_obj.description))
    if tasks is not None:
        root.append(tasks)
    root.append(virtual_hardware_section(view, spec, href, editable=True))
    root.append(operating_system_section(view, spec, href, editable=True))
    root.append(network_connection_section(view, spec, href, editable=True))
    root.append(guest_customization_section(view, spec, href, vm_obj.id, editable=True))
    root.append(runtime_info_section(href))
    root.append(text("DateCreated", iso(None)))
    root.append(text("VAppScopedLocalId", spec.name))
    root.append(vm_capabilities(spec, href))
    profile = _default_profile(view, vm_obj.vapp_id)
    if profile is not None:
        root.append(profile)
    return root


def vm_capabilities(spec: VmSpec, href: str) -> etree._Element:
    url = f"{href}/vmCapabilities/"
    caps = V.VmCapabilities({"href": url, "type": mt("vmCapabilitiesSection")})
    caps.append(link("edit", url, mt("vmCapabilitiesSection")))
    caps.append(text("MemoryHotAddEnabled", spec.memory_hot_add))
    caps.append(text("CpuHotAddEnabled", spec.cpu_hot_add))
    return caps


def _default_profile(view: View, vapp_id: str) -> etree._Element | None:
    vapp_obj = view.cloud.inv.vapps.get(vapp_id)
    if vapp_obj is None:
        return None
    profile = next((p for p in view.cloud.inv.profiles_of(vapp_obj.vdc_id) if p.default), None)
    if profile is None:
        return None
    return ref(
        "StorageProfile",
        view.url(paths.storage_profile(profile.id)),
        mt("vdcStorageProfile"),
        profile.name,
    )


def _rasd(
    children: list[tuple[str, object]], attrs: dict[str, str] | None = None
) -> etree._Element:
    item = OVF.Item(attrs or {})
    for tag, value in children:
        if isinstance(value, etree._Element):
            item.append(value)
        else:
            item.append(getattr(RASD, tag)(str(value)))
    return item


def hardware_items(
    view: View, spec: VmSpec, href: str, editable: bool = True
) -> list[etree._Element]:
    vcloud = f"{{{VCLOUD_NS}}}"
    items: list[etree._Element] = []
    if spec.network:
        connection = RASD.Connection(
            spec.network,
            {
                f"{vcloud}ipAddressingMode": spec.ip_mode,
                f"{vcloud}primaryNetworkConnection": "true",
            },
        )
        items.append(
            _rasd(
                [
                    ("Address", spec.mac),
                    ("AddressOnParent", 0),
                    ("AutomaticAllocation", "true"),
                    ("Connection", connection),
                    ("Description", "Vmxnet3 ethernet adapter"),
                    ("ElementName", "Network adapter 0"),
                    ("InstanceID", 1),
                    ("ResourceSubType", "VMXNET3"),
                    ("ResourceType", 10),
                ]
            )
        )
    items.append(
        _rasd(
            [
                ("Address", 0),
                ("Description", "SCSI Controller"),
                ("ElementName", "SCSI Controller 0"),
                ("InstanceID", 2),
                ("ResourceSubType", "lsilogic"),
                ("ResourceType", 6),
            ]
        )
    )
    host = RASD.HostResource(
        {
            f"{vcloud}capacity": str(spec.disk_mb),
            f"{vcloud}busSubType": "lsilogic",
            f"{vcloud}busType": "6",
        }
    )
    items.append(
        _rasd(
            [
                ("AddressOnParent", 0),
                ("Description", "Hard disk"),
                ("ElementName", "Hard disk 1"),
                ("HostResource", host),
                ("InstanceID", 2000),
                ("Parent", 2),
                ("ResourceType", 17),
            ]
        )
    )
    items.append(cpu_item(view, spec, href, editable))
    items.append(memory_item(view, spec, href, editable))
    return items


def _quantity_item(
    part: str,
    units: str,
    description: str,
    element_name: str,
    instance: int,
    kind: int,
    quantity: int,
    href: str,
    editable: bool,
) -> etree._Element:
    """A cpu or memory RASD item; a VM's (editable) one has its own href and edit link."""
    url = f"{href}/virtualHardwareSection/{part}"
    item = _rasd(
        [
            ("AllocationUnits", units),
            ("Description", description),
            ("ElementName", element_name),
            ("InstanceID", instance),
            ("Reservation", 0),
            ("ResourceType", kind),
            ("VirtualQuantity", quantity),
            ("Weight", 0),
        ],
        {f"{{{VCLOUD_NS}}}href": url, f"{{{VCLOUD_NS}}}type": mt("rasdItem")} if editable else None,
    )
    if editable:
        item.append(link("edit", url, mt("rasdItem")))
    return item


def cpu_item(view: View, spec: VmSpec, href: str, editable: bool = True) -> etree._Element:
    return _quantity_item(
        "cpu",
        "hertz * 10^6",
        "Number of Virtual CPUs",
        f"{spec.cpus} virtual CPU(s)",
        4,
        3,
        spec.cpus,
        href,
        editable,
    )


def memory_item(view: View, spec: VmSpec, href: str, editable: bool = True) -> etree._Element:
    return _quantity_item(
        "memory",
        "byte * 2^20",
        "Memory Size",
        f"{spec.memory_mb} MB of memory",
        5,
        4,
        spec.memory_mb,
        href,
        editable,
    )


def virtual_hardware_section(view: View, spec: VmSpec, href: str, editable: bool) -> etree._Element:
    vhs = f"{href}/virtualHardwareSection/"
    section = OVF.VirtualHardwareSection(
        {
            f"{{{VCLOUD_NS}}}href": vhs,
            f"{{{VCLOUD_NS}}}type": mt("virtualHardwareSection"),
            f"{{{OVF_NS}}}transport": "",
        }
    )
    section.append(_info("Virtual hardware requirements"))
    system = OVF.System()
    vssd = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"
    for tag, value in (
        ("ElementName", "Virtual Hardware Family"),
        ("InstanceID", 0),
        ("VirtualSystemIdentifier", spec.name),
        ("VirtualSystemType", spec.hardware_version),
    ):
        el = etree.SubElement(system, f"{{{vssd}}}{tag}")
        el.text = str(value)
    section.append(system)
    section.extend(hardware_items(view, spec, href, editable))
    if editable:
        section.append(link("edit", vhs, mt("virtualHardwareSection")))
        for part in ("cpu", "memory", "disks", "media", "networkCards"):
            kind = mt("rasdItem") if part in ("cpu", "memory") else mt("rasdItemsList")
            section.append(link("down", f"{vhs}{part}", kind))
            if part in ("cpu", "memory", "disks", "networkCards"):
                section.append(link("edit", f"{vhs}{part}", kind))
    return section


def rasd_items_list(view: View, spec: VmSpec, href: str, part: str) -> etree._Element:
    url = f"{href}/virtualHardwareSection/{part}"
    root = V.RasdItemsList({"href": url, "type": mt("rasdItemsList")})
    root.append(link("edit", url, mt("rasdItemsList")))
    wanted = {"disks": ("6", "17"), "networkCards": ("10",), "media": ("15", "16")}[part]
    for item in hardware_items(view, spec, href):
        resource_type = next(
            (c.text for c in item if etree.QName(c).localname == "ResourceType"), None
        )
        if resource_type in wanted:
            root.append(item)
    return root


def operating_system_section(view: View, spec: VmSpec, href: str, editable: bool) -> etree._Element:
    url = f"{href}/operatingSystemSection/"
    section = OVF.OperatingSystemSection(
        {
            f"{{{OVF_NS}}}id": "94",
            f"{{{VCLOUD_NS}}}href": url,
            f"{{{VCLOUD_NS}}}type": mt("operatingSystemSection"),
        }
    )
    section.append(_info("Specifies the operating system installed"))
    section.append(OVF.Description(spec.os_description))
    if editable:
        section.append(link("edit", url, mt("operatingSystemSection")))
    return section


def network_connection_section(
    view: View, spec: VmSpec, href: str, editable: bool
) -> etree._Element:
    url = f"{href}/networkConnectionSection/"
    section = _section(
        "NetworkConnectionSection",
        url,
        mt("networkConnectionSection"),
        "Specifies the available VM network connections",
    )
    section.set(f"{{{OVF_NS}}}required", "false")
    if spec.network:
        section.append(text("PrimaryNetworkConnectionIndex", 0))
        conn = V.NetworkConnection({"network": spec.network, "needsCustomization": "false"})
        conn.append(text("NetworkConnectionIndex", 0))
        if spec.ip_address:
            conn.append(text("IpAddress", spec.ip_address))
        conn.append(text("IsConnected", True))
        conn.append(text("MACAddress", spec.mac))
        conn.append(text("IpAddressAllocationMode", spec.ip_mode))
        section.append(conn)
    if editable:
        section.append(link("edit", url, mt("networkConnectionSection")))
    return section


def guest_customization_section(
    view: View, spec: VmSpec, href: str, vm_id: str, editable: bool
) -> etree._Element:
    url = f"{href}/guestCustomizationSection/"
    section = _section(
        "GuestCustomizationSection",
        url,
        mt("guestCustomizationSection"),
        "Specifies Guest OS Customization Settings",
    )
    section.set(f"{{{OVF_NS}}}required", "false")
    section.append(text("Enabled", spec.customization_enabled))
    section.append(text("ChangeSid", False))
    section.append(text("VirtualMachineId", vm_id))
    section.append(text("JoinDomainEnabled", False))
    section.append(text("UseOrgSettings", False))
    section.append(text("AdminPasswordEnabled", spec.admin_password_enabled))
    section.append(text("AdminPasswordAuto", spec.admin_password is None))
    if spec.admin_password:
        section.append(text("AdminPassword", spec.admin_password))
    section.append(text("ResetPasswordRequired", False))
    section.append(text("ComputerName", spec.computer_name))
    if editable:
        section.append(link("edit", url, mt("guestCustomizationSection")))
    return section


def runtime_info_section(href: str) -> etree._Element:
    section = _section(
        "RuntimeInfoSection",
        f"{href}/runtimeInfoSection",
        mt("runtimeInfoSection"),
        "Specifies Runtime info",
    )
    tools = V.VMWareTools({"version": "10346"})
    section.append(tools)
    return section


# -- vApp template ---------------------------------------------------------------------


def template(view: View, tmpl: Template) -> etree._Element:
    href = view.url(paths.template(tmpl.id))
    attrs = entity_attrs(
        view,
        tmpl.name,
        "vapptemplate",
        tmpl.id,
        href,
        mt("vAppTemplate"),
        status=tmpl.status,
        ovfDescriptorUploaded=not tmpl.upload_pending,
        goldMaster=False,
    )
    root = V.VAppTemplate(attrs)
    root.append(link("up", view.url(paths.vdc(tmpl.vdc_id)), mt("vdc")))
    root.append(
        link("catalogItem", view.url(paths.catalog_item(_item_id(view, tmpl))), mt("catalogItem"))
    )
    root.append(link("remove", href))
    root.append(link("edit", href, mt("vAppTemplate")))
    if tmpl.download_enabled:
        root.append(link("disable", f"{href}/action/disableDownload"))
        root.append(
            link(
                "download:default",
                provisioning.transfer_url(view, "vappTemplate", tmpl.id, "descriptor.ovf"),
            )
        )
    else:
        root.append(link("enable", f"{href}/action/enableDownload"))
    root.append(link("ovf", f"{href}/ovf", "text/xml"))
    root.append(link("down", f"{href}/owner", mt("owner")))
    root.append(link("down", f"{href}/metadata", mt("metadata")))
    root.append(link("down", f"{href}/productSections/", mt("productSections")))
    if tmpl.description:
        root.append(text("Description", tmpl.description))
    tasks = tasks_in_progress(view, tmpl.id)
    if tasks is not None:
        root.append(tasks)
    if tmpl.upload_pending:
        root.append(provisioning.upload_files(view, "vappTemplate", tmpl.id, "descriptor.ovf", 0))
    root.append(owner(view, None, template_owner(view), editable=False))
    children = V.Children()
    for spec, vm_id in zip(tmpl.vms, tmpl.vm_ids, strict=False):
        children.append(template_vm(view, tmpl, spec, vm_id, embedded=True))
    root.append(children)
    if tmpl.eula:
        eula = OVF.EulaSection()
        eula.append(_info("License agreement"))
        eula.append(OVF.License(tmpl.eula))
        root.append(eula)
    root.append(lease_template_section(href))
    root.append(network_config_section(view, tmpl, href))
    root.append(text("DateCreated", iso(None)))
    return root


def _item_id(view: View, tmpl: Template) -> str:
    item = next((i for i in view.cloud.inv.catalog_items.values() if i.entity_id == tmpl.id), None)
    return item.id if item else tmpl.id


def lease_template_section(href: str) -> etree._Element:
    """A template's lease (read-only here, like the rest of a template: no edit link)."""
    section = _section(
        "LeaseSettingsSection",
        f"{href}/leaseSettingsSection/",
        mt("leaseSettingsSection"),
        "Lease settings section",
    )
    section.set(f"{{{OVF_NS}}}required", "false")
    section.append(text("StorageLeaseInSeconds", 7776000))
    return section


def template_vm(
    view: View, tmpl: Template, spec: VmSpec, vm_id: str, embedded: bool = False
) -> etree._Element:
    """A template's VM: a VAppTemplateType child inside the template's Children,
    a plain ``Vm`` (VmType, which has no goldMaster) when fetched on its own."""
    href = view.url(paths.template_vm(vm_id))
    gold = False if embedded else None
    attrs = entity_attrs(view, spec.name, "vm", vm_id, href, mt("vm"), status=8, goldMaster=gold)
    root = V.Vm(attrs)
    # Template VMs are read-only here and keep no metadata: no metadata link.
    root.append(link("up", view.url(paths.template(tmpl.id)), mt("vAppTemplate")))
    owner_less = [
        virtual_hardware_section(view, spec, href, editable=False),
        operating_system_section(view, spec, href, editable=False),
        network_connection_section(view, spec, href, editable=False),
        guest_customization_section(view, spec, href, vm_id, editable=False),
    ]
    root.extend(owner_less)
    root.append(text("VAppScopedLocalId", spec.name))
    return root
