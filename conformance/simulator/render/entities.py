"""Browsing representations: versions, Session, OrgList, Org, Vdc, catalogs, media, networks."""

from __future__ import annotations

from lxml import etree

from ...versions import ApiVersion
from .. import paths
from ..model import Catalog, CatalogItem, Media, Network, Org, Vdc
from . import provisioning, vdcs
from .common import (
    VERS,
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
from .tasks import tasks_in_progress

QUERY_RECORDS = mt("query.records")


def supported_versions(base: str, versions: tuple[ApiVersion, ...]) -> etree._Element:
    """``GET /api/versions``: every version with its login URL and media type map."""
    root = VERS.SupportedVersions()
    for version in versions:
        info = VERS.VersionInfo({"deprecated": "false"})
        info.append(text("Version", version, VERS))
        info.append(text("LoginUrl", f"{base}/sessions", VERS))
        for media_type, type_name in (
            (mt("session"), "SessionType"),
            (mt("orgList"), "OrgListType"),
        ):
            mapping = VERS.MediaTypeMapping()
            mapping.append(text("MediaType", media_type, VERS))
            mapping.append(text("ComplexTypeName", type_name, VERS))
            mapping.append(text("SchemaLocation", f"{base}/v1.5/schema/master.xsd", VERS))
            info.append(mapping)
        root.append(info)
    return root


def session(
    view: View, user: str, org: Org, user_id: str, roles: str, location_id: str
) -> etree._Element:
    attrs = {
        "user": user,
        "org": org.name,
        "userId": f"urn:vcloud:user:{user_id}",
        "roles": roles,
        "locationId": location_id,
        "href": view.url("session/"),
        "type": mt("session"),
    }
    root = V.Session(attrs)
    org_list = link("down", view.url("org/"), mt("orgList"))
    root.append(org_list)
    if view.faults.on("link-duplicate-rel"):
        root.append(link("down", view.url("org/"), mt("orgList")))
    root.append(link("down", view.url(paths.org(org.id)), mt("org"), org.name))
    root.append(link("down", view.url("query"), mt("query.queryList")))
    root.append(link("entityResolver", view.url("entity/"), mt("entity")))
    if view.is_system:
        root.append(link("down", view.url("admin/"), admin_mt("vcloud")))
        root.append(link("down", view.url("admin/extension"), admin_mt("vmwExtension")))
    root.append(link("remove", view.url("session/")))
    if view.at_least("29.0"):
        locations = V.AuthorizedLocations()
        location = V.Location({"name": "local", "href": view.url("site/")})
        for tag, value in (
            ("LocationId", location_id),
            ("SiteName", "local"),
            ("OrgName", org.name),
            ("RestApiEndpoint", view.base.rsplit("/api", 1)[0]),
            ("UIEndpoint", view.base.rsplit("/api", 1)[0] + "/tenant/" + org.name),
            ("AuthContext", org.name),
        ):
            location.append(text(tag, value))
        locations.append(location)
        root.append(locations)
    return root


def org_list(view: View, orgs: list[Org]) -> etree._Element:
    root = V.OrgList({"href": view.url("org/"), "type": mt("orgList")})
    for org in orgs:
        root.append(ref("Org", view.url(paths.org(org.id)), mt("org"), org.name))
    return root


def _query_link(view: View, query_type: str, org: Org) -> etree._Element:
    href = view.url(f"query?type={query_type}&format=records&filter=orgName=={org.name}")
    return link("down", href, QUERY_RECORDS)


def org(view: View, org: Org) -> etree._Element:
    cloud = view.cloud
    attrs = entity_attrs(view, org.name, "org", org.id, view.url(paths.org(org.id)), mt("org"))
    if view.faults.on("schema-missing-attribute"):
        del attrs["name"]
    root = V.Org(attrs)
    modern = view.at_least("33.0")
    for vdc in cloud.inv.vdcs_of(org.id):
        if not modern:
            href = view.url(paths.vdc(vdc.id))
            if view.faults.on("link-href-404"):
                href = view.url(f"vdc/{vdc.id}-gone")
            root.append(link("down", href, mt("vdc"), vdc.name))
    root.append(link("down", view.url(paths.tasks_list(org.id)), mt("tasksList")))
    for catalog in cloud.inv.catalogs_of(org.id):
        if not modern:
            kind = mt("vdc") if view.faults.on("link-type-mismatch") else mt("catalog")
            root.append(link("down", view.url(paths.catalog(catalog.id)), kind, catalog.name))
    for net in cloud.inv.networks_of(org.id):
        net_type = mt("orgNetwork") if not view.at_least("5.1") else mt("orgVdcNetwork")
        root.append(link("down", view.url(paths.network(net.id)), net_type, net.name))
    if modern:
        root.append(_query_link(view, "orgVdc", org))
        root.append(_query_link(view, "catalog", org))
    root.append(link("down", view.url(paths.org(org.id)) + "/metadata", mt("metadata")))
    # Every seeded user administers its org (or the cloud): the admin view is theirs.
    root.append(link("alternate", view.url(paths.admin_org(org.id)), admin_mt("organization")))
    if org.description:
        root.append(text("Description", org.description))
    root.append(text("FullName", org.full_name))
    return root


def _capacity(tag: str, units: str, limit: int, used: int) -> etree._Element:
    el = getattr(V, tag)()
    for child, value in (
        ("Units", units),
        ("Allocated", limit),
        ("Limit", limit),
        ("Reserved", 0),
        ("Used", used),
        ("Overhead", 0),
    ):
        el.append(text(child, value))
    return el


def vdc(view: View, vdc: Vdc, admin: bool = False) -> etree._Element:
    cloud = view.cloud
    path = paths.admin_vdc(vdc.id) if admin else paths.vdc(vdc.id)
    media_type = admin_mt("vdc") if admin else mt("vdc")
    if view.faults.on("media-type-wrong") and not admin:
        media_type = mt("org")
    attrs = entity_attrs(
        view, vdc.name, "vdc", vdc.id, view.url(path), media_type, status=1 if vdc.enabled else 0
    )
    root = (V.AdminVdc if admin else V.Vdc)(attrs)
    href = view.url(path)
    root.append(
        link(
            "up",
            view.url(paths.admin_org(vdc.org_id) if admin else paths.org(vdc.org_id)),
            admin_mt("organization") if admin else mt("org"),
        )
    )
    if not admin:
        for action, body in (
            ("instantiateVAppTemplate", "instantiateVAppTemplateParams"),
            ("composeVApp", "composeVAppParams"),
            ("cloneVApp", "cloneVAppParams"),
            ("cloneVAppTemplate", "cloneVAppTemplateParams"),
            ("cloneMedia", "cloneMediaParams"),
            ("captureVApp", "captureVAppParams"),
            ("uploadVAppTemplate", "uploadVAppTemplateParams"),
        ):
            root.append(link("add", f"{href}/action/{action}", mt(body)))
        root.append(link("add", f"{href}/media", mt("media")))
        if view.at_least("5.5"):
            root.append(link("add", f"{href}/action/instantiateOvf", mt("instantiateOvfParams")))
        if view.at_least("5.1"):
            root.append(link("add", f"{href}/disk", mt("diskCreateParams")))
        root.append(link("alternate", view.url(paths.admin_vdc(vdc.id)), admin_mt("vdc")))
    else:
        root.append(link("alternate", view.url(paths.vdc(vdc.id)), mt("vdc")))
        root.append(link("edit", href, admin_mt("vdc")))
        root.extend(vdcs.admin_vdc_links(view, vdc, href))
        if view.at_least("5.1"):  # 5.1+: networks belong to an organization VDC
            root.append(link("add", f"{href}/networks", mt("orgVdcNetwork")))
    root.append(link("down", f"{view.url(paths.vdc(vdc.id))}/metadata", mt("metadata")))
    if vdc.description:
        root.append(text("Description", vdc.description))
    tasks = tasks_in_progress(view, vdc.id)
    if tasks is not None:
        root.append(tasks)
    root.append(text("AllocationModel", vdc.allocation_model))
    used_storage = sum(p.limit_mb // 10 for p in cloud.inv.profiles_of(vdc.id))
    root.append(_capacity("StorageCapacity", "MB", 512000, used_storage))
    compute = V.ComputeCapacity()
    compute.append(_capacity("Cpu", "MHz", vdc.cpu_limit_mhz, 0))
    compute.append(_capacity("Memory", "MB", vdc.memory_limit_mb, 0))
    root.append(compute)
    entities = V.ResourceEntities()
    for tmpl in cloud.inv.templates.values():
        if tmpl.vdc_id == vdc.id:
            entities.append(
                ref(
                    "ResourceEntity",
                    view.url(paths.template(tmpl.id)),
                    mt("vAppTemplate"),
                    tmpl.name,
                )
            )
    for vapp in cloud.inv.vapps_of(vdc.id):
        entities.append(ref("ResourceEntity", view.url(paths.vapp(vapp.id)), mt("vApp"), vapp.name))
    for item in cloud.inv.media.values():
        if item.vdc_id == vdc.id:
            entities.append(
                ref("ResourceEntity", view.url(paths.media(item.id)), mt("media"), item.name)
            )
    if view.version >= ApiVersion(5, 1):  # independent disks are resource entities too
        for disk in cloud.inv.disks.values():
            if disk.vdc_id == vdc.id:
                entities.append(
                    ref("ResourceEntity", view.url(paths.disk(disk.id)), mt("disk"), disk.name)
                )
    root.append(entities)
    networks = V.AvailableNetworks()
    for net in cloud.inv.networks.values():
        if net.vdc_id == vdc.id:
            networks.append(
                ref("Network", view.url(paths.network(net.id)), mt("network"), net.name)
            )
    root.append(networks)
    caps = V.Capabilities()
    hw = V.SupportedHardwareVersions()
    for version in ("vmx-07", "vmx-08", "vmx-09"):
        hw.append(text("SupportedHardwareVersion", version))
    caps.append(hw)
    root.append(caps)
    nic = "unlimited" if view.faults.on("schema-wrong-type") else vdc.nic_quota
    root.append(text("NicQuota", nic))
    root.append(text("NetworkQuota", vdc.network_quota))
    root.append(
        text(
            "UsedNetworkCount", len([n for n in cloud.inv.networks.values() if n.vdc_id == vdc.id])
        )
    )
    root.append(text("VmQuota", vdc.vm_quota))
    root.append(text("IsEnabled", vdc.enabled))
    profiles = V.VdcStorageProfiles()
    for prof in cloud.inv.profiles_of(vdc.id):
        profiles.append(
            ref(
                "VdcStorageProfile",
                view.url(paths.storage_profile(prof.id)),
                mt("vdcStorageProfile"),
                prof.name,
            )
        )
    root.append(profiles)
    if admin:
        root.append(text("IsThinProvision", False))
        root.append(text("UsesFastProvisioning", False))
    return root


def catalog(view: View, catalog: Catalog) -> etree._Element:
    cloud = view.cloud
    href = view.url(paths.catalog(catalog.id))
    root = V.Catalog(entity_attrs(view, catalog.name, "catalog", catalog.id, href, mt("catalog")))
    root.append(link("up", view.url(paths.org(catalog.org_id)), mt("org")))
    root.append(link("add", f"{href}/catalogItems", mt("catalogItem")))
    root.append(link("add", f"{href}/action/upload", mt("media")))
    if view.at_least("5.5"):
        root.append(link("add", f"{href}/action/upload", mt("uploadVAppTemplateParams")))
        root.append(link("add", f"{href}/action/captureVApp", mt("captureVAppParams")))
        root.append(link("copy", f"{href}/action/copy", mt("copyOrMoveCatalogItemParams")))
        root.append(link("move", f"{href}/action/move", mt("copyOrMoveCatalogItemParams")))
    root.append(link("down", f"{href}/metadata", mt("metadata")))
    root.extend(provisioning.catalog_links(view, href))
    if catalog.description:
        root.append(text("Description", catalog.description))
    items = V.CatalogItems()
    for item in cloud.inv.items_of(catalog.id):
        items.append(
            ref(
                "CatalogItem",
                view.url(paths.catalog_item(item.id)),
                mt("catalogItem"),
                item.name,
                id_=item.id,
            )
        )
    root.append(items)
    root.append(text("IsPublished", catalog.published))
    root.append(text("DateCreated", iso(None)))
    root.append(text("VersionNumber", 1))
    return root


def catalog_item(view: View, item: CatalogItem) -> etree._Element:
    href = view.url(paths.catalog_item(item.id))
    size = None
    if item.entity_kind == "media":
        found = view.cloud.inv.media.get(item.entity_id)
        size = found.size if found else None
    root = V.CatalogItem(
        entity_attrs(view, item.name, "catalogitem", item.id, href, mt("catalogItem"), size=size)
    )
    root.append(link("up", view.url(paths.catalog(item.catalog_id)), mt("catalog")))
    root.append(link("down", f"{href}/metadata", mt("metadata")))
    root.append(link("edit", href, mt("catalogItem")))
    root.append(link("remove", href))
    if item.description:
        root.append(text("Description", item.description))
    if item.entity_kind == "media":
        target = view.cloud.inv.media.get(item.entity_id)
        root.append(
            ref(
                "Entity",
                view.url(paths.media(item.entity_id)),
                mt("media"),
                target.name if target else item.name,
            )
        )
    else:
        target_t = view.cloud.inv.templates.get(item.entity_id)
        root.append(
            ref(
                "Entity",
                view.url(paths.template(item.entity_id)),
                mt("vAppTemplate"),
                target_t.name if target_t else item.name,
            )
        )
    root.append(text("DateCreated", iso(None)))
    root.append(text("VersionNumber", 1))
    return root


def media(view: View, item: Media) -> etree._Element:
    href = view.url(paths.media(item.id))
    root = V.Media(
        entity_attrs(
            view,
            item.name,
            "media",
            item.id,
            href,
            mt("media"),
            status=item.status,
            imageType=item.image_type,
            size=item.size,
        )
    )
    root.append(link("up", view.url(paths.vdc(item.vdc_id)), mt("vdc")))
    root.append(link("edit", href, mt("media")))
    root.append(link("remove", href))
    root.append(link("down", f"{href}/metadata", mt("metadata")))
    root.append(link("down", f"{href}/owner", mt("owner")))
    if item.description:
        root.append(text("Description", item.description))
    tasks = tasks_in_progress(view, item.id)
    if tasks is not None:
        root.append(tasks)
    if item.status == 0:  # uploaded media waits for its file
        root.append(provisioning.upload_files(view, "media", item.id, "file", item.size))
    owner = V.Owner({"type": mt("owner")})
    admin = next(iter(view.cloud.inv.users.values()))
    owner.append(ref("User", view.url(paths.user(admin.id)), admin_mt("user"), admin.name))
    root.append(owner)
    return root


def network(view: View, net: Network) -> etree._Element:
    href = view.url(paths.network(net.id))
    modern = view.at_least("5.1")
    media_type = mt("orgVdcNetwork") if modern else mt("orgNetwork")
    attrs = entity_attrs(view, net.name, "network", net.id, href, media_type)
    if modern:
        attrs["status"] = "1"
    root = (V.OrgVdcNetwork if modern else V.OrgNetwork)(attrs)
    up = paths.vdc(net.vdc_id) if modern else paths.org(net.org_id)
    root.append(link("up", view.url(up), mt("vdc") if modern else mt("org")))
    root.append(link("down", f"{href}/metadata", mt("metadata")))
    tasks = tasks_in_progress(view, net.id)
    if tasks is None:
        root.append(link("remove", view.url(f"admin/{paths.network(net.id)}")))
    root.append(text("Description", f"{net.name} network"))
    if tasks is not None:
        root.append(tasks)
    root.append(network_configuration(net))
    if modern:
        root.append(text("IsShared", net.shared))
    return root


def ip_scope(tag: str, net: Network) -> etree._Element:
    scope = getattr(V, tag)()
    scope.append(text("IsInherited", False))
    scope.append(text("Gateway", net.gateway))
    scope.append(text("Netmask", net.netmask))
    scope.append(text("Dns1", net.dns))
    scope.append(text("IsEnabled", True))
    ranges = V.IpRanges()
    one = V.IpRange()
    one.append(text("StartAddress", net.ip_start))
    one.append(text("EndAddress", net.ip_end))
    ranges.append(one)
    scope.append(ranges)
    return scope


def network_configuration(net: Network, fence_mode: str | None = None) -> etree._Element:
    """Configuration of an org VDC network or vApp network; both old and new shapes.

    ``IpScope`` (until 5.1) and ``IpScopes`` (from 5.1) are both rendered; the
    version filter keeps the one the negotiated version defines.
    """
    config = V.Configuration()
    config.append(ip_scope("IpScope", net))
    scopes = V.IpScopes()
    scopes.append(ip_scope("IpScope", net))
    config.append(scopes)
    config.append(text("FenceMode", fence_mode or net.fence_mode))
    config.append(text("RetainNetInfoAcrossDeployments", False))
    return config


def error(status: int, minor: str, message: str) -> etree._Element:
    return V.Error({"minorErrorCode": minor, "message": message, "majorErrorCode": str(status)})


def query_list(view: View, types: list[str]) -> etree._Element:
    root = V.QueryList({"href": view.url("query"), "type": mt("query.queryList")})
    for query_type in types:
        for fmt in ("references", "records", "idrecords"):
            root.append(
                link(
                    "down",
                    view.url(f"query?type={query_type}&format={fmt}"),
                    mt(f"query.{fmt}"),
                    query_type,
                )
            )
    return root
