"""URL paths of every simulated object, relative to the API root (``.../api``).

Renderers and routes both use these so that every href the simulator hands out
is one it serves.
"""

from __future__ import annotations


def org(id_: str) -> str:
    return f"org/{id_}"


def vdc(id_: str) -> str:
    return f"vdc/{id_}"


def catalog(id_: str) -> str:
    return f"catalog/{id_}"


def catalog_item(id_: str) -> str:
    return f"catalogItem/{id_}"


def template(id_: str) -> str:
    return f"vAppTemplate/vappTemplate-{id_}"


def template_vm(id_: str) -> str:
    return f"vAppTemplate/vm-{id_}"


def media(id_: str) -> str:
    return f"media/{id_}"


def network(id_: str) -> str:
    return f"network/{id_}"


def vapp(id_: str) -> str:
    return f"vApp/vapp-{id_}"


def vm(id_: str) -> str:
    return f"vApp/vm-{id_}"


def task(id_: str) -> str:
    return f"task/{id_}"


def tasks_list(org_id: str) -> str:
    return f"tasksList/{org_id}"


def storage_profile(id_: str) -> str:
    return f"vdcStorageProfile/{id_}"


def admin_org(id_: str) -> str:
    return f"admin/org/{id_}"


def admin_vdc(id_: str) -> str:
    return f"admin/vdc/{id_}"


def admin_catalog(id_: str) -> str:
    return f"admin/catalog/{id_}"


def user(id_: str) -> str:
    return f"admin/user/{id_}"


def role(id_: str) -> str:
    return f"admin/role/{id_}"


def blocking_task(id_: str) -> str:
    return f"admin/extension/blockingTask/{id_}"


def disk(id_: str) -> str:
    return f"disk/{id_}"


def group(id_: str) -> str:
    return f"admin/group/{id_}"


def right(id_: str) -> str:
    return f"admin/right/{id_}"


def entity_path(kind: str, id_: str) -> str:
    """The path of an object by kind name (as stored on tasks and metadata)."""
    return {
        "org": org,
        "vdc": vdc,
        "catalog": catalog,
        "catalogItem": catalog_item,
        "vAppTemplate": template,
        "media": media,
        "network": network,
        "vApp": vapp,
        "vm": vm,
        "task": task,
        "user": user,
        "adminOrg": admin_org,
        "disk": disk,
        "adminCatalog": admin_catalog,
        "adminVdc": admin_vdc,
    }[kind](id_)
