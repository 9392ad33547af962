"""The simulator's URL table: (method(s), path, handler, options)."""

from __future__ import annotations

from functools import partial

from starlette.routing import Route

from .cloud import Cloud
from .handlers import (
    accounts,
    admin,
    browse,
    cloudapi,
    disks,
    metadata,
    networks,
    provisioning,
    query,
    schemafiles,
    sections,
    session,
    settings,
    tasks,
    vapps,
    vdcs,
    vmops,
)
from .http import Handler, endpoint

GET, POST, PUT, DELETE = ["GET"], ["POST"], ["PUT"], ["DELETE"]

METADATA_KINDS = "org|vdc|catalog|catalogItem|media|network|vAppTemplate|vApp|vm"


def table() -> list[tuple[list[str], str, Handler, dict[str, bool]]]:
    public = {"public": True}
    return [
        (GET, "/api/versions", session.versions, public),
        (POST, "/api/sessions", session.login, public),
        (GET, "/api/session", session.current, {}),
        (GET, "/api/session/", session.current, {}),
        (DELETE, "/api/session", session.logout, {}),
        (DELETE, "/api/session/", session.logout, {}),
        (POST, "/cloudapi/1.0.0/sessions", partial(session.cloudapi_login, provider=False), public),
        (
            POST,
            "/cloudapi/1.0.0/sessions/provider",
            partial(session.cloudapi_login, provider=True),
            public,
        ),
        (GET, "/api/v1.5/schema/{path:path}", schemafiles.schema_file, public),
        (GET, "/api/schemas/{path:path}", schemafiles.shared_schema_file, public),
        (GET, "/api/org", browse.org_list, {}),
        (GET, "/api/org/", browse.org_list, {}),
        (GET, "/api/org/{id}", browse.org, {}),
        (GET, "/api/vdc/{id}", browse.vdc, {}),
        (GET, "/api/catalog/{id}", browse.catalog, {}),
        (GET, "/api/catalogItem/{id}", browse.catalog_item, {}),
        (PUT + DELETE, "/api/catalogItem/{id}", provisioning.catalog_item, {}),
        (POST, "/api/catalog/{id}/catalogItems", provisioning.add_item, {}),
        (GET, "/api/catalog/{id}/controlAccess/", provisioning.catalog_access, {}),
        (PUT + DELETE, "/api/vAppTemplate/vappTemplate-{id}", provisioning.template, {}),
        (
            POST,
            "/api/vAppTemplate/vappTemplate-{id}/action/{action}",
            provisioning.template_download,
            {},
        ),
        (GET, "/api/vAppTemplate/vappTemplate-{id}/ovf", provisioning.template_ovf, {}),
        (GET, "/transfer/{object}/{name}", provisioning.transfer, {}),
        (PUT + DELETE, "/api/media/{id}", provisioning.media, {}),
        (GET, "/api/media/{id}/owner", provisioning.media_owner, {}),
        (GET, "/api/vAppTemplate/vappTemplate-{id}", browse.template, {}),
        (GET, "/api/vAppTemplate/vappTemplate-{id}/owner", browse.template_owner, {}),
        (
            GET + PUT,
            "/api/vAppTemplate/vappTemplate-{id}/productSections/",
            sections.template_product_sections,
            {},
        ),
        (GET, "/api/vAppTemplate/vappTemplate-{id}/{section}/", sections.template_section, {}),
        (GET, "/api/vAppTemplate/vm-{id}", browse.template_vm, {}),
        (GET, "/api/media/{id}", browse.media, {}),
        (GET, "/api/network/{id}", browse.network, {}),
        # metadata (before the vApp/VM section routes, whose {section} would match it)
        (GET + POST, "/api/{kind}/{id}/metadata", metadata.metadata, {}),
        (GET + POST, "/api/admin/{kind}/{id}/metadata", metadata.metadata, {}),
        (GET + PUT + DELETE, "/api/{kind}/{id}/metadata/{key}", metadata.metadata_entry, {}),
        (GET + PUT + DELETE, "/api/admin/{kind}/{id}/metadata/{key}", metadata.metadata_entry, {}),
        # vApps and VMs
        (GET, "/api/vApp/vapp-{id}", vapps.get_vapp, {}),
        (DELETE, "/api/vApp/vapp-{id}", vapps.delete, {}),
        (GET, "/api/vApp/vm-{id}", vapps.get_vm, {}),
        (DELETE, "/api/vApp/vm-{id}", vapps.delete, {}),
        (POST, "/api/vApp/{kind}-{id}/power/action/{action}", vapps.power_action, {}),
        (POST, "/api/vApp/{kind}-{id}/action/deploy", vapps.deploy, {}),
        (POST, "/api/vApp/{kind}-{id}/action/undeploy", vapps.undeploy, {}),
        (POST, "/api/vApp/{kind}-{id}/action/discardSuspendedState", vapps.discard_state, {}),
        (POST, "/api/vApp/vapp-{id}/action/recomposeVApp", vapps.recompose, {}),
        (POST, "/api/vApp/vapp-{id}/action/{action}", vapps.vapp_action, {}),
        (GET, "/api/vApp/vapp-{id}/controlAccess/", vapps.control_access, {}),
        (GET, "/api/vApp/vapp-{id}/owner", vapps.owner, {}),
        (PUT, "/api/vApp/vapp-{id}/owner", vapps.owner, {}),
        (POST, "/api/vApp/vm-{id}/action/reconfigureVm", sections.reconfigure_vm, {}),
        (PUT, "/api/vApp/vapp-{id}", vmops.edit_vapp, {}),
        (PUT, "/api/vApp/vm-{id}", vmops.edit_vm, {}),
        (POST, "/api/vApp/vm-{id}/action/{action}", vmops.vm_action, {}),
        (POST, "/api/vApp/vm-{id}/media/action/{action}", vmops.media_action, {}),
        (POST, "/api/vApp/vm-{id}/disk/action/{action}", vmops.disk_action, {}),
        (GET, "/api/vApp/vm-{id}/screen", vmops.screen, {}),
        (POST, "/api/vApp/vm-{id}/screen/action/acquireTicket", vmops.acquire_ticket, {}),
        (GET, "/api/vApp/vm-{id}/complianceResult", vmops.compliance_result, {}),
        # independent disks (5.1+)
        (POST, "/api/vdc/{id}/disk", disks.create, {}),
        (GET + PUT + DELETE, "/api/disk/{id}", disks.disk, {}),
        (GET, "/api/disk/{id}/attachedVms", disks.attached_vms, {}),
        # named sub-resources first: the {section} routes below match any name
        (GET + PUT, "/api/vApp/{kind}-{id}/productSections/", sections.product_sections, {}),
        (
            GET + PUT,
            "/api/vApp/vm-{id}/virtualHardwareSection/{part}",
            sections.vm_hardware_part,
            {},
        ),
        (GET + PUT, "/api/vApp/vm-{id}/{section}/", sections.vm_section, {}),
        (GET, "/api/vApp/vm-{id}/{section}", sections.vm_section, {}),
        (GET + PUT, "/api/vApp/vapp-{id}/{section}/", sections.vapp_section, {}),
        (GET, "/api/vApp/vapp-{id}/{section}", sections.vapp_section, {}),
        # provisioning through the VDC (and capture into a catalog, 5.5+)
        (POST, "/api/vdc/{id}/action/instantiateVAppTemplate", vapps.instantiate, {}),
        (POST, "/api/vdc/{id}/action/composeVApp", vapps.compose, {}),
        (POST, "/api/vdc/{id}/action/cloneVApp", vapps.clone, {}),
        (POST, "/api/vdc/{id}/action/captureVApp", vapps.capture, {}),
        (POST, "/api/catalog/{id}/action/captureVApp", vapps.capture, {}),
        (POST, "/api/catalog/{id}/action/{action}", provisioning.catalog_action, {}),
        (POST, "/api/vdc/{id}/action/cloneVAppTemplate", provisioning.clone_template, {}),
        (POST, "/api/vdc/{id}/action/uploadVAppTemplate", provisioning.upload_template, {}),
        (POST, "/api/vdc/{id}/action/cloneMedia", provisioning.clone_media, {}),
        (POST, "/api/vdc/{id}/action/instantiateOvf", provisioning.instantiate_ovf, {}),
        (POST, "/api/vdc/{id}/media", provisioning.upload_media, {}),
        # tasks
        (GET, "/api/task/{id}", tasks.get_task, {}),
        (PUT, "/api/task/{id}", tasks.update_task, {}),
        (POST, "/api/task/{id}/action/cancel", tasks.cancel, {}),
        (GET + POST, "/api/tasksList/{id}", tasks.tasks_list, {}),
        # query service
        (GET, "/api/query", query.query, {}),
        # administration
        (GET, "/api/admin", admin.vcloud, {}),
        (GET, "/api/admin/", admin.vcloud, {}),
        (POST, "/api/admin/orgs", admin.create_org, {}),
        (GET + PUT + DELETE, "/api/admin/org/{id}", admin.admin_org, {}),
        (POST, "/api/admin/org/{id}/users", admin.create_user, {}),
        (POST, "/api/admin/org/{id}/catalogs", admin.create_catalog, {}),
        (GET, "/api/admin/vdc/{id}", admin.admin_vdc, {}),
        (DELETE, "/api/admin/vdc/{id}", vdcs.delete_vdc, {}),
        (POST, "/api/admin/org/{id}/networks", networks.create_org_network, {}),
        (POST, "/api/admin/vdc/{id}/networks", networks.create_vdc_network, {}),
        (DELETE, "/api/admin/network/{id}", networks.delete_network, {}),
        (POST, "/api/admin/vdc/{id}/action/{action}", vdcs.vdc_action, {}),
        (POST, "/api/admin/org/{id}/vdcs", vdcs.create_vdc, {}),
        (POST, "/api/admin/org/{id}/vdcsparams", vdcs.create_vdc, {}),
        (GET, "/api/admin/providervdc/{id}", vdcs.provider_vdc, {}),
        (GET, "/api/admin/providervdc/{id}/vdcReferences", vdcs.vdc_references, {}),
        (GET, "/api/admin/pvdcStorageProfile/{id}", vdcs.storage_profile, {}),
        (GET + DELETE, "/api/admin/catalog/{id}", admin.admin_catalog, {}),
        (GET + PUT + DELETE, "/api/admin/user/{id}", admin.user, {}),
        (GET + PUT + DELETE, "/api/admin/role/{id}", accounts.role, {}),
        (POST, "/api/admin/roles", accounts.create_role, {}),
        (GET, "/api/admin/right/{id}", accounts.right, {}),
        (POST, "/api/admin/org/{id}/action/{action}", accounts.org_action, {}),
        (POST, "/api/admin/org/{id}/groups", accounts.create_group, {}),
        (GET + PUT + DELETE, "/api/admin/group/{id}", accounts.group, {}),
        (PUT, "/api/admin/catalog/{id}", accounts.edit_catalog, {}),
        (POST, "/api/admin/catalog/{id}/action/publish", accounts.publish_catalog, {}),
        (GET + PUT, "/api/admin/catalog/{id}/owner", accounts.catalog_owner, {}),
        (GET, "/api/admin/extension", admin.extension, {}),
        (GET, "/api/admin/extension/blockingTask", admin.blocking_tasks, {}),
        (GET, "/api/admin/extension/blockingTask/", admin.blocking_tasks, {}),
        (GET, "/api/admin/extension/blockingTask/{id}", admin.blocking_task, {}),
        (POST, "/api/admin/extension/blockingTask/{id}/action/{action}", admin.blocking_action, {}),
        (GET + PUT, "/api/admin/extension/settings/blockingTask", admin.blocking_settings, {}),
        (GET, "/api/admin/extension/settings", settings.system_settings, {}),
        (GET + PUT, "/api/admin/extension/settings/amqp", settings.amqp, {}),
        (POST, "/api/admin/extension/settings/amqp/action/test", settings.amqp_test, {}),
        (GET + PUT, "/api/admin/extension/settings/notifications", settings.notifications, {}),
    ]


def _with_kind(handler: Handler, kind: str) -> Handler:
    def run(call):  # type: ignore[no-untyped-def]
        call.params["kind"] = kind
        return handler(call)

    return run


def build(cloud: Cloud) -> list[Route]:
    """Starlette routes; ``{kind}-{id}`` paths expand to their vapp- and vm- forms."""
    routes = []
    for methods, path, handler, options in table():
        if "{kind}-" in path:
            for kind in ("vapp", "vm"):
                concrete = path.replace("{kind}-", f"{kind}-")
                routes.append(
                    Route(
                        concrete,
                        endpoint(cloud, _with_kind(handler, kind), **options),
                        methods=methods,
                    )
                )
        else:
            routes.append(Route(path, endpoint(cloud, handler, **options), methods=methods))
    return routes + cloudapi.routes(cloud)  # JSON endpoints, with their own auth and errors


__all__ = ["build", "table"]
