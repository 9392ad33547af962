"""The query service: typed queries over the inventory, with filter, sort and paging.

Filter syntax (as the Query Service chapter documents it): ``attr==value``,
``attr!=value``, ``*`` wildcards, ``;`` for AND and ``,`` for OR (AND binds
tighter). ``filterEncoded=true`` means each value is URL-encoded.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from .cloud import Cloud, CloudError
from .render.common import admin_mt, iso, mt

Row = dict[str, str]


@dataclass(frozen=True)
class QueryType:
    name: str
    record: str
    reference: str
    rows: Callable[[Cloud, str | None, bool, str], Iterator[tuple[str, str, Row]]]
    #: API versions from which this type exists (None: always)
    since: str | None = None
    system_only: bool = False


def _b(value: bool) -> str:
    return "true" if value else "false"


def _orgs(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for org in cloud.inv.orgs.values():
        if system or org.id == org_id:
            yield (
                org.id,
                f"org/{org.id}",
                {
                    "name": org.name,
                    "displayName": org.full_name,
                    "isEnabled": _b(org.enabled),
                    "isReadOnly": "false",
                    "numberOfVdcs": str(len(cloud.inv.vdcs_of(org.id))),
                    "numberOfCatalogs": str(len(cloud.inv.catalogs_of(org.id))),
                },
            )


def _vdcs(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for vdc in cloud.inv.vdcs.values():
        if system or vdc.org_id == org_id:
            org = cloud.inv.orgs[vdc.org_id]
            yield (
                vdc.id,
                f"vdc/{vdc.id}",
                {
                    "name": vdc.name,
                    "orgName": org.name,
                    "org": f"{base}/org/{org.id}",
                    "isEnabled": _b(vdc.enabled),
                    "cpuLimitMhz": str(vdc.cpu_limit_mhz),
                    "memoryLimitMB": str(vdc.memory_limit_mb),
                    "numberOfVApps": str(len(cloud.inv.vapps_of(vdc.id))),
                    "isBusy": "false",
                    "status": "READY",
                },
            )


def _catalogs(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for cat in cloud.inv.catalogs.values():
        if system or cat.org_id == org_id:
            items = cloud.inv.items_of(cat.id)
            yield (
                cat.id,
                f"catalog/{cat.id}",
                {
                    "name": cat.name,
                    "orgName": cloud.inv.orgs[cat.org_id].name,
                    "owner": f"{base}/org/{cat.org_id}",
                    "isPublished": _b(cat.published),
                    "isShared": "false",
                    "numberOfVAppTemplates": str(
                        sum(1 for i in items if i.entity_kind == "vAppTemplate")
                    ),
                    "numberOfMedia": str(sum(1 for i in items if i.entity_kind == "media")),
                    "ownerName": "system",
                    "creationDate": iso(None),
                },
            )


def _admin_catalogs(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for ident, path, row in _catalogs(cloud, org_id, system, base):
        yield ident, f"admin/{path}", row


def _items(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for item in cloud.inv.catalog_items.values():
        cat = cloud.inv.catalogs[item.catalog_id]
        if system or cat.org_id == org_id:
            yield (
                item.id,
                f"catalogItem/{item.id}",
                {
                    "name": item.name,
                    "catalogName": cat.name,
                    "entityName": item.name,
                    "catalog": f"{base}/catalog/{cat.id}",
                    "entityType": "vapptemplate" if item.entity_kind == "vAppTemplate" else "media",
                    "isPublished": _b(cat.published),
                    "status": "RESOLVED",
                },
            )


def _templates(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for tmpl in cloud.inv.templates.values():
        vdc = cloud.inv.vdcs[tmpl.vdc_id]
        if system or vdc.org_id == org_id:
            yield (
                tmpl.id,
                f"vAppTemplate/vappTemplate-{tmpl.id}",
                {
                    "name": tmpl.name,
                    "vdcName": vdc.name,
                    "vdc": f"{base}/vdc/{vdc.id}",
                    "org": f"{base}/org/{vdc.org_id}",
                    "catalogName": cloud.inv.catalogs[tmpl.catalog_id].name,
                    "isPublished": "false",
                    "isBusy": _b(bool(cloud.inv.active_tasks_of(tmpl.id))),
                    "isGoldMaster": "false",
                    "isEnabled": "true",
                    "isDeployed": "false",
                    "status": "RESOLVED" if tmpl.status == 8 else "UNRESOLVED",
                    "creationDate": iso(None),
                },
            )


def _media(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for item in cloud.inv.media.values():
        vdc = cloud.inv.vdcs[item.vdc_id]
        if system or vdc.org_id == org_id:
            yield (
                item.id,
                f"media/{item.id}",
                {
                    "name": item.name,
                    "vdcName": vdc.name,
                    "vdc": f"{base}/vdc/{vdc.id}",
                    "isBusy": "false",
                    "storageB": str(item.size),
                    "status": "RESOLVED",
                    "isPublished": "false",
                },
            )


VAPP_STATUS = {
    -1: "FAILED_CREATION",
    0: "UNRESOLVED",
    1: "RESOLVED",
    3: "SUSPENDED",
    4: "POWERED_ON",
    8: "POWERED_OFF",
    10: "MIXED",
}


def _vapps(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for vapp in cloud.inv.vapps.values():
        if system or vapp.org_id == org_id:
            owner = cloud.inv.users.get(vapp.owner_id)
            yield (
                vapp.id,
                f"vApp/vapp-{vapp.id}",
                {
                    "name": vapp.name,
                    "vdcName": cloud.inv.vdcs[vapp.vdc_id].name,
                    "vdc": f"{base}/vdc/{vapp.vdc_id}",
                    "isBusy": _b(bool(cloud.inv.active_tasks_of(vapp.id))),
                    "isDeployed": _b(vapp.deployed),
                    "status": VAPP_STATUS.get(vapp.status, "UNKNOWN"),
                    "ownerName": owner.name if owner else "",
                    "isEnabled": "true",
                    "isInMaintenanceMode": "false",
                    "isExpired": "false",
                },
            )


def _vms(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for vm in cloud.inv.vms.values():
        vapp = cloud.inv.vapps.get(vm.vapp_id)
        if vapp is not None and (system or vapp.org_id == org_id):
            yield (
                vm.id,
                f"vApp/vm-{vm.id}",
                {
                    "name": vm.spec.name,
                    "containerName": vapp.name,
                    "isVAppTemplate": "false",
                    "container": f"{base}/vApp/vapp-{vapp.id}",
                    "vdc": f"{base}/vdc/{vapp.vdc_id}",
                    "isDeleted": "false",
                    "guestOs": vm.spec.os_description,
                    "numberOfCpus": str(vm.spec.cpus),
                    "memoryMB": str(vm.spec.memory_mb),
                    "status": VAPP_STATUS.get(vm.status, "UNKNOWN"),
                    "isBusy": _b(bool(cloud.inv.active_tasks_of(vm.id))),
                    "isDeployed": _b(vm.deployed),
                    "isPublished": "false",
                    "hardwareVersion": vm.spec.hardware_version.split("-")[-1],
                    "isInMaintenanceMode": "false",
                },
            )


def _tasks(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    cloud.engine.tick()
    for task in cloud.inv.tasks.values():
        if system or task.org_id == org_id:
            view = cloud.engine.view(task)
            row = {
                "name": task.operation_name,
                "status": view.status,
                "org": f"{base}/org/{task.org_id}",
                "orgName": cloud.inv.orgs[task.org_id].name,
                "objectName": task.owner_name,
                "objectType": task.owner_kind.lower(),
                "startDate": iso(view.start_time),
                "progress": str(view.progress),
            }
            if view.end_time is not None:
                row["endDate"] = iso(view.end_time)
            if task.service_namespace:
                row["serviceNamespace"] = task.service_namespace
            yield task.id, f"task/{task.id}", row


def _users(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for user in cloud.inv.users.values():
        if system or user.org_id == org_id:
            yield (
                user.id,
                f"admin/user/{user.id}",
                {
                    "name": user.name,
                    "fullName": user.full_name,
                    "isEnabled": _b(user.enabled),
                    "isLdapUser": "false",
                    "deployedVMQuota": "0",
                    "storedVMQuota": "0",
                },
            )


def _networks(
    cloud: Cloud, org_id: str | None, system: bool, base: str
) -> Iterator[tuple[str, str, Row]]:
    for net in cloud.inv.networks.values():
        if system or net.org_id == org_id:
            yield (
                net.id,
                f"network/{net.id}",
                {
                    "name": net.name,
                    "vdcName": cloud.inv.vdcs[net.vdc_id].name,
                    "defaultGateway": net.gateway,
                    "netmask": net.netmask,
                    "dns1": net.dns,
                    "linkType": "1",
                    "isShared": _b(net.shared),
                    "isBusy": "false",
                },
            )


TYPES: dict[str, QueryType] = {
    t.name: t
    for t in (
        QueryType("organization", "OrgRecord", "OrgReference", _orgs),
        QueryType("orgVdc", "OrgVdcRecord", "OrgVdcReference", _vdcs),
        QueryType("catalog", "CatalogRecord", "CatalogReference", _catalogs),
        QueryType("catalogItem", "CatalogItemRecord", "CatalogItemReference", _items),
        QueryType("vAppTemplate", "VAppTemplateRecord", "VAppTemplateReference", _templates),
        QueryType("media", "MediaRecord", "MediaReference", _media),
        QueryType("vApp", "VAppRecord", "VAppReference", _vapps),
        QueryType("vm", "VMRecord", "VMReference", _vms),
        QueryType("task", "TaskRecord", "TaskReference", _tasks),
        QueryType("user", "UserRecord", "UserReference", _users),
        QueryType(
            "orgVdcNetwork", "OrgVdcNetworkRecord", "OrgVdcNetworkReference", _networks, "5.1"
        ),
        QueryType("adminVApp", "AdminVAppRecord", "AdminVAppReference", _vapps, system_only=True),
        QueryType("adminVM", "AdminVMRecord", "AdminVMReference", _vms, system_only=True),
        QueryType(
            "adminCatalog",
            "AdminCatalogRecord",
            "AdminCatalogReference",
            _admin_catalogs,
            system_only=True,
        ),
    )
}

RECORD_MEDIA = {
    "organization": mt("org"),
    "orgVdc": mt("vdc"),
    "catalog": mt("catalog"),
    "catalogItem": mt("catalogItem"),
    "vAppTemplate": mt("vAppTemplate"),
    "media": mt("media"),
    "vApp": mt("vApp"),
    "vm": mt("vm"),
    "task": mt("task"),
    "user": admin_mt("user"),
    "orgVdcNetwork": mt("orgVdcNetwork"),
    "adminVApp": mt("vApp"),
    "adminVM": mt("vm"),
    "adminCatalog": admin_mt("catalog"),
}


def _clauses(expr: str, encoded: bool) -> list[list[tuple[str, str, str]]]:
    """OR-list of AND-lists of (attribute, operator, value)."""
    out = []
    for alternative in expr.split(","):
        group = []
        for clause in alternative.split(";"):
            clause = clause.strip()
            if not clause:
                continue
            for op in (*COMPARISONS, "==", "!="):
                if op in clause:
                    attr, _, value = clause.partition(op)
                    group.append((attr.strip(), op, unquote(value) if encoded else value))
                    break
            else:
                raise CloudError(
                    400,
                    "BAD_REQUEST",
                    f"Bad filter clause {clause!r}: use attribute==value, attribute!=value "
                    "or a comparison (=gt=, =lt=, =ge=, =le=).",
                )
        out.append(group)
    return out


#: Ordering operators; they compare int, long and dateTime attributes.
COMPARISONS = ("=gt=", "=lt=", "=ge=", "=le=")
#: The type keywords of metadata filter values (metadata:KEY==NUMBER:1).
METADATA_TYPES = ("STRING:", "NUMBER:", "DATETIME:", "BOOLEAN:")

#: Query type -> the inventory table holding its objects (for metadata fields/filters).
METADATA_TABLES = {
    "organization": "orgs",
    "orgVdc": "vdcs",
    "catalog": "catalogs",
    "adminCatalog": "catalogs",
    "catalogItem": "catalog_items",
    "vAppTemplate": "templates",
    "media": "media",
    "vApp": "vapps",
    "adminVApp": "vapps",
    "vm": "vms",
    "adminVM": "vms",
    "orgVdcNetwork": "networks",
}


def metadata_fields(cloud: Cloud, query_type: str, ident: str) -> dict[str, dict[str, str]]:
    """An object's metadata keyed as query fields: ``metadata:KEY`` / ``metadata@SYSTEM:KEY``."""
    table = METADATA_TABLES.get(query_type)
    obj = getattr(cloud.inv, table).get(ident) if table else None
    out: dict[str, dict[str, str]] = {}
    for key, entry in (getattr(obj, "metadata", None) or {}).items():
        domain = entry.get("domain") or ""
        out[f"metadata@{domain}:{key}" if domain else f"metadata:{key}"] = {"key": key, **entry}
    return out


def _compare(actual: str, op: str, value: str) -> bool:
    if actual == "":
        return False
    try:
        left, right = float(actual), float(value)
    except ValueError:
        left, right = actual, value  # type: ignore[assignment]  # ISO dates order as text
    return {
        "=gt=": left > right,
        "=lt=": left < right,
        "=ge=": left >= right,
        "=le=": left <= right,
    }[op]


def matches(row: Row, ident: str, clauses: list[list[tuple[str, str, str]]]) -> bool:
    if not clauses:
        return True
    for group in clauses:
        ok = True
        for attr, op, value in group:
            actual = row.get(attr, ident if attr == "id" else "")
            if attr.startswith("metadata") and value.upper().startswith(METADATA_TYPES):
                value = value.split(":", 1)[1]
            if op in COMPARISONS:
                if not _compare(actual, op, value):
                    ok = False
                    break
                continue
            if "*" in value:
                hit = fnmatch.fnmatchcase(actual.lower(), value.lower())
            else:
                hit = actual.lower() == value.lower()
            if (op == "==") != hit:
                ok = False
                break
        if ok:
            return True
    return False
