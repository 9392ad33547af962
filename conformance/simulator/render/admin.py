"""Administrative representations: VCloud, AdminOrg, AdminCatalog, User, Role, extension."""

from __future__ import annotations

from lxml import etree

from .. import paths
from ..model import Catalog, Org, Role, User
from . import provisioning, vdcs
from .common import EXT, V, View, admin_mt, entity_attrs, link, mt, ref, text
from .entities import catalog as user_catalog


def vcloud(view: View) -> etree._Element:
    root = V.VCloud(
        entity_attrs(view, "vCloud", "vcloud", "vcloud", view.url("admin/"), admin_mt("vcloud"))
    )
    root.append(link("add", view.url("admin/orgs"), admin_mt("organization")))
    root.append(link("add", view.url("admin/roles"), admin_mt("role")))
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
    providers = V.ProviderVdcReferences()
    for provider in view.cloud.inv.provider_vdcs.values():
        providers.append(
            ref(
                "ProviderVdcReference",
                view.url(vdcs.provider_path(provider.id)),
                admin_mt("providervdc"),
                provider.name,
            )
        )
    root.append(providers)
    rights = V.RightReferences()
    for name in sorted(set(provisioning.all_rights(view).values())):
        rights.append(provisioning.right_reference(view, name))
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
        # an organization is removed once disabled: remove appears with enable
        root.append(
            link(
                "disable" if org.enabled else "enable",
                f"{href}/action/" + ("disable" if org.enabled else "enable"),
            )
        )
        if not org.enabled:
            root.append(link("remove", href))
    root.append(link("add", f"{href}/users", admin_mt("user")))
    root.append(link("add", f"{href}/groups", admin_mt("group")))
    root.append(link("add", f"{href}/catalogs", admin_mt("catalog")))
    if org.name != "System" and not view.at_least("5.1"):  # 1.5: networks of the org
        root.append(link("add", f"{href}/networks", mt("orgNetwork")))
    if org.name != "System":
        if view.at_least("5.1"):
            root.append(link("add", f"{href}/vdcsparams", admin_mt("createVdcParams")))
        else:
            root.append(link("add", f"{href}/vdcs", admin_mt("vdc")))
    if view.at_least("5.1"):  # extension services post their tasks here
        root.append(link("task:create", view.url(paths.tasks_list(org.id)), mt("task")))
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
    groups = V.Groups()
    for group in cloud.inv.groups.values():
        if group.org_id == org.id:
            groups.append(
                ref(
                    "GroupReference", view.url(paths.group(group.id)), admin_mt("group"), group.name
                )
            )
    root.append(groups)
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
    root.insert(1, link("down", f"{href}/owner", mt("owner")))
    root.insert(1, link("publish", f"{href}/action/publish", admin_mt("publishCatalogParams")))
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
    root.append(link("remove", href))
    root.append(text("Description", role_obj.description))
    root.append(provisioning.role_rights(view, role_obj))
    return root


def extension(view: View) -> etree._Element:
    href = view.url("admin/extension")
    root = EXT.VMWExtension({"href": href, "type": admin_mt("vmwExtension")})
    root.append(link("down", view.url("admin/extension/settings"), admin_mt("systemSettings")))
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
