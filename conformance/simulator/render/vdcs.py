"""Provider VDCs, their storage profiles and VDC references; an AdminVdc's own links."""

from __future__ import annotations

from lxml import etree

from .. import paths
from ..model import ProviderVdc, Vdc
from .common import V, View, admin_mt, entity_attrs, link, ref, text


def provider_path(id_: str) -> str:
    return f"admin/providervdc/{id_}"


def profile_path(id_: str) -> str:
    return f"admin/pvdcStorageProfile/{id_}"


def provider_vdc(view: View, provider: ProviderVdc) -> etree._Element:
    href = view.url(provider_path(provider.id))
    root = V.ProviderVdc(
        entity_attrs(
            view, provider.name, "providervdc", provider.id, href, admin_mt("providervdc"), status=1
        )
    )
    root.append(link("up", view.url("admin/"), admin_mt("vcloud")))
    root.append(link("down", f"{href}/vdcReferences", admin_mt("vdcReferences")))
    if provider.description:
        root.append(text("Description", provider.description))
    profiles = V.StorageProfiles()
    for id_, name in provider.storage_profiles.items():
        profiles.append(
            ref(
                "ProviderVdcStorageProfile",
                view.url(profile_path(id_)),
                admin_mt("pvdcStorageProfile"),
                name,
            )
        )
    root.append(profiles)
    root.append(text("IsEnabled", True))
    return root


def vdc_references(view: View, provider: ProviderVdc) -> etree._Element:
    href = view.url(provider_path(provider.id)) + "/vdcReferences"
    root = V.VdcReferences({"href": href, "type": admin_mt("vdcReferences")})
    root.append(link("up", view.url(provider_path(provider.id)), admin_mt("providervdc")))
    for vdc in view.cloud.inv.vdcs.values():
        if vdc.provider_id == provider.id:
            root.append(
                ref("VdcReference", view.url(paths.admin_vdc(vdc.id)), admin_mt("vdc"), vdc.name)
            )
    return root


def storage_profile(view: View, provider: ProviderVdc, id_: str) -> etree._Element:
    href = view.url(profile_path(id_))
    name = provider.storage_profiles[id_]
    root = V.ProviderVdcStorageProfile(
        entity_attrs(
            view, name, "providervdcstorageprofile", id_, href, admin_mt("pvdcStorageProfile")
        )
    )
    root.append(link("up", view.url(provider_path(provider.id)), admin_mt("providervdc")))
    root.append(text("Enabled", True))
    root.append(text("Units", "MB"))
    root.append(text("CapacityTotal", 4194304))
    root.append(text("CapacityUsed", 0))
    return root


def admin_vdc_links(view: View, vdc: Vdc, href: str) -> list[etree._Element]:
    """enable or disable, and remove once disabled (the guide's order of operations)."""
    out = [
        link(
            "disable" if vdc.enabled else "enable",
            f"{href}/action/" + ("disable" if vdc.enabled else "enable"),
        )
    ]
    if not vdc.enabled:
        out.append(link("remove", href))
    return out
