"""Preconditions an example needs (a vApp in some state, a blocked task, a user, ...).

Each fixture is built with documented requests reached by following links, its
objects are named ``vcdc-<run id>-...`` and registered for removal, and the
removal runs whatever happens to the example. Fixture requests are not judged:
the examples that document them are.
"""

from __future__ import annotations

import functools
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
    undo: list[tuple[str, Callable[[], object]]] = field(default_factory=list)
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
        result = watch(
            self.client,
            href,
            timeout=self.target.task_timeout,
            first_delay=self.target.poll_delay,
            sleep=self.sleep,
        )
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
        if anchor == "vapp":  # kept as read before the first change: its links go stale
            self.nav.docs.setdefault("vapp-initial", doc)
        href = self.nav.href_of(doc, Step("link", rel=rel))
        exchange = self.send(method, href, body, content_type)
        self.wait(exchange, f"{rel} on {anchor}")
        self.nav.docs.pop(anchor, None)  # the state changed: read it again when next needed
        return exchange

    def adopt(self, kind: str, href: str) -> None:
        """Remove, after the example, what the example's own request created."""
        if not href:
            return
        remove: Callable[[str], None] = {
            "vapp": self.delete_vapp,
            "org": self.delete_disabled,
            "vdc": self.delete_disabled,
            "extension-task": self._finish_extension,
        }.get(kind, self.delete)
        self.undo.append((f"{kind} {href} (created by the example)", lambda: remove(href)))

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
            # Held for 2 s at most, then aborted by the cloud itself (timeoutAction).
            "blocked-task-timeout": lambda: self.blocked_task(timeout_ms=2000, action="abort"),
            "own-catalog": self.own_catalog,
            "own-item": self.own_item,
            "own-user": self.own_user,
            "own-org": self.own_org,
            "extension-task": self.extension_task,
            "own-org-disabled": self.own_org_disabled,
            "own-template": self.own_template,
            "own-vdc": self.own_vdc,
            "own-network": self.own_network,
            "own-vdc-disabled": lambda: self.own_vdc(disabled=True),
            "template-downloadable": self.template_downloadable,
            "amqp-settings": lambda: self.system_settings(ADMIN("amqpSettings")),
            "notifications-settings": lambda: self.system_settings(ADMIN("notificationsSettings")),
            "own-media": self.own_media,
            "own-disk": self.own_disk,
            "disk-attached": self.disk_attached,
            "vapp-media": self.vapp_media,
            "own-group": self.own_group,
            "own-role": self.own_role,
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
            f"<InstantiateVAppTemplateParams {NS} name={quoteattr(name)} "
            'deploy="false" powerOn="false">'
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

    def _settled(self, href: str, exchange: Exchange) -> Exchange:
        """Wait for the tasks an object still runs (it is busy until then); read it again."""
        pending = exchange_tasks(exchange)
        for task in pending:
            watch(
                self.client,
                task,
                timeout=self.target.task_timeout,
                first_delay=self.target.poll_delay,
                sleep=self.sleep,
            )
        return self.client.get(href) if pending else exchange

    def delete_vapp(self, href: str) -> None:
        exchange = self.client.get(href)
        if exchange.status == 404:
            return
        exchange = self._settled(href, exchange)
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
            body = (
                f"<Metadata {NS}><MetadataEntry><Key>purpose</Key>"
                "<Value>conformance</Value></MetadataEntry></Metadata>"
            )
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
        watch(
            self.client,
            href,
            timeout=self.target.task_timeout,
            first_delay=self.target.poll_delay,
            sleep=self.sleep,
        )

    # -- blocking tasks ---------------------------------------------------------------------------
    def blocking_settings(self, timeout_ms: int | None = None, action: str | None = None) -> None:
        """Make instantiation a blocking operation (optionally with a timeout and its action)."""
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
        if action is not None and (el := root.find(f"{ext}TimeoutAction")) is not None:
            el.text = action
        if timeout_ms is not None and (el := root.find(f"{ext}TimeoutInMilliseconds")) is not None:
            el.text = str(timeout_ms)
        for link_el in root.findall(f"{_V}Link"):
            root.remove(link_el)
        self.send("PUT", edit, etree.tostring(root).decode(), ADMIN("blockingTaskSettings"))

    def system_settings(self, media_type: str) -> None:
        """Keep a section of the system settings as it is, to put it back afterwards.

        The AMQP password is never returned, so it is not put back either: the
        examples that change these settings leave the password out.
        """
        settings = self.nav.follow(
            self.nav.doc("extension"), Step("link", rel="down", type=ADMIN("systemSettings"))
        )
        section = self.nav.follow(settings, Step("link", rel="down", type=media_type))
        edit = self.nav.href_of(section, Step("link", rel="edit"))
        original = parse(section.exchange)
        for child in list(original):
            if child.tag == f"{_V}Link" or etree.QName(child).localname == "AmqpPassword":
                original.remove(child)
        body = etree.tostring(original).decode()
        self.undo.append(
            (f"system settings {media_type}", lambda: self.send("PUT", edit, body, media_type))
        )

    def blocked_task(self, timeout_ms: int | None = None, action: str | None = None) -> None:
        self.blocking_settings(timeout_ms, action)
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
                self.undo.append(("blocking task", functools.partial(self._release, blocking.href)))
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
        self._create(
            "own-catalog",
            "admin-org",
            ADMIN("catalog"),
            f"<AdminCatalog {NS} name={quoteattr(name)}><Description>vcd-conformance"
            "</Description></AdminCatalog>",
            f"catalog {name}",
        )

    def own_item(self) -> None:
        self.own_catalog()
        name = self.target.name(self.short + "i")
        template = self.nav.doc("template")
        self._create(
            "own-item",
            "own-catalog",
            MT("catalogItem"),
            f"<CatalogItem {NS} name={quoteattr(name)}><Description>fixture</Description>"
            f"<Entity href={quoteattr(template.href)}/></CatalogItem>",
            f"catalog item {name}",
        )

    def own_user(self) -> None:
        name = self.target.name(self.short)
        password = self.target.secret()
        self.redactor.add(password)
        self._create(
            "own-user",
            "admin-org",
            ADMIN("user"),
            f"<User {NS} name={quoteattr(name)}><FullName>Conformance user</FullName>"
            f"<IsEnabled>true</IsEnabled><Password>{password}</Password></User>",
            f"user {name}",
        )

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
        self.undo.append((f"organization {name}", lambda: self.delete_disabled(created)))

    def delete_disabled(self, href: str) -> None:
        """Organizations and VDCs are removed once disabled (their remove link appears then)."""
        doc_ex = self.client.get(href)
        if doc_ex.status == 404:
            return
        disable = find_link(parse(doc_ex), "disable")
        if disable is not None:
            self.send("POST", disable.get("href", ""), ok=(200, 202, 204))
        self.delete(href)

    def delete(self, href: str) -> None:
        """Remove an object through its remove link (or DELETE on it), waiting for the task."""
        doc_ex = self.client.get(href)
        if doc_ex.status == 404:
            return
        doc_ex = self._settled(href, doc_ex)
        remove = find_link(parse(doc_ex), "remove")
        gone = self.send(
            "DELETE",
            remove.get("href", href) if remove is not None else href,
            ok=(200, 202, 204, 404),
        )
        self.wait(gone, f"delete {href}")

    def own_org_disabled(self) -> None:
        self.own_org()
        org = self.nav.doc("own-org")
        self.send("POST", self.nav.href_of(org, Step("link", rel="disable")))
        self.nav.docs.pop("own-org", None)

    # -- provisioned objects ------------------------------------------------------------------
    def _create(self, anchor: str, at: str, body_type: str, body: str, what: str) -> str:
        """POST a creation body to the ``add`` link of ``at``; remember and remove the result."""
        href = self.nav.href_of(self.nav.doc(at), Step("link", rel="add", type=body_type))
        exchange = self.send("POST", href, body, body_type)
        created = parse(exchange).get("href", "")
        self.undo.append((what, lambda: self.delete(created)))
        self.wait(exchange, what)
        self.nav.known[anchor] = created
        return created

    def own_template(self) -> None:
        name = self.target.name(self.short + "t")
        source = self.nav.doc("template").href
        self._create(
            "own-template",
            "vdc",
            MT("cloneVAppTemplateParams"),
            f"<CloneVAppTemplateParams {NS} name={quoteattr(name)}>"
            "<Description>vcd-conformance fixture</Description>"
            f"<Source href={quoteattr(source)}/><IsSourceDelete>false</IsSourceDelete>"
            "</CloneVAppTemplateParams>",
            f"vApp template {name}",
        )

    def own_vdc(self, disabled: bool = False) -> None:
        """An organization VDC on the first provider VDC: CreateVdcParams from 5.1."""
        name = self.target.name(self.short + "v")
        provider = self.nav.doc("provider-vdc").href
        capacity = (
            "<ComputeCapacity><Cpu><Units>MHz</Units><Limit>2000</Limit></Cpu>"
            "<Memory><Units>MB</Units><Limit>4096</Limit></Memory></ComputeCapacity>"
        )
        reference = f"<ProviderVdcReference href={quoteattr(provider)}/>"
        if self.client.version >= _V51:
            profile = self.nav.doc("provider-storage-profile").href
            body_type = ADMIN("createVdcParams")
            body = (
                f"<CreateVdcParams {NS} name={quoteattr(name)}>"
                "<Description>vcd-conformance fixture</Description>"
                f"<AllocationModel>AllocationVApp</AllocationModel>{capacity}"
                "<VdcStorageProfile><Enabled>true</Enabled><Units>MB</Units>"
                "<Limit>102400</Limit><Default>true</Default>"
                f"<ProviderVdcStorageProfile href={quoteattr(profile)}/></VdcStorageProfile>"
                f"{reference}</CreateVdcParams>"
            )
        else:
            body_type = ADMIN("vdc")
            body = (
                f"<AdminVdc {NS} name={quoteattr(name)}>"
                "<Description>vcd-conformance fixture</Description>"
                "<AllocationModel>AllocationVApp</AllocationModel>"
                "<StorageCapacity><Units>MB</Units><Limit>102400</Limit></StorageCapacity>"
                f"{capacity}{reference}</AdminVdc>"
            )
        href = self.nav.href_of(self.nav.doc("admin-org"), Step("link", rel="add", type=body_type))
        exchange = self.send("POST", href, body, body_type)
        created = parse(exchange).get("href", "")
        self.undo.append((f"VDC {name}", lambda: self.delete_disabled(created)))
        self.wait(exchange, f"VDC {name}")
        self.nav.known["own-vdc"] = created
        if disabled:
            self.action("own-vdc", "disable")

    def own_network(self) -> None:
        """An isolated network: of the organization in 1.5, of its VDC from 5.1."""
        name = self.target.name(self.short + "n")
        scope = (
            "<IpScope><IsInherited>false</IsInherited><Gateway>10.30.40.1</Gateway>"
            "<Netmask>255.255.255.0</Netmask><IpRanges><IpRange>"
            "<StartAddress>10.30.40.100</StartAddress><EndAddress>10.30.40.199</EndAddress>"
            "</IpRange></IpRanges></IpScope>"
        )
        if self.client.version >= _V51:
            at, kind = "admin-vdc", "orgVdcNetwork"
            config = f"<IpScopes>{scope}</IpScopes>"
        else:
            at, kind = "admin-org", "orgNetwork"
            config = scope
        self._create(
            "own-network",
            at,
            MT(kind),
            f"<{kind[0].upper()}{kind[1:]} {NS} name={quoteattr(name)}>"
            "<Description>vcd-conformance fixture</Description>"
            f"<Configuration>{config}<FenceMode>isolated</FenceMode></Configuration>"
            f"</{kind[0].upper()}{kind[1:]}>",
            f"network {name}",
        )

    def template_downloadable(self) -> None:
        self.own_template()
        self.action("own-template", "enable")

    def own_media(self) -> None:
        name = self.target.name(self.short + "m")
        source = self.nav.doc("media").href
        self._create(
            "own-media",
            "vdc",
            MT("cloneMediaParams"),
            f"<CloneMediaParams {NS} name={quoteattr(name)}>"
            "<Description>vcd-conformance fixture</Description>"
            f"<Source href={quoteattr(source)}/><IsSourceDelete>false</IsSourceDelete>"
            "</CloneMediaParams>",
            f"media {name}",
        )

    def own_disk(self) -> None:
        name = self.target.name(self.short + "d")
        self._create(
            "own-disk",
            "vdc",
            MT("diskCreateParams"),
            f'<DiskCreateParams {NS}><Disk name={quoteattr(name)} size="1073741824">'
            "<Description>vcd-conformance fixture</Description></Disk></DiskCreateParams>",
            f"disk {name}",
        )

    def disk_attached(self) -> None:
        self.vapp("vapp", "off")
        self.own_disk()
        disk = self.nav.known["own-disk"]
        body = (
            f"<DiskAttachOrDetachParams {NS}><Disk href={quoteattr(disk)}/>"
            "</DiskAttachOrDetachParams>"
        )
        vm = self.nav.doc("vm")
        detach = self.nav.href_of(vm, Step("link", rel="disk:detach"))
        self.undo.append(
            (
                "disk attachment",
                lambda: self.wait(
                    self.send("POST", detach, body, MT("diskAttachOrDetachParams"), ok=(202, 400)),
                    "detach for cleanup",
                ),
            )
        )
        self.action("vm", "disk:attach", body, MT("diskAttachOrDetachParams"))

    def vapp_media(self) -> None:
        self.vapp("vapp", "off")
        media = self.nav.doc("media").href
        self.action(
            "vm",
            "media:insertMedia",
            f"<MediaInsertOrEjectParams {NS}><Media href={quoteattr(media)}/>"
            "</MediaInsertOrEjectParams>",
            MT("mediaInsertOrEjectParams"),
        )

    # -- groups and roles -------------------------------------------------------------------
    def own_group(self) -> None:
        name = self.target.name(self.short + "g")
        role = self.nav.doc("role").href
        self._create(
            "own-group",
            "admin-org",
            ADMIN("group"),
            f"<Group {NS} name={quoteattr(name)}><Description>vcd-conformance fixture"
            f"</Description><Role href={quoteattr(role)}/></Group>",
            f"group {name}",
        )

    def own_role(self) -> None:
        name = self.target.name(self.short + "r")
        admin = self.nav.doc("admin")
        rights = admin.root.find(f"{_V}RightReferences")
        right = rights[0] if rights is not None and len(rights) else None
        refs = (
            f"<RightReferences><RightReference href={quoteattr(right.get('href', ''))}/>"
            "</RightReferences>"
            if right is not None
            else ""
        )
        self._create(
            "own-role",
            "admin",
            ADMIN("role"),
            f"<Role {NS} name={quoteattr(name)}><Description>vcd-conformance fixture"
            f"</Description>{refs}</Role>",
            f"role {name}",
        )

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
