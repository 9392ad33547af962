"""Independent disks, the VMs they attach to, screen tickets and compliance results."""

from __future__ import annotations

from lxml import etree

from ... import states
from .. import paths
from ..model import Disk, Vm
from .common import V, View, admin_mt, entity_attrs, iso, link, mt, ref, text
from .tasks import tasks_in_progress

#: Independent disks, reconfigureVm-era VM actions and compliance exist from API 5.1.
DISKS_SINCE = "5.1"
COMPLIANCE_TYPE = "application/vnd.vmware.vm.complianceResult+xml"


def disk(view: View, item: Disk) -> etree._Element:
    href = view.url(paths.disk(item.id))
    root = V.Disk(
        entity_attrs(
            view,
            item.name,
            "disk",
            item.id,
            href,
            mt("disk"),
            status=item.status,
            size=item.size_mb * 1024 * 1024,
            busType=item.bus_type,
            busSubType=item.bus_sub_type,
        )
    )
    tasks = tasks_in_progress(view, item.id)
    if tasks is None:
        root.append(link("edit", href, mt("disk")))
        if item.vm_id is None:
            root.append(link("remove", href))
    root.append(link("up", view.url(paths.vdc(item.vdc_id)), mt("vdc")))
    root.append(link("down", f"{href}/attachedVms", mt("vms")))
    root.append(link("down", f"{href}/metadata", mt("metadata")))
    if item.description:
        root.append(text("Description", item.description))
    if tasks is not None:
        root.append(tasks)
    profile = next((p for p in view.cloud.inv.profiles_of(item.vdc_id) if p.default), None)
    if profile is not None:
        root.append(
            ref(
                "StorageProfile",
                view.url(paths.storage_profile(profile.id)),
                mt("vdcStorageProfile"),
                profile.name,
            )
        )
    owner = V.Owner({"type": mt("owner")})
    user = view.cloud.inv.users.get(item.owner_id)
    if user is not None:
        owner.append(ref("User", view.url(paths.user(user.id)), admin_mt("user"), user.name))
    root.append(owner)
    return root


def attached_vms(view: View, item: Disk) -> etree._Element:
    href = view.url(paths.disk(item.id)) + "/attachedVms"
    root = V.Vms({"href": href, "type": mt("vms")})
    root.append(link("up", view.url(paths.disk(item.id)), mt("disk")))
    vm = view.cloud.inv.vms.get(item.vm_id or "")
    if vm is not None:
        root.append(ref("VmReference", view.url(paths.vm(vm.id)), mt("vm"), vm.spec.name))
    return root


def screen_ticket(vm: Vm, host: str) -> etree._Element:
    """A console ticket: an opaque mks:// URL, valid for a short while."""
    return V.ScreenTicket(f"mks://{host}/vm-{vm.id}/ticket-{vm.id[:8]}")


def compliance_result(view: View, vm: Vm) -> etree._Element:
    # ComplianceResultType is not a resource: no href, type or links.
    root = V.ComplianceResult()
    checked = vm.compliance_checked is not None
    root.append(text("ComplianceStatus", "COMPLIANT" if checked else "UNKNOWN"))
    if checked:
        root.append(text("ComplianceCheckTime", iso(vm.compliance_checked)))
    return root


def vm_links(view: View, vm: Vm, href: str, busy: bool) -> list[etree._Element]:
    """The VM's device and maintenance action links legal in its state."""
    if busy:
        return []
    out = []
    powered_on = vm.status == states.EntityStatus.POWERED_ON
    powered_off = vm.status == states.EntityStatus.POWERED_OFF
    if powered_on:
        out.append(link("installVmwareTools", f"{href}/action/installVMwareTools"))
    out.append(link("consolidate", f"{href}/action/consolidate"))
    if powered_off:
        out.append(link("upgrade", f"{href}/action/upgradeHardwareVersion"))
    if view.at_least(DISKS_SINCE):
        out.append(link("checkCompliance", f"{href}/action/checkCompliance"))
        out.append(link("down", f"{href}/complianceResult", COMPLIANCE_TYPE))
        out.append(
            link("disk:attach", f"{href}/disk/action/attach", mt("diskAttachOrDetachParams"))
        )
        out.append(
            link("disk:detach", f"{href}/disk/action/detach", mt("diskAttachOrDetachParams"))
        )
    return out
