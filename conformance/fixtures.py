"""Preconditions an example needs (a vApp in some state, a blocked task, a user, ...).

Each fixture is built with documented requests reached by following links, its
objects are named ``vcdc-<run id>-...`` and registered for removal, and the
removal runs whatever happens to the example. Fixture requests are not judged:
the examples that document them are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from lxml import etree

from .client import Exchange, VcdClient
from .errors import ConformanceError
from .examples import Step
from .mediatypes import EXTENSION_NS, VCLOUD_NS
from .navigate import Doc, NavigationError, Navigator, find_link, parse
from .redaction import Redactor
from .target import Target
from .versions import ApiVersion
from .violations import Violation
from .watcher import TaskWatch, watch

_V = f"{{{VCLOUD_NS}}}"
_V51 = ApiVersion(5, 1)
NS = f'xmlns="{VCLOUD_NS}"'
MT = "application/vnd.vmware.vcloud.{}+xml".format
ADMIN = "application/vnd.vmware.admin.{}+xml".format


class FixtureError(ConformanceError):
    """A precondition could not be set up; the example cannot be judged.

    ``violations`` holds what the failed setup revealed about the cloud (a task
    that never ended, a Task breaking its state machine).
    """

    def __init__(self, message: str, violations: list[Violation] | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []


@dataclass
class Fixtures:
    """Creates preconditions for one example and removes them afterwards."""

    nav: Navigator
    target: Target
    short: str
    sleep: Callable[[float], None]
    redactor: Redactor
    #: (description, undo) pairs, undone in reverse order.
    undo: list[tuple[str, Callable[[], None]]] = field(default_factory=list)
    watches: list[TaskWatch] = field(default_factory=list)

    @property
    def client(self) -> VcdClient:
        return self.nav.client

    # -- helpers -------------------------------------------------------------------------------
    def send(
        self,
        method: str,
        url: str,
        body: str | None = None,
        content_type: str | None = None,
        ok: tuple[int, ...] = (200, 201, 202, 204),
    ) -> Exchange:
        exchange = self.client.request(
            method, url, body=body.encode() if body else None, content_type=content_type
        )
        if exchange.status not in ok:
            raise FixtureError(
                f"setup: {method} {url} answered {exchange.status}: "
                f"{exchange.response_body[:300].decode('utf-8', 'replace')}"
            )
        return exchange

    def wait(self, exchange: Exchange, what: str) -> None:
        """Wait for the task an answer carries (a Task, or an entity embedding Tasks)."""
        href = task_href(exchange)
        if href is None:
            return
        result = watch(self.client, href, timeout=self.target.task_timeout, sleep=self.sleep)
        self.watches.append(result)
        final = result.final.status if result.final else None
        if final != "success":
            raise FixtureError(
                f"setup: {what} task {href} ended {final or 'without an answer'}"
                + (" (timed out)" if result.timed_out else ""),
                result.violations("success"),
            )

    def action(
        self,
        anchor: str,
        rel: str,
        body: str | None = None,
        content_type: str | None = None,
        method: str = "POST",
    ) -> Exchange:
        doc = self.nav.doc(anchor)
        href = self.nav.href_of(doc, Step("link", rel=rel))
        exchange = self.send(method, href, body, content_type)
        self.wait(exchange, f"{rel} on {anchor}")
        self.nav.docs.pop(anchor, None)  # the state changed: read it again when next needed
        return exchange

    def make(self, name: str) -> None:
        builders: dict[str, Callable[[], None]] = {
            "vapp-off": lambda: self.vapp("vapp", "off"),
            "vapp-deployed": lambda: self.vapp("vapp", "deployed"),
            "vapp-on": lambda: self.vapp("vapp", "on"),
            "vapp-suspended": lambda: self.vapp("vapp", "suspended"),
            "vapp-snapshot": lambda: self.vapp("vapp", "snapshot"),
            "vapp2-off": lambda: self.vapp("vapp2", "off", suffix="b"),
            "vapp-metadata": self.vapp_metadata,
            "running-task": self.running_task,
            "blocking-settings": self.blocking_settings,
            "blocked-task": self.blocked_task,
            "own-catalog": self.own_catalog,
            "own-item": self.own_item,
            "own-user": self.own_user,
            "own-org": self.own_org,
            "extension-task": self.extension_task,
        }
        builders[name]()  # a missing link is a finding (example.navigation), not a setup error

    def remove_all(self) -> list[str]:
        """Undo everything, newest first; return what could not be undone."""
        problems = []
        while self.undo:
            what, fn = self.undo.pop()
            try:
                fn()
            except Exception as exc:
                problems.append(f"cleanup of {what} failed: {exc}")
        return problems

    # -- vApps -----------------------------------------------------------------------------------
    def instantiate(self, name: str, anchor: str) -> None:
        template = self.nav.doc("template")
        vdc = self.nav.doc("vdc")
        href = self.nav.href_of(
            vdc, Step("link", rel="add", type=MT("instantiateVAppTemplateParams"))
        )
        body = (
            f'<InstantiateVAppTemplateParams {NS} name={quoteattr(name)} deploy="false" powerOn="false">'
            f"<Description>vcd-conformance fixture</Description>"
            f"<Source href={quoteattr(template.href)}/>"
            f"<AllEULAsAccepted>true</AllEULAsAccepted></InstantiateVAppTemplateParams>"
        )
        exchange = self.send("POST", href, body, MT("instantiateVAppTemplateParams"))
        vapp_href = parse(exchange).get("href", "")
        self.nav.known[anchor] = vapp_href
        self.undo.append((f"vApp {name}", lambda: self.delete_vapp(vapp_href)))
        self.wait(exchange, f"instantiate {name}")
        self.nav.docs.pop(anchor, None)

    def vapp(self, anchor: str, state: str, suffix: str = "") -> None:
        name = self.target.name(self.short + suffix)
        self.instantiate(name, anchor)
        if state == "off":
            return
        if state == "deployed":
            self.action(
                anchor,
                "deploy",
                f'<DeployVAppParams {NS} powerOn="false"/>',
                MT("deployVAppParams"),
            )
        if state in ("on", "suspended"):
            self.action(anchor, "power:powerOn")
        if state == "suspended":
            self.action(anchor, "power:suspend")
        if state == "snapshot":
            self.action(
                anchor,
                "snapshot:create",
                f'<CreateSnapshotParams {NS} name="base" memory="false" quiesce="false"/>',
                MT("createSnapshotParams"),
            )

    def delete_vapp(self, href: str) -> None:
        exchange = self.client.get(href)
        if exchange.status == 404:
            return
        pending = exchange_tasks(exchange)
        for task in pending:
            watch(self.client, task, timeout=self.target.task_timeout, sleep=self.sleep)
        if pending:
            exchange = self.client.get(href)
        doc = Doc(href, parse(exchange), exchange)
        undeploy = find_link(doc.root, "undeploy")
        if undeploy is not None:
            step = self.send(
                "POST",
                undeploy.get("href", ""),
                f"<UndeployVAppParams {NS}><UndeployPowerAction>powerOff</UndeployPowerAction>"
                "</UndeployVAppParams>",
                MT("undeployVAppParams"),
                ok=(202, 200, 400),
            )
            if step.status in (200, 202):
                self.wait(step, "undeploy for cleanup")
            again = self.client.get(href)
            doc = Doc(href, parse(again), again)
        remove = find_link(doc.root, "remove")
        url = remove.get("href", href) if remove is not None else f"{href}?force=true"
        gone = self.send("DELETE", url, ok=(200, 202, 204, 404))
        self.wait(gone, "delete for cleanup")

    def vapp_metadata(self) -> None:
        self.vapp("vapp", "off")
        metadata = self.nav.follow(
            self.nav.doc("vapp"), Step("link", rel="down", type=MT("metadata"))
        )
        href = self.nav.href_of(metadata, Step("link", rel="add", type=MT("metadata")))
        body = (
            f'<Metadata {NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<MetadataEntry><Key>purpose</Key><Value>conformance</Value>"
            f'<TypedValue xsi:type="MetadataStringValue"><Value>conformance</Value></TypedValue>'
            f"</MetadataEntry></Metadata>"
        )
        if self.client.version < _V51:
            body = f"<Metadata {NS}><MetadataEntry><Key>purpose</Key><Value>conformance</Value></MetadataEntry></Metadata>"
        else:
            body = body.replace("<Value>conformance</Value><TypedValue", "<TypedValue")
        exchange = self.send("POST", href, body, MT("metadata"))
        self.wait(exchange, "metadata update")
        self.nav.known["metadata"] = metadata.href

    def running_task(self) -> None:
        self.vapp("vapp", "off")
        doc = self.nav.doc("vapp")
        href = self.nav.href_of(doc, Step("link", rel="power:powerOn"))
        self.nav.known["action-url"] = href  # offered now; the busy probe tries it again later
        exchange = self.send("POST", href)
        task = task_href(exchange)
        if task is None:
            raise FixtureError("setup: power:powerOn did not answer a Task")
        self.nav.known["task"] = task
        self.undo.append(("running task", lambda: self._settle(task)))

    def _settle(self, href: str) -> None:
        watch(self.client, href, timeout=self.target.task_timeout, sleep=self.sleep)

    # -- blocking tasks -----------------------------------------------------------------------------
    def blocking_settings(self) -> None:
        doc = self.nav.refresh("blocking-settings")
        original = etree.tostring(doc.root)
        edit = self.nav.href_of(doc, Step("link", rel="edit"))
        self.undo.append(
            (
                "blocking task settings",
                lambda: self.send("PUT", edit, original.decode(), ADMIN("blockingTaskSettings")),
            )
        )
        ext = f"{{{EXTENSION_NS}}}"
        root = parse(doc.exchange)
        ops = root.find(f"{ext}BlockingTaskOperations")
        if ops is not None and not any((o.text or "").strip() == "vdcInstantiateVapp" for o in ops):
            etree.SubElement(ops, f"{_V}Operation").text = "vdcInstantiateVapp"
        for link_el in root.findall(f"{_V}Link"):
            root.remove(link_el)
        self.send("PUT", edit, etree.tostring(root).decode(), ADMIN("blockingTaskSettings"))

    def blocked_task(self) -> None:
        self.blocking_settings()
        name = self.target.name(self.short)
        template = self.nav.doc("template")
        vdc = self.nav.doc("vdc")
        href = self.nav.href_of(
            vdc, Step("link", rel="add", type=MT("instantiateVAppTemplateParams"))
        )
        body = (
            f"<InstantiateVAppTemplateParams {NS} name={quoteattr(name)}>"
            f"<Source href={quoteattr(template.href)}/>"
            f"<AllEULAsAccepted>true</AllEULAsAccepted></InstantiateVAppTemplateParams>"
        )
        exchange = self.send("POST", href, body, MT("instantiateVAppTemplateParams"))
        vapp_href = parse(exchange).get("href", "")
        task = task_href(exchange)
        self.nav.known["vapp"] = vapp_href
        if task:
            self.nav.known["task"] = task
        self.undo.append((f"vApp {name}", lambda: self.delete_vapp(vapp_href)))
        listing = self.nav.follow(
            self.nav.doc("extension"), Step("link", rel="down", type=MT("query.references"))
        )
        for ref in listing.root:
            if not isinstance(ref.tag, str) or not ref.get("href"):
                continue
            blocking = self.nav.get(ref.get("href", ""))
            up = find_link(blocking.root, "up")
            if up is not None and task and up.get("href") == task:
                self.nav.known["blocking-task"] = blocking.href
                self.undo.append(("blocking task", lambda b=blocking.href: self._release(b)))
                return
        raise FixtureError(
            "setup: the instantiation did not create a BlockingTask "
            "although its operation is configured as blocking"
        )

    def _release(self, href: str) -> None:
        doc = self.nav.get(href)
        if doc.root.get("status") != "active":
            return
        abort = find_link(doc.root, "abort")
        if abort is not None:
            self.send(
                "POST",
                abort.get("href", ""),
                f'<BlockingTaskOperationParams xmlns="{EXTENSION_NS}"><Message>cleanup</Message>'
                "</BlockingTaskOperationParams>",
                ADMIN("blockingTaskOperationParams"),
            )

    # -- admin objects ----------------------------------------------------------------------------
    def own_catalog(self) -> None:
        name = self.target.name(self.short)
        org = self.nav.doc("admin-org")
        href = self.nav.href_of(org, Step("link", rel="add", type=ADMIN("catalog")))
        exchange = self.send(
            "POST",
            href,
            f"<AdminCatalog {NS} name={quoteattr(name)}><Description>vcd-conformance"
            "</Description></AdminCatalog>",
            ADMIN("catalog"),
        )
        self.wait(exchange, "catalog creation")
        created = parse(exchange).get("href", "")
        self.nav.known["own-catalog"] = created
        self.undo.append((f"catalog {name}", lambda: self.delete(created)))

    def own_item(self) -> None:
        self.own_catalog()
        catalog = self.nav.doc("own-catalog")
        href = self.nav.href_of(catalog, Step("link", rel="add", type=MT("catalogItem")))
        template = self.nav.doc("template")
        name = self.target.name(self.short + "i")
        exchange = self.send(
            "POST",
            href,
            f"<CatalogItem {NS} name={quoteattr(name)}><Description>fixture</Description>"
            f"<Entity href={quoteattr(template.href)}/></CatalogItem>",
            MT("catalogItem"),
        )
        created = parse(exchange).get("href", "")
        self.nav.known["own-item"] = created
        self.undo.append((f"catalog item {name}", lambda: self.delete(created)))

    def own_user(self) -> None:
        name = self.target.name(self.short)
        password = self.target.name("Pw-" + self.short)
        self.redactor.add(password)
        org = self.nav.doc("admin-org")
        href = self.nav.href_of(org, Step("link", rel="add", type=ADMIN("user")))
        exchange = self.send(
            "POST",
            href,
            f"<User {NS} name={quoteattr(name)}><FullName>Conformance user</FullName>"
            f"<IsEnabled>true</IsEnabled><Password>{password}</Password></User>",
            ADMIN("user"),
        )
        created = parse(exchange).get("href", "")
        self.nav.known["own-user"] = created
        self.undo.append((f"user {name}", lambda: self.delete(created)))

    def own_org(self) -> None:
        name = self.target.name(self.short)
        admin = self.nav.doc("admin")
        href = self.nav.href_of(admin, Step("link", rel="add", type=ADMIN("organization")))
        exchange = self.send(
            "POST",
            href,
            f"<AdminOrg {NS} name={quoteattr(name)}><Description>fixture</Description>"
            f"<FullName>Conformance org</FullName><IsEnabled>true</IsEnabled>"
            f"<Settings><OrgGeneralSettings><CanPublishCatalogs>false</CanPublishCatalogs>"
            f"</OrgGeneralSettings></Settings></AdminOrg>",
            ADMIN("organization"),
        )
        created = parse(exchange).get("href", "")
        self.nav.known["own-org"] = created
        self.undo.append((f"organization {name}", lambda: self.delete(created)))

    def delete(self, href: str) -> None:
        """Remove an object through its remove link (or DELETE on it), waiting for the task."""
        doc_ex = self.client.get(href)
        if doc_ex.status == 404:
            return
        remove = find_link(parse(doc_ex), "remove")
        gone = self.send(
            "DELETE",
            remove.get("href", href) if remove is not None else href,
            ok=(200, 202, 204, 404),
        )
        self.wait(gone, f"delete {href}")

    def extension_task(self) -> None:
        tasks_list = self.nav.doc("tasks-list")
        org = self.nav.doc("org")
        body = (
            f'<Task {NS} name="task" status="running" operationName="conformanceProbe" '
            f'operation="vcd-conformance probe" serviceNamespace="org.vcdconformance">'
            f"<Owner href={quoteattr(org.href)} type={quoteattr(MT('org'))}/>"
            f"<Progress>10</Progress></Task>"
        )
        exchange = self.send("POST", tasks_list.href, body, MT("task"))
        created = parse(exchange).get("href", "")
        self.nav.known["task"] = created
        self.undo.append(("extension task", lambda: self._finish_extension(created)))

    def _finish_extension(self, href: str) -> None:
        doc = self.nav.get(href)
        if doc.root.get("status") in ("success", "error", "aborted", "canceled"):
            return
        edit = find_link(doc.root, "edit")
        url = edit.get("href", href) if edit is not None else href
        self.send(
            "PUT",
            url,
            f'<Task {NS} name="task" status="success"><Progress>100</Progress></Task>',
            MT("task"),
        )


def task_href(exchange: Exchange) -> str | None:
    """The Task an answer tracks: the root Task, or the first one an entity embeds."""
    if not exchange.response_body:
        return None
    try:
        root = parse(exchange)
    except NavigationError:
        return None
    if root.tag == f"{_V}Task":
        return root.get("href")
    embedded = root.find(f"{_V}Tasks/{_V}Task")
    return embedded.get("href") if embedded is not None else None


def exchange_tasks(exchange: Exchange) -> list[str]:
    try:
        root = parse(exchange)
    except NavigationError:
        return []
    return [t.get("href", "") for t in root.iterfind(f"{_V}Tasks/{_V}Task") if t.get("href")]
