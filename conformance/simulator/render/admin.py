"""Administrative representations: VCloud, AdminOrg, AdminCatalog, User, Role, extension."""

from __future__ import annotations

from lxml import etree

from .. import paths
from ..model import Catalog, Org, Role, User
from .common import EXT, V, View, admin_mt, entity_attrs, link, mt, ref, text
from .entities import catalog as user_catalog


def vcloud(view: View) -> etree._Element:
    root = V.VCloud(
        entity_attrs(view, "vCloud", "vcloud", "vcloud", view.url("admin/"), admin_mt("vcloud"))
    )
    root.append(link("add", view.url("admin/orgs"), admin_mt("organization")))
    root.append(link("down", view.url("admin/extension"), admin_mt("vmwExtension")))
    root.append(link("down", view.url("query"), mt("query.queryList")))
    root.append(text("Description", "Simulated vCloud Director"))
    orgs = V.OrganizationReferences()
    for org in view.cloud.inv.orgs.values():
        orgs.append(
            ref(
                "OrganizationReference",
                view.url(paths.admin_org(org.id)),
                admin_mt("organization"),
                org.name,
            )
        )
    root.append(orgs)
    root.append(V.ProviderVdcReferences())
    rights = V.RightReferences()
    root.append(rights)
    roles = V.RoleReferences()
    for role_obj in view.cloud.inv.roles.values():
        roles.append(
            ref("RoleReference", view.url(paths.role(role_obj.id)), admin_mt("role"), role_obj.name)
        )
    root.append(roles)
    nets = V.Networks()
    root.append(nets)
    return root


def admin_org(view: View, org: Org) -> etree._Element:
    cloud = view.cloud
    href = view.url(paths.admin_org(org.id))
    root = V.AdminOrg(entity_attrs(view, org.name, "org", org.id, href, admin_mt("organization")))
    root.append(link("alternate", view.url(paths.org(org.id)), mt("org")))
    root.append(link("edit", href, admin_mt("organization")))
    if org.name != "System":
        root.append(link("remove", href))
    root.append(link("add", f"{href}/users", admin_mt("user")))
    root.append(link("add", f"{href}/catalogs", admin_mt("catalog")))
    root.append(link("down", f"{href}/metadata", mt("metadata")))
    if org.description:
        root.append(text("Description", org.description))
    root.append(text("FullName", org.full_name))
    root.append(text("IsEnabled", org.enabled))
    settings = V.Settings({"href": f"{href}/settings", "type": admin_mt("orgSettings")})
    general = V.OrgGeneralSettings(
        {"href": f"{href}/settings/general", "type": admin_mt("organizationGeneralSettings")}
    )
    general.append(text("CanPublishCatalogs", False))
    general.append(text("DeployedVMQuota", 0))
    general.append(text("StoredVmQuota", 0))
    general.append(text("UseServerBootSequence", False))
    general.append(text("DelayAfterPowerOnSeconds", 0))
    settings.append(general)
    lease = V.VAppLeaseSettings(
        {"href": f"{href}/settings/vAppLeaseSettings", "type": admin_mt("vAppLeaseSettings")}
    )
    lease.append(text("DeleteOnStorageLeaseExpiration", False))
    lease.append(text("DeploymentLeaseSeconds", 604800))
    lease.append(text("StorageLeaseSeconds", 2592000))
    settings.append(lease)
    root.append(settings)
    users = V.Users()
    for user_obj in cloud.inv.users.values():
        if user_obj.org_id == org.id:
            users.append(
                ref(
                    "UserReference",
                    view.url(paths.user(user_obj.id)),
                    admin_mt("user"),
                    user_obj.name,
                )
            )
    root.append(users)
    root.append(V.Groups())
    catalogs = V.Catalogs()
    for cat in cloud.inv.catalogs_of(org.id):
        catalogs.append(
            ref(
                "CatalogReference",
                view.url(paths.admin_catalog(cat.id)),
                admin_mt("catalog"),
                cat.name,
            )
        )
    root.append(catalogs)
    vdcs = V.Vdcs()
    for vdc in cloud.inv.vdcs_of(org.id):
        vdcs.append(ref("Vdc", view.url(paths.admin_vdc(vdc.id)), admin_mt("vdc"), vdc.name))
    root.append(vdcs)
    nets = V.Networks()
    for net in cloud.inv.networks_of(org.id):
        nets.append(ref("Network", view.url(paths.network(net.id)), admin_mt("network"), net.name))
    root.append(nets)
    return root


