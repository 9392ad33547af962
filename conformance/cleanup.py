"""Removing what conformance runs created: every object named ``vcdc-<run id>-...``.

Runs clean up after each example; this sweep catches what an interrupted run
(Ctrl-C, a crash, a lost connection) left behind. It finds objects through the
query service and removes them through their own ``remove`` links.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import safexml
from .client import VcdClient
from .errors import ConformanceError, PayloadError
from .fixtures import Fixtures
from .navigate import Navigator, find_link, links
from .target import Target
from .versions import ApiVersion

PREFIX = "vcdc-"
#: Query types to sweep, in removal order (vApps before catalogs, users before orgs).
SWEEP_TYPES = (
    ("vApp", "adminVApp"),
    ("catalog", "adminCatalog"),
    ("user", "user"),
    ("organization", "organization"),
)


@dataclass
class SweepReport:
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _records(client: VcdClient, nav: Navigator, query_type: str) -> list[tuple[str, str]]:
    query_list = nav.doc("query-list")
    link = next(
        (
            el
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
        for tenant_type, system_type in SWEEP_TYPES:
            if role == "tenant" and tenant_type != "vApp":
                continue  # catalogs, users and orgs are created (and removable) by a system admin
            query_type = system_type if role == "system" else tenant_type
            for name, href in _records(client, nav, query_type):
                if not name.startswith(prefix):
                    continue
                try:
                    if tenant_type == "vApp":
                        fixtures.delete_vapp(href)
                    else:
                        fixtures.delete(href)
                    report.removed.append(f"{tenant_type} {name}")
                except ConformanceError as exc:
                    report.failed.append(f"{tenant_type} {name}: {exc}")
    finally:
        client.logout()
        client.close()
    return report
