"""Removing what conformance runs created: every object named ``vcdc-<run id>-...``.

Runs clean up after each example; this sweep catches what an interrupted run
(Ctrl-C, a crash, a lost connection) left behind. It finds objects through the
query service and, for kinds some clouds cannot query (disks, groups, roles,
VDCs, organizations), through the references of the admin views; it removes
them through their own ``disable`` and ``remove`` links, in dependency order,
and tries again (bounded) what was still busy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from . import safexml
from .client import VcdClient
from .errors import ConformanceError, PayloadError
from .fixtures import Fixtures
from .mediatypes import VCLOUD_NS
from .navigate import Navigator, find_link, links
from .target import Target
from .versions import ApiVersion

PREFIX = "vcdc-"
#: Found through the query service, in removal order (vApps before catalogs): the
#: tenant's query type, then the system administrator's (the first one the cloud's
#: QueryList offers).
SWEEP_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("vApp", ("adminVApp", "vApp")),
    ("vAppTemplate", ("adminVAppTemplate", "vAppTemplate")),
    ("media", ("adminMedia", "media")),
    ("catalogItem", ("catalogItem",)),
    ("catalog", ("adminCatalog", "catalog")),
    ("orgVdcNetwork", ("adminOrgVdcNetwork", "orgVdcNetwork")),
    ("user", ("adminUser", "user")),
)
#: What a tenant can remove without a system administrator.
TENANT_TYPES = frozenset({"vApp", "vAppTemplate", "media", "catalogItem", "disk"})
#: Removed once disabled (their remove link appears then).
DISABLE_FIRST = frozenset({"orgVdc", "organization"})
#: Passes over what could not be removed (a busy object frees up when its task ends).
PASSES = 3
#: At most this many organizations are walked for their groups, VDCs and disks.
MAX_ORGS = 500
_V = f"{{{VCLOUD_NS}}}"


@dataclass
class SweepReport:
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _records(
    client: VcdClient, nav: Navigator, query_types: tuple[str, ...]
) -> list[tuple[str, str]]:
    query_list = nav.doc("query-list")
    link = next(
        (
            el
            for query_type in query_types
            for el in links(query_list.root)
            if el.get("name") == query_type and "query.records" in (el.get("type") or "")
        ),
        None,
    )
    if link is None:
        return []
    out: list[tuple[str, str]] = []
    url: str | None = link.get("href", "") + f"&pageSize=128&filter=name=={PREFIX}*"
    pages = 0
    while url and pages < 50:
        pages += 1
        exchange = client.get(url)
        if exchange.status != 200:
            break
        try:
            root = safexml.parse(exchange.response_body)
        except PayloadError:
            break
        for record in root:
            if (
                isinstance(record.tag, str)
                and record.get("href")
                and (record.get("name") or "").startswith(PREFIX)
            ):
                out.append((record.get("name", ""), record.get("href", "")))
        nxt = find_link(root, "nextPage")
        url = nxt.get("href") if nxt is not None else None
    return out


def _named(root: etree._Element, local: str) -> list[tuple[str, str]]:
    return [
        (el.get("name", ""), el.get("href", ""))
        for el in root.iter(f"{_V}{local}")
        if el.get("href")
    ]


def _walk(nav: Navigator, role: str) -> list[tuple[str, str, str]]:
    """Disks, groups, roles, VDCs and organizations, reached through references.

    Not every cloud (or API version) has query types for these; references always
    lead to them, and to the admin views whose disable and remove links remove them.
    """
    if role != "system":
        vdc = nav.doc("vdc")
        return [
            ("disk", name, href)
            for name, href in _named(vdc.root, "ResourceEntity")
            if "disk" in href.rsplit("/", 2)[-2]
        ]
    admin = nav.doc("admin")
    disks: list[tuple[str, str, str]] = []
    groups: list[tuple[str, str, str]] = []
    vdcs: list[tuple[str, str, str]] = []
    orgs = [("organization", n, h) for n, h in _named(admin.root, "OrganizationReference")]
    for _, _, org_href in orgs[:MAX_ORGS]:
        try:
            org = nav.get(org_href)
        except ConformanceError:
            continue
        groups += [("group", n, h) for n, h in _named(org.root, "GroupReference")]
        for vdc_name, vdc_href in _named(org.root, "Vdc"):
            vdcs.append(("orgVdc", vdc_name, vdc_href))
            try:
                vdc = nav.get(vdc_href)
            except ConformanceError:
                continue
            disks += [
                ("disk", n, h)
                for n, h in _named(vdc.root, "ResourceEntity")
                if "disk" in h.rsplit("/", 2)[-2]
            ]
    roles = [("role", n, h) for n, h in _named(admin.root, "RoleReference")]
    return disks + groups + roles + vdcs + orgs


def _candidates(client: VcdClient, nav: Navigator, role: str) -> list[tuple[str, str, str]]:
    """(kind, name, href) of everything the sweep may remove, in removal order."""
    found = []
    for kind, system_types in SWEEP_TYPES:
        if role == "tenant" and kind not in TENANT_TYPES:
            continue  # catalogs, networks and users are created by a system administrator
        query_types = system_types if role == "system" else (kind,)
        found += [(kind, name, href) for name, href in _records(client, nav, query_types)]
    nav.docs.pop("admin", None)  # read the references afresh on every pass
    nav.docs.pop("vdc", None)
    try:
        return found + _walk(nav, role)
    except ConformanceError:
        return found  # no admin view or VDC to walk: what the queries found


def sweep(
    target: Target,
    run_id: str | None = None,
    version: ApiVersion | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SweepReport:
    """Remove objects of one run (``run_id``) or of every run (None)."""
    report = SweepReport()
    prefix = f"{PREFIX}{run_id}-" if run_id else PREFIX
    version = version or ApiVersion(5, 5)
    role = "system" if target.system_user and target.system_password else "tenant"
    client = VcdClient(
        target.url, version, verify=target.verify, timeout=target.timeout, sleep=sleep
    )
    try:
        user, org, password = target.credentials(role)
        session = client.login(user, org, password)
        nav = Navigator(client, target, role, session)
        fixtures = Fixtures(nav, target, "sweep", sleep, target.redactor())
        removers: dict[str, Callable[[str], None]] = {"vApp": fixtures.delete_vapp}
        removers.update(dict.fromkeys(DISABLE_FIRST, fixtures.delete_disabled))
        for attempt in range(1, PASSES + 1):
            report.failed.clear()
            for kind, name, href in _candidates(client, nav, role):
                if not name.startswith(prefix):
                    continue
                try:
                    removers.get(kind, fixtures.delete)(href)
                    report.removed.append(f"{kind} {name}")
                except ConformanceError as exc:
                    report.failed.append(f"{kind} {name}: {exc}")
            if not report.failed or attempt == PASSES:
                break
            sleep(2.0**attempt)  # busy objects (a task still running): try again, bounded
    finally:
        client.logout()
        client.close()
    return report