def admin_catalog(view: View, cat: Catalog) -> etree._Element:
    root = user_catalog(view, cat)
    root.tag = f"{{{root.nsmap[None]}}}AdminCatalog"
    href = view.url(paths.admin_catalog(cat.id))
    root.set("href", href)
    root.set("type", admin_mt("catalog"))
    for el in root.iterfind(f"{{{root.nsmap[None]}}}Link"):
        if el.get("rel") == "up":
            el.set("href", view.url(paths.admin_org(cat.org_id)))
            el.set("type", admin_mt("organization"))
    root.insert(1, link("remove", href))
    root.insert(1, link("edit", href, admin_mt("catalog")))
    root.insert(1, link("alternate", view.url(paths.catalog(cat.id)), mt("catalog")))
    return root


def user(view: View, user_obj: User) -> etree._Element:
    href = view.url(paths.user(user_obj.id))
    root = V.User(entity_attrs(view, user_obj.name, "user", user_obj.id, href, admin_mt("user")))
    root.append(link("edit", href, admin_mt("user")))
    root.append(link("remove", href))
    root.append(text("FullName", user_obj.full_name))
    root.append(text("EmailAddress", user_obj.email))
    root.append(text("IsEnabled", user_obj.enabled))
    root.append(text("IsLocked", False))
    root.append(text("IsExternal", False))
    root.append(text("ProviderType", "INTEGRATED"))
    role_obj = next((r for r in view.cloud.inv.roles.values() if r.name == user_obj.role), None)
    if role_obj is not None:
        root.append(ref("Role", view.url(paths.role(role_obj.id)), admin_mt("role"), role_obj.name))
    root.append(V.GroupReferences())
    return root


def role(view: View, role_obj: Role) -> etree._Element:
    href = view.url(paths.role(role_obj.id))
    root = V.Role(entity_attrs(view, role_obj.name, "role", role_obj.id, href, admin_mt("role")))
    root.append(link("edit", href, admin_mt("role")))
    root.append(text("Description", role_obj.description))
    rights = V.RightReferences()
    for index, right in enumerate(role_obj.rights):
        rights.append(
            ref(
                "RightReference",
                view.url(f"admin/right/{role_obj.id}-{index}"),
                admin_mt("right"),
                right,
            )
        )
    root.append(rights)
    return root


def extension(view: View) -> etree._Element:
    href = view.url("admin/extension")
    root = EXT.VMWExtension({"href": href, "type": admin_mt("vmwExtension")})
    root.append(
        link("down", view.url("admin/extension/settings"), admin_mt("systemSettings"))
    )
    root.append(link("down", view.url("admin/extension/blockingTask/"), mt("query.references")))
    root.append(
        link(
            "down",
            view.url("admin/extension/settings/blockingTask"),
            admin_mt("blockingTaskSettings"),
        )
    )
    root.append(link("up", view.url("admin/"), admin_mt("vcloud")))
    return root


def blocking_settings(view: View) -> etree._Element:
    inv = view.cloud.inv
    href = view.url("admin/extension/settings/blockingTask")
    root = EXT.BlockingTaskSettings({"href": href, "type": admin_mt("blockingTaskSettings")})
    root.append(link("edit", href, admin_mt("blockingTaskSettings")))
    root.append(EXT.TimeoutAction(inv.blocking_timeout_action))
    ops = EXT.BlockingTaskOperations()
    for name in inv.blocking_operations:
        ops.append(V.Operation(name))
    root.append(ops)
    root.append(EXT.TimeoutInMilliseconds(str(int(inv.blocking_timeout_seconds * 1000))))
    return root
