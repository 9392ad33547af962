"""The Programming Guide walk-through against the embedded reference cloud.

For each API version and each role, the test does what the vCloud API
Programming Guide walks a client through, over real HTTP: versions, login,
browsing by links, the admin views, the query service, provisioning, operating
a vApp, VM sections, metadata, snapshots, tasks (cancel, extension tasks,
blocking tasks), delete and logout. Every response body is judged by the
project's own checks, every request body is validated against the XSDs first,
and every GET-able link met on the way is followed to prove it answers exactly
its declared media type.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from lxml import etree

from conformance import checks
from conformance.mediatypes import EXTENSION_NS, OVF_NS, VCLOUD_NS
from conformance.payload import Payload
from conformance.simulator.server import SimServer
from conformance.validation import is_valid, iter_errors
from conformance.versions import ApiVersion
from conformance.violations import Severity

RASD_NS = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NS = {"v": VCLOUD_NS, "ovf": OVF_NS, "rasd": RASD_NS, "x": EXTENSION_NS, "xsi": XSI_NS}
V = f"{{{VCLOUD_NS}}}"
XMLNS = f'xmlns="{VCLOUD_NS}" xmlns:ovf="{OVF_NS}" xmlns:rasd="{RASD_NS}" xmlns:xsi="{XSI_NS}"'

#: Links whose targets a client may GET (the walk follows every one it meets).
GETTABLE_RELS = frozenset({"up", "down", "alternate", "edit"})
TERMINAL = frozenset({"success", "error", "aborted"})
#: How long one task may take at the walk's task speed before the test gives up.
TASK_DEADLINE = 15.0
POLL_INTERVAL = 0.02
WALK_TASK_SPEED = 50.0

VERSIONS = ("1.5", "5.1", "5.5", "36.0")
ROLES = ("tenant", "system")
USERS = {"tenant": "alice@acme", "system": "administrator@System"}


def mt(name: str, family: str = "vcloud") -> str:
    return f"application/vnd.vmware.{family}.{name}+xml"


class Walker:
    """One logged-in client that checks every exchange it makes.

    ``request`` validates the request body against the XSDs at the walk's
    version, asserts the status, the Content-Type and zero error violations of
    the response; ``get`` also follows every GET-able link of the answer once.
    """

    def __init__(
        self, server: SimServer, version: ApiVersion, context: checks.Context, who: str
    ) -> None:
        self.server = server
        self.version = version
        self.context = context
        self.who = who
        self.http = httpx.Client(
            base_url=server.url,
            headers={"Accept": f"application/*+xml;version={version}"},
            timeout=10.0,
        )
        self.followed: set[tuple[str, str]] = set()
        self.bodies_checked = 0
        self.session: etree._Element | None = None

    # -- exchanges --------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        *,
        body: str | None = None,
        media_type: str | None = None,
        status: int = 200,
        auth: tuple[str, str] | None = None,
    ) -> httpx.Response:
        headers = {}
        content = None
        if body is not None:
            content = body.encode("utf-8")
            root = etree.fromstring(content)
            assert is_valid(root, self.version), (
                f"request body for {method} {url} is invalid at {self.version}: "
                + "; ".join(str(e) for e in iter_errors(root, self.version))
            )
            if media_type:
                headers["Content-Type"] = f"{media_type};version={self.version}"
        response = self.http.request(method, url, content=content, headers=headers, auth=auth)
        assert response.status_code == status, (
            f"{method} {url}: expected {status}, got {response.status_code}: {response.text}"
        )
        if response.content:
            self.check_body(response)
        return response

    def check_body(self, response: httpx.Response) -> None:
        what = f"{response.request.method} {response.request.url}"
        content_type = response.headers.get("content-type", "")
        # /api/versions is answered before any negotiation: judge it by its own label.
        version: ApiVersion | None = None
        if response.request.url.path != "/api/versions":
            version = self.version
            pattern = (
                # (vm: the documented family of ComplianceResult, vm.complianceResult+xml)
                r"application/vnd\.vmware\.(vcloud|admin|vm)\.[A-Za-z][\w.]*\+xml"
                rf";version={re.escape(str(self.version))}"
            )
            assert re.fullmatch(pattern, content_type), f"{what}: Content-Type {content_type!r}"
        payload = Payload(response.content, content_type, version, source=what)
        violations = checks.run_checks(payload, self.context)
        errors = [v for v in violations if v.severity is Severity.ERROR]
        assert not errors, f"{what} ({content_type}):\n" + "\n".join(map(str, errors))
        self.bodies_checked += 1

    def xml(
        self,
        method: str,
        url: str,
        *,
        status: int = 200,
        expect_type: str | None = None,
        **kw: Any,
    ) -> etree._Element:
        response = self.request(method, url, status=status, **kw)
        if expect_type is not None:
            assert _media(response) == expect_type, f"{method} {url}: {_media(response)}"
        root = etree.fromstring(response.content)
        self.follow_links(root)
        return root

    def get(self, url: str, expect_type: str | None = None, status: int = 200) -> etree._Element:
        return self.xml("GET", url, status=status, expect_type=expect_type)

    def open(self, element: etree._Element) -> etree._Element:
        """GET a Link or Reference element; the answer must be of its declared type."""
        return self.get(element.get("href", ""), expect_type=element.get("type"))

    def follow(self, root: etree._Element, rel: str, media_type: str) -> etree._Element:
        return self.open(link(root, rel, media_type))

    def follow_links(self, root: etree._Element) -> None:
        """GET every not yet followed up/down/alternate/edit link; check its type."""
        for el in root.iter(f"{V}Link"):
            rel, href, kind = el.get("rel"), el.get("href"), el.get("type")
            if rel not in GETTABLE_RELS or not href or not kind or (href, kind) in self.followed:
                continue
            self.followed.add((href, kind))
            response = self.request("GET", href)
            assert _media(response) == kind, f"Link rel={rel} {href}: got {_media(response)}"

    # -- tasks ------------------------------------------------------------------------------------
    def wait(self, task: etree._Element, outcome: str = "success") -> etree._Element:
        """Poll a Task until it ends (bounded); assert its outcome."""
        assert etree.QName(task).localname == "Task", etree.tostring(task)
        href = task.get("href", "")
        deadline = time.monotonic() + TASK_DEADLINE
        while task.get("status") not in TERMINAL:
            assert time.monotonic() < deadline, f"task {href} still {task.get('status')}"
            time.sleep(POLL_INTERVAL)
            task = etree.fromstring(self.request("GET", href).content)
        assert task.get("status") == outcome, etree.tostring(task).decode()
        return task

    def run(self, method: str, url: str, status: int = 202, **kw: Any) -> etree._Element:
        """Start an operation that answers a Task and wait for its success."""
        return self.wait(self.xml(method, url, status=status, **kw))

    def close(self) -> None:
        self.http.close()


def _media(response: httpx.Response) -> str:
    """The Content-Type without parameters."""
    return response.headers.get("content-type", "").split(";")[0]


def link(root: etree._Element, rel: str, media_type: str | None = None) -> etree._Element:
    for el in root.iterfind("v:Link", NS):
        if el.get("rel") == rel and (media_type is None or el.get("type") == media_type):
            return el
    rels = [(el.get("rel"), el.get("type")) for el in root.iterfind("v:Link", NS)]
    raise AssertionError(f"no Link rel={rel} type={media_type} in {root.tag}: {rels}")


def has_link(root: etree._Element, rel: str) -> bool:
    return any(el.get("rel") == rel for el in root.iterfind("v:Link", NS))


def named(elements: Iterator[etree._Element] | list[etree._Element], name: str) -> etree._Element:
    for el in elements:
        if el.get("name") == name:
            return el
    raise AssertionError(f"nothing named {name}")


def only_task(vapp: etree._Element) -> etree._Element:
    tasks = vapp.findall("v:Tasks/v:Task", NS)
    assert len(tasks) == 1, etree.tostring(vapp).decode()
    return tasks[0]


# -- request bodies (our own values; each validated before it is sent) ----------------------


def instantiate_params(
    name: str, template: str, network: tuple[str, str], eula: bool | None
) -> str:
    """Instantiate ``template`` bridged to the VDC network ``(href, name)``."""
    accepted = (
        f"<AllEULAsAccepted>{str(eula).lower()}</AllEULAsAccepted>" if eula is not None else ""
    )
    return f"""<InstantiateVAppTemplateParams {XMLNS} name="{name}" deploy="false" powerOn="false">
  <Description>Walk-through vApp {name}</Description>
  <InstantiationParams>
    <NetworkConfigSection>
      <ovf:Info>Networks of the walk-through vApp</ovf:Info>
      <NetworkConfig networkName="{network[1]}">
        <Configuration>
          <ParentNetwork href="{network[0]}"/>
          <FenceMode>bridged</FenceMode>
        </Configuration>
      </NetworkConfig>
    </NetworkConfigSection>
  </InstantiationParams>
  <Source href="{template}"/>
  {accepted}
</InstantiateVAppTemplateParams>"""


def compose_params(name: str, vm_hrefs: list[str]) -> str:
    items = "".join(f'<SourcedItem><Source href="{h}"/></SourcedItem>' for h in vm_hrefs)
    return f"""<ComposeVAppParams {XMLNS} name="{name}" deploy="false" powerOn="false">
  <Description>Composed in the walk-through</Description>
  {items}
  <AllEULAsAccepted>true</AllEULAsAccepted>
</ComposeVAppParams>"""


def clone_params(name: str, source: str) -> str:
    return f"""<CloneVAppParams {XMLNS} name="{name}" deploy="false" powerOn="false">
  <Description>Copy made in the walk-through</Description>
  <Source href="{source}"/>
  <IsSourceDelete>false</IsSourceDelete>
</CloneVAppParams>"""


def capture_params(name: str, source: str) -> str:
    return f"""<CaptureVAppParams {XMLNS} name="{name}">
  <Description>Captured in the walk-through</Description>
  <Source href="{source}"/>
</CaptureVAppParams>"""


DEPLOY = f'<DeployVAppParams {XMLNS} powerOn="false"/>'
DEPLOY_ON = f'<DeployVAppParams {XMLNS} powerOn="true"/>'
UNDEPLOY = (
    f"<UndeployVAppParams {XMLNS}><UndeployPowerAction>powerOff</UndeployPowerAction>"
    "</UndeployVAppParams>"
)
SNAPSHOT = f'<CreateSnapshotParams {XMLNS} name="walk-snapshot" memory="false" quiesce="false"/>'


def rasd_item(kind: str, quantity: int) -> str:
    units, description, instance, resource = {
        "cpu": ("hertz * 10^6", "Number of Virtual CPUs", 4, 3),
        "memory": ("byte * 2^20", "Memory Size", 5, 4),
    }[kind]
    return f"""<Item {XMLNS}>
  <rasd:AllocationUnits>{units}</rasd:AllocationUnits>
  <rasd:Description>{description}</rasd:Description>
  <rasd:ElementName>{quantity} {kind}</rasd:ElementName>
  <rasd:InstanceID>{instance}</rasd:InstanceID>
  <rasd:Reservation>0</rasd:Reservation>
  <rasd:ResourceType>{resource}</rasd:ResourceType>
  <rasd:VirtualQuantity>{quantity}</rasd:VirtualQuantity>
  <rasd:Weight>0</rasd:Weight>
</Item>"""


def network_connection_section(network: str, mode: str) -> str:
    return f"""<NetworkConnectionSection {XMLNS}>
  <ovf:Info>Specifies the available VM network connections</ovf:Info>
  <PrimaryNetworkConnectionIndex>0</PrimaryNetworkConnectionIndex>
  <NetworkConnection network="{network}">
    <NetworkConnectionIndex>0</NetworkConnectionIndex>
    <IsConnected>true</IsConnected>
    <IpAddressAllocationMode>{mode}</IpAddressAllocationMode>
  </NetworkConnection>
</NetworkConnectionSection>"""


def guest_customization_section(computer_name: str) -> str:
    return f"""<GuestCustomizationSection {XMLNS}>
  <ovf:Info>Specifies Guest OS Customization Settings</ovf:Info>
  <Enabled>true</Enabled>
  <AdminPasswordEnabled>true</AdminPasswordEnabled>
  <AdminPasswordAuto>false</AdminPasswordAuto>
  <AdminPassword>walk-Secret-1</AdminPassword>
  <ComputerName>{computer_name}</ComputerName>
</GuestCustomizationSection>"""


def operating_system_section(description: str) -> str:
    return f"""<ovf:OperatingSystemSection {XMLNS} ovf:id="94">
  <ovf:Info>Specifies the operating system installed</ovf:Info>
  <ovf:Description>{description}</ovf:Description>
</ovf:OperatingSystemSection>"""


def metadata_value(version: ApiVersion, kind: str, value: str) -> str:
    if version < ApiVersion(5, 1):  # no typed values before 5.1
        return f"<MetadataValue {XMLNS}><Value>{value}</Value></MetadataValue>"
    return (
        f'<MetadataValue {XMLNS}><TypedValue xsi:type="{kind}"><Value>{value}</Value>'
        "</TypedValue></MetadataValue>"
    )


def metadata(version: ApiVersion, entries: list[tuple[str, str, str]]) -> str:
    if version < ApiVersion(5, 1):
        body = "".join(
            f"<MetadataEntry><Key>{k}</Key><Value>{v}</Value></MetadataEntry>"
            for k, _, v in entries
        )
    else:
        body = "".join(
            f'<MetadataEntry><Key>{k}</Key><TypedValue xsi:type="{t}"><Value>{v}</Value>'
            "</TypedValue></MetadataEntry>"
            for k, t, v in entries
        )
    return f"<Metadata {XMLNS}>{body}</Metadata>"


def extension_task(owner: etree._Element, status: str, progress: int) -> str:
    return f"""<Task {XMLNS} name="task" status="{status}" operationName="walkBackup"
    operation="Backing up {owner.get("name")}" serviceNamespace="com.example.walk">
  <Owner href="{owner.get("href")}" type="{owner.get("type")}" name="{owner.get("name")}"/>
  <Progress>{progress}</Progress>
  <Details>walk-through backup service</Details>
</Task>"""


def task_update(status: str, progress: int) -> str:
    return f'<Task {XMLNS} name="task" status="{status}"><Progress>{progress}</Progress></Task>'


def blocking_settings(operations: list[str]) -> str:
    ops = "".join(f"<vcloud:Operation>{op}</vcloud:Operation>" for op in operations)
    return f"""<vmext:BlockingTaskSettings xmlns:vmext="{EXTENSION_NS}" xmlns:vcloud="{VCLOUD_NS}">
  <vmext:TimeoutAction>abort</vmext:TimeoutAction>
  <vmext:BlockingTaskOperations>{ops}</vmext:BlockingTaskOperations>
  <vmext:TimeoutInMilliseconds>600000</vmext:TimeoutInMilliseconds>
</vmext:BlockingTaskSettings>"""


def blocking_operation(message: str) -> str:
    return (
        f'<vmext:BlockingTaskOperationParams xmlns:vmext="{EXTENSION_NS}">'
        f"<vmext:Message>{message}</vmext:Message></vmext:BlockingTaskOperationParams>"
    )


def blocking_progress(message: str, timeout_ms: int) -> str:
    return (
        f'<vmext:BlockingTaskUpdateProgressParams xmlns:vmext="{EXTENSION_NS}">'
        f"<vmext:Message>{message}</vmext:Message>"
        f"<vmext:TimeoutValueInMilliseconds>{timeout_ms}</vmext:TimeoutValueInMilliseconds>"
        "</vmext:BlockingTaskUpdateProgressParams>"
    )


# -- the walk ----------------------------------------------------------------------------------


@pytest.fixture
def walk_sim(make_sim: Callable[..., SimServer]) -> SimServer:
    """A private cloud per walk: blocking-task settings are cloud-wide."""
    return make_sim(task_speed=WALK_TASK_SPEED)


@pytest.fixture
def walkers(walk_sim: SimServer, context: checks.Context) -> Iterator[Callable[[str, str], Walker]]:
    opened: list[Walker] = []

    def make(version: str, who: str) -> Walker:
        walker = Walker(walk_sim, ApiVersion.parse(version), context, who)
        opened.append(walker)
        return walker

    yield make
    for walker in opened:
        walker.close()


def login(walker: Walker) -> etree._Element:
    """Versions, then POST /api/sessions with Basic user@org; keep the token."""
    versions = walker.get("/api/versions")
    listed = versions.findall("{http://www.vmware.com/vcloud/versions}VersionInfo")
    assert str(walker.version) in [
        info.findtext("{http://www.vmware.com/vcloud/versions}Version") for info in listed
    ]
    login_url = next(
        info.findtext("{http://www.vmware.com/vcloud/versions}LoginUrl")
        for info in listed
        if info.findtext("{http://www.vmware.com/vcloud/versions}Version") == str(walker.version)
    )
    key = walker.who
    response = walker.request(
        "POST", login_url or "", auth=(USERS[key], walker.server.cloud.passwords[key])
    )
    token = response.headers["x-vcloud-authorization"]
    walker.http.headers["x-vcloud-authorization"] = token
    session = etree.fromstring(response.content)
    assert etree.QName(session).localname == "Session"
    assert session.get("user") == USERS[key].split("@")[0]
    walker.session = session
    walker.follow_links(session)
    return session


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("version", VERSIONS)
def test_guide_walkthrough(version: str, role: str, walkers: Callable[[str, str], Walker]) -> None:
    started = time.monotonic()
    actor = walkers(version, role)
    admin = actor if role == "system" else walkers(version, "system")
    api = ApiVersion.parse(version)
    modern = api >= ApiVersion(33, 0)

    session = login(actor)
    if admin is not actor:
        login(admin)

    # -- browse: OrgList -> Org -> Vdc / Catalog / items / template / media / network -------------
    org_list = actor.follow(session, "down", mt("orgList"))
    org_ref = named(org_list.iterfind("v:Org", NS), "acme")
    if role == "tenant":
        assert [o.get("name") for o in org_list.iterfind("v:Org", NS)] == ["acme"]
    org = actor.open(org_ref)
    assert org.findtext("v:FullName", namespaces=NS) == "Acme Corporation"
    if modern:  # from 33.0 an Org links to its VDCs and catalogs through queries
        vdc_records = actor.open(link_with_query(org, "orgVdc"))
        vdc_ref = vdc_records.find("v:OrgVdcRecord", NS)
        assert vdc_ref is not None
        vdc = actor.get(vdc_ref.get("href", ""), mt("vdc"))
        catalog_records = actor.open(link_with_query(org, "catalog"))
        catalog_ref = named(catalog_records.iterfind("v:CatalogRecord", NS), "acme-catalog")
        catalog = actor.get(catalog_ref.get("href", ""), mt("catalog"))
    else:
        vdc = actor.open(named(org.iterfind(f"v:Link[@type='{mt('vdc')}']", NS), "acme-vdc"))
        catalog = actor.open(
            named(org.iterfind(f"v:Link[@type='{mt('catalog')}']", NS), "acme-catalog")
        )
    net_type = mt("orgVdcNetwork") if api >= ApiVersion(5, 1) else mt("orgNetwork")
    network = actor.open(named(org.iterfind(f"v:Link[@type='{net_type}']", NS), "acme-net"))
    assert network.get("name") == "acme-net"

    items = {i.get("name"): i for i in catalog.iterfind("v:CatalogItems/v:CatalogItem", NS)}
    assert {"ubuntu-small", "licensed-appliance", "two-tier", "tools.iso"} <= set(items)
    templates = {}
    for name in ("ubuntu-small", "licensed-appliance", "two-tier"):
        item = actor.open(items[name])
        entity = item.find("v:Entity", NS)
        assert entity is not None and entity.get("type") == mt("vAppTemplate")
        templates[name] = actor.open(entity)
    assert templates["licensed-appliance"].find("ovf:EulaSection", NS) is not None
    media_item = actor.open(items["tools.iso"])
    media_entity = media_item.find("v:Entity", NS)
    assert media_entity is not None
    media = actor.open(media_entity)
    assert media.get("imageType") == "iso"
    template_vms = templates["two-tier"].findall("v:Children/v:Vm", NS)
    assert [vm.get("name") for vm in template_vms] == ["web", "db"]
    for vm in template_vms:
        actor.open(vm)
    resource_types = {
        r.get("type") for r in vdc.iterfind("v:ResourceEntities/v:ResourceEntity", NS)
    }
    assert {mt("vAppTemplate"), mt("media")} <= resource_types

    # -- admin views ------------------------------------------------------------------------------
    if role == "system":
        vcloud = admin.follow(session, "down", mt("vcloud", "admin"))
        admin_org = admin.open(
            named(vcloud.iterfind("v:OrganizationReferences/v:OrganizationReference", NS), "acme")
        )
    else:
        for path in ("/api/admin", "/api/admin/extension"):
            refused = actor.get(path, mt("error"), status=403)
            assert refused.get("minorErrorCode") == "ACCESS_TO_RESOURCE_IS_FORBIDDEN"
        admin_org = actor.follow(org, "alternate", mt("organization", "admin"))
    admin_vdc = (admin if role == "system" else actor).open(
        named(admin_org.iterfind("v:Vdcs/v:Vdc", NS), "acme-vdc")
    )
    assert admin_vdc.findtext("v:IsThinProvision", namespaces=NS) == "false"
    admin_session = admin.session
    assert admin_session is not None
    extension = admin.follow(admin_session, "down", mt("vmwExtension", "admin"))

    # -- query service ----------------------------------------------------------------------------
    query_list = actor.follow(session, "down", mt("query.queryList"))
    query_walk(actor, query_list, role)

    # -- provisioning -----------------------------------------------------------------------------
    net_ref = vdc.find("v:AvailableNetworks/v:Network", NS)
    assert net_ref is not None
    network_arg = (net_ref.get("href", ""), net_ref.get("name", ""))
    instantiate = link(vdc, "add", mt("instantiateVAppTemplateParams")).get("href", "")
    templ = {name: t.get("href", "") for name, t in templates.items()}

    refused = actor.xml(
        "POST",
        instantiate,
        body=instantiate_params("walk-licensed", templ["licensed-appliance"], network_arg, None),
        media_type=mt("instantiateVAppTemplateParams"),
        status=400,
    )
    assert refused.get("minorErrorCode") == "BAD_REQUEST"
    assert "EULA" in refused.get("message", "")
    licensed = create(
        actor,
        instantiate,
        instantiate_params("walk-licensed", templ["licensed-appliance"], network_arg, True),
        mt("instantiateVAppTemplateParams"),
    )
    main = create(
        actor,
        instantiate,
        instantiate_params("walk-main", templ["ubuntu-small"], network_arg, False),
        mt("instantiateVAppTemplateParams"),
    )
    assert main.get("status") == "8" and main.get("deployed") == "false"
    composed = create(
        actor,
        link(vdc, "add", mt("composeVAppParams")).get("href", ""),
        compose_params("walk-composed", [vm.get("href", "") for vm in template_vms]),
        mt("composeVAppParams"),
    )
    assert [vm.get("name") for vm in composed.iterfind("v:Children/v:Vm", NS)] == ["web", "db"]
    clone = create(
        actor,
        link(vdc, "add", mt("cloneVAppParams")).get("href", ""),
        clone_params("walk-clone", main.get("href", "")),
        mt("cloneVAppParams"),
    )
    captured = actor.xml(
        "POST",
        link(vdc, "add", mt("captureVAppParams")).get("href", ""),
        body=capture_params("walk-captured", main.get("href", "")),
        media_type=mt("captureVAppParams"),
        status=201,
        expect_type=mt("vAppTemplate"),
    )
    actor.wait(only_task(captured))
    assert actor.open(captured).get("status") == "8"
    catalog = actor.get(catalog.get("href", ""), mt("catalog"))
    assert "walk-captured" in [
        i.get("name") for i in catalog.iterfind("v:CatalogItems/v:CatalogItem", NS)
    ]

    # -- operate the vApp through its action links ------------------------------------------------
    main = operate(actor, main)

    # -- VM sections ------------------------------------------------------------------------------
    vm_sections(actor, main, net_ref.get("name", ""))

    # -- metadata ---------------------------------------------------------------------------------
    metadata_walk(actor, main)

    # -- snapshots (5.1+) -------------------------------------------------------------------------
    if api >= ApiVersion(5, 1):
        main = snapshots(actor, main)

    # -- tasks: tasksList, extension tasks, cancel, blocking tasks --------------------------------
    tasks_list = actor.follow(org, "down", mt("tasksList"))
    operations = {t.get("operationName") for t in tasks_list.iterfind("v:Task", NS)}
    assert {"vdcInstantiateVapp", "vappDeploy", "vappPowerOn"} <= operations
    if api >= ApiVersion(5, 1):  # extension services post tasks from 5.1
        extension_tasks(admin, tasks_list, main)
    blocking_tasks(actor, admin, extension, instantiate, templ["ubuntu-small"], network_arg)

    # -- delete -----------------------------------------------------------------------------------
    for vapp in (licensed, composed):
        actor.run("DELETE", link(actor.get(vapp.get("href", "")), "remove").get("href", ""))
        gone = actor.get(vapp.get("href", ""), mt("error"), status=404)
        assert gone.get("minorErrorCode") == "RESOURCE_NOT_FOUND"
    clone = actor.open(clone)
    actor.run(
        "POST",
        link(clone, "deploy").get("href", ""),
        body=DEPLOY_ON,
        media_type=mt("deployVAppParams"),
    )
    clone = actor.open(clone)
    assert clone.get("status") == "4" and clone.get("deployed") == "true"
    assert not has_link(clone, "remove")
    refused = actor.xml("DELETE", clone.get("href", ""), status=400)
    assert refused.get("minorErrorCode") == "BAD_REQUEST"
    actor.run("DELETE", clone.get("href", "") + "?force=true")
    actor.get(clone.get("href", ""), mt("error"), status=404)

    # -- logout: the token is dead afterwards -----------------------------------------------------
    for walker in {id(actor): actor, id(admin): admin}.values():
        assert walker.session is not None
        remove = link(walker.session, "remove").get("href", "")
        response = walker.request("DELETE", remove, status=204)
        assert not response.content
        dead = walker.get("/api/session", mt("error"), status=401)
        assert dead.get("minorErrorCode") == "UNAUTHORIZED"

    assert actor.bodies_checked > 100
    elapsed = time.monotonic() - started
    assert elapsed < 20, f"walk-through took {elapsed:.1f} s"


def link_with_query(org: etree._Element, query_type: str) -> etree._Element:
    for el in org.iterfind("v:Link", NS):
        if el.get("rel") == "down" and f"type={query_type}&" in el.get("href", ""):
            assert el.get("type") == mt("query.records")
            return el
    raise AssertionError(f"Org has no query link for {query_type}")


def create(walker: Walker, url: str, body: str, media_type: str) -> etree._Element:
    """POST a vApp creation request: 201 + VApp with its task; wait; the vApp is ready."""
    vapp = walker.xml(
        "POST", url, body=body, media_type=media_type, status=201, expect_type=mt("vApp")
    )
    assert vapp.get("status") == "0"
    walker.wait(only_task(vapp))
    ready = walker.open(vapp)
    assert ready.get("status") == "8", ready.get("status")
    return ready


def query_walk(walker: Walker, query_list: etree._Element, role: str) -> None:
    offered = {(el.get("name"), el.get("type")) for el in query_list.iterfind("v:Link", NS)}
    for query_type in ("organization", "orgVdc", "catalog", "vAppTemplate", "media", "task"):
        for fmt in ("records", "references", "idrecords"):
            assert (query_type, mt(f"query.{fmt}")) in offered, (query_type, fmt)
    assert ("adminVApp", mt("query.records")) in offered if role == "system" else True
    for el in query_list.iterfind("v:Link", NS):
        if el.get("name") in ("organization", "vAppTemplate", "catalogItem"):
            result = walker.open(el)
            assert int(result.get("total", "-1")) >= 1

    base = "/api/query?type=vAppTemplate&format=records"
    everything = walker.get(f"{base}&pageSize=25", mt("query.records"))
    names = [r.get("name") for r in everything.iterfind("v:VAppTemplateRecord", NS)]
    total = int(everything.get("total", "0"))
    assert total == len(names) >= 3

    # paging: pageSize=1, following nextPage links to the end
    page = walker.get(f"{base}&pageSize=1", mt("query.records"))
    paged: list[str | None] = []
    for _ in range(total + 1):
        paged += [r.get("name") for r in page.iterfind("v:VAppTemplateRecord", NS)]
        if not has_link(page, "nextPage"):
            break
        page = walker.open(link(page, "nextPage"))
    assert paged == names and not has_link(page, "nextPage")
    assert has_link(page, "previousPage") and has_link(page, "firstPage")

    # filter and sort
    filtered = walker.get(f"{base}&filter=name==ubuntu-small", mt("query.records"))
    assert {r.get("name") for r in filtered.iterfind("v:VAppTemplateRecord", NS)} == {
        "ubuntu-small"
    }
    wildcard = walker.get(f"{base}&filter=name==*tier*;catalogName==acme-catalog")
    assert [r.get("name") for r in wildcard.iterfind("v:VAppTemplateRecord", NS)] == ["two-tier"]
    asc = walker.get(f"{base}&sortAsc=name", mt("query.records"))
    asc_names = [r.get("name") or "" for r in asc.iterfind("v:VAppTemplateRecord", NS)]
    assert asc_names == sorted(asc_names)
    desc = walker.get(f"{base}&sortDesc=name", mt("query.records"))
    desc_names = [r.get("name") or "" for r in desc.iterfind("v:VAppTemplateRecord", NS)]
    assert desc_names == sorted(asc_names, reverse=True)
    refs = walker.get("/api/query?type=vAppTemplate&format=references", mt("query.references"))
    assert len(refs) - len(refs.findall("v:Link", NS)) == total
    ids = walker.get("/api/query?type=vAppTemplate&format=idrecords", mt("query.idrecords"))
    assert all(
        r.get("id", "").startswith("urn:vcloud:") for r in ids.iterfind("v:VAppTemplateRecord", NS)
    )


def operate(walker: Walker, vapp: etree._Element) -> etree._Element:
    """deploy, power on, reset, reboot, suspend, discard, shutdown, power off, undeploy."""
    steps = [
        ("deploy", DEPLOY, "8", "true"),
        ("power:powerOn", None, "4", "true"),
        ("power:reset", None, "4", "true"),
        ("power:reboot", None, "4", "true"),
        ("power:suspend", None, "3", "true"),
        ("discardState", None, "8", "true"),
        ("power:powerOn", None, "4", "true"),
        ("power:shutdown", None, "8", "true"),
        ("power:powerOn", None, "4", "true"),
        ("power:powerOff", None, "8", "true"),
        ("undeploy", UNDEPLOY, "8", "false"),
    ]
    for rel, body, status, deployed in steps:
        action = link(vapp, rel)
        kind = action.get("type")
        walker.run("POST", action.get("href", ""), body=body, media_type=kind)
        vapp = walker.open(vapp)
        assert (vapp.get("status"), vapp.get("deployed")) == (status, deployed), rel
        children = vapp.findall("v:Children/v:Vm", NS)
        assert children and all(vm.get("status") == status for vm in children), rel
        if status == "4":
            assert has_link(vapp, "power:powerOff") and not has_link(vapp, "power:powerOn")
        if status == "3":
            assert has_link(vapp, "discardState") and not has_link(vapp, "power:suspend")
    assert has_link(vapp, "remove") and not has_link(vapp, "undeploy")
    return vapp


def vm_sections(walker: Walker, vapp: etree._Element, network: str) -> None:
    vm_ref = vapp.find("v:Children/v:Vm", NS)
    assert vm_ref is not None
    vm = walker.open(vm_ref)
    hardware = vm.find("ovf:VirtualHardwareSection", NS)
    assert hardware is not None
    for part, quantity in (("cpu", 2), ("memory", 2048)):
        edit = next(
            el
            for el in hardware.iterfind("v:Link", NS)
            if el.get("rel") == "edit" and el.get("href", "").endswith(f"/{part}")
        )
        assert edit.get("type") == mt("rasdItem")
        walker.open(edit)
        walker.run(
            "PUT", edit.get("href", ""), body=rasd_item(part, quantity), media_type=mt("rasdItem")
        )
        item = walker.open(edit)
        assert item.findtext("rasd:VirtualQuantity", namespaces=NS) == str(quantity)

    updates = (
        (
            "NetworkConnectionSection",
            "networkConnectionSection",
            network_connection_section(network, "DHCP"),
            "v:NetworkConnection/v:IpAddressAllocationMode",
            "DHCP",
        ),
        (
            "GuestCustomizationSection",
            "guestCustomizationSection",
            guest_customization_section("walk-vm"),
            "v:ComputerName",
            "walk-vm",
        ),
        (
            "OperatingSystemSection",
            "operatingSystemSection",
            operating_system_section("Walk-through Linux (64-bit)"),
            "ovf:Description",
            "Walk-through Linux (64-bit)",
        ),
    )
    for tag, kind, body, path, expected in updates:
        section = vm.find(f"v:{tag}", NS)
        if section is None:
            section = vm.find(f"ovf:{tag}", NS)
        assert section is not None, tag
        edit = link(section, "edit", mt(kind))
        walker.open(edit)
        walker.run("PUT", edit.get("href", ""), body=body, media_type=mt(kind))
        assert walker.open(edit).findtext(path, namespaces=NS) == expected, tag
    vm = walker.open(vm_ref)
    assert (
        vm.findtext(
            "ovf:VirtualHardwareSection/ovf:Item[rasd:ResourceType='3']/rasd:VirtualQuantity",
            namespaces=NS,
        )
        == "2"
    )


def metadata_walk(walker: Walker, vapp: etree._Element) -> None:
    api = walker.version
    meta_link = link(vapp, "down", mt("metadata"))
    meta = walker.open(meta_link)
    assert meta.findall("v:MetadataEntry", NS) == []
    href = meta_link.get("href", "")
    walker.run(
        "PUT",
        f"{href}/owner",
        body=metadata_value(api, "MetadataStringValue", "walk-team"),
        media_type=mt("metadata.value"),
    )
    entries = [
        ("replicas", "MetadataNumberValue", "3"),
        ("critical", "MetadataBooleanValue", "true"),
        ("reviewed", "MetadataDateTimeValue", "2014-03-01T12:00:00.000Z"),
    ]
    walker.run("POST", href, body=metadata(api, entries), media_type=mt("metadata"))
    meta = walker.open(meta_link)
    got = {e.findtext("v:Key", namespaces=NS): e for e in meta.iterfind("v:MetadataEntry", NS)}
    assert set(got) == {"owner", "replicas", "critical", "reviewed"}
    if api >= ApiVersion(5, 1):
        typed = {
            key: (
                entry.find("v:TypedValue", NS).get(f"{{{XSI_NS}}}type"),  # type: ignore[union-attr]
                entry.findtext("v:TypedValue/v:Value", namespaces=NS),
            )
            for key, entry in got.items()
        }
        assert typed == {
            "owner": ("MetadataStringValue", "walk-team"),
            **{k: (t, v) for k, t, v in entries},
        }
    else:
        assert got["replicas"].findtext("v:Value", namespaces=NS) == "3"
    entry = walker.open(link(got["critical"], "edit", mt("metadata.value")))
    assert etree.QName(entry).localname == "MetadataValue"
    walker.run("DELETE", f"{href}/critical")
    walker.get(f"{href}/critical", mt("error"), status=404)


def snapshots(walker: Walker, vapp: etree._Element) -> etree._Element:
    assert not has_link(vapp, "snapshot:revertToCurrent")
    create_link = link(vapp, "snapshot:create", mt("createSnapshotParams"))
    walker.run(
        "POST", create_link.get("href", ""), body=SNAPSHOT, media_type=mt("createSnapshotParams")
    )
    vapp = walker.open(vapp)
    assert vapp.find("v:SnapshotSection/v:Snapshot", NS) is not None
    walker.run("POST", link(vapp, "snapshot:revertToCurrent").get("href", ""))
    vapp = walker.open(vapp)
    walker.run("POST", link(vapp, "snapshot:removeAll").get("href", ""))
    vapp = walker.open(vapp)
    assert vapp.find("v:SnapshotSection/v:Snapshot", NS) is None
    assert not has_link(vapp, "snapshot:removeAll")
    return vapp


def extension_tasks(admin: Walker, tasks_list: etree._Element, vapp: etree._Element) -> None:
    """An extension service posts tasks to the org's tasksList and drives them."""
    href = tasks_list.get("href", "")
    task = admin.xml("POST", href, body=extension_task(vapp, "running", 10), media_type=mt("task"))
    assert (task.get("status"), task.findtext("v:Progress", namespaces=NS)) == ("running", "10")
    assert task.get("serviceNamespace") == "com.example.walk"
    edit = link(task, "edit", mt("task"))
    task = admin.xml(
        "PUT", edit.get("href", ""), body=task_update("running", 60), media_type=mt("task")
    )
    assert task.findtext("v:Progress", namespaces=NS) == "60"
    task = admin.xml(
        "PUT", edit.get("href", ""), body=task_update("success", 100), media_type=mt("task")
    )
    assert task.get("status") == "success" and task.get("endTime")

    # cancel: a running task offers task:cancel and ends aborted
    other = admin.xml("POST", href, body=extension_task(vapp, "running", 5), media_type=mt("task"))
    cancel = link(other, "task:cancel").get("href", "")
    assert not admin.request("POST", cancel, status=204).content
    other = admin.open(other)
    assert other.get("status") == "aborted" and not has_link(other, "task:cancel")
    listed = admin.open(tasks_list)
    assert {task.get("href"), other.get("href")} <= {
        t.get("href") for t in listed.iterfind("v:Task", NS)
    }


def blocking_tasks(
    actor: Walker,
    admin: Walker,
    extension: etree._Element,
    instantiate: str,
    template: str,
    network: tuple[str, str],
) -> None:
    """vdcInstantiateVapp made blocking; resume, abort, fail, updateProgress, cancel."""
    settings_link = link(extension, "down", mt("blockingTaskSettings", "admin"))
    settings = admin.open(settings_link)
    edit = link(settings, "edit", mt("blockingTaskSettings", "admin")).get("href", "")
    settings = admin.xml(
        "PUT",
        edit,
        body=blocking_settings(["vdcInstantiateVapp"]),
        media_type=mt("blockingTaskSettings", "admin"),
    )
    assert settings.findtext("x:BlockingTaskOperations/v:Operation", namespaces=NS) == (
        "vdcInstantiateVapp"
    )
    listing_link = link(extension, "down", mt("query.references"))

    def blocked(name: str) -> tuple[etree._Element, etree._Element, etree._Element]:
        vapp = actor.xml(
            "POST",
            instantiate,
            body=instantiate_params(name, template, network, False),
            media_type=mt("instantiateVAppTemplateParams"),
            status=201,
        )
        task = only_task(vapp)
        task = actor.open(task)
        assert task.get("status") == "preRunning"
        listing = admin.open(listing_link)
        for ref in listing.iterfind("v:Reference", NS):
            candidate = admin.open(ref)
            if link(candidate, "up", mt("task")).get("href") == task.get("href"):
                return vapp, task, candidate
        raise AssertionError(f"no blocking task holds {task.get('href')}")

    vapp, task, holder = blocked("walk-blocked-resume")
    assert holder.get("status") == "active"
    progress = admin.xml(
        "POST",
        link(holder, "updateProgress").get("href", ""),
        body=blocking_progress("checking quota", 120000),
        media_type=mt("blockingTaskUpdateProgressOperationParams", "admin"),
    )
    assert progress.get("status") == "active"
    assert actor.open(task).get("status") == "preRunning"
    admin.request(
        "POST",
        link(holder, "resume").get("href", ""),
        body=blocking_operation("quota ok"),
        media_type=mt("blockingTaskOperationParams", "admin"),
        status=204,
    )
    actor.wait(task)
    assert actor.open(vapp).get("status") == "8"
    assert admin.open(holder).get("status") == "resumed"

    vapp, task, holder = blocked("walk-blocked-abort")
    admin.request(
        "POST",
        link(holder, "abort").get("href", ""),
        body=blocking_operation("not today"),
        media_type=mt("blockingTaskOperationParams", "admin"),
        status=204,
    )
    actor.wait(actor.open(task), "aborted")
    actor.get(vapp.get("href", ""), mt("error"), status=404)

    vapp, task, holder = blocked("walk-blocked-fail")
    admin.request(
        "POST",
        link(holder, "fail").get("href", ""),
        body=blocking_operation("policy violated"),
        media_type=mt("blockingTaskOperationParams", "admin"),
        status=204,
    )
    failed = actor.wait(actor.open(task), "error")
    error = failed.find("v:Error", NS)
    assert error is not None and "policy violated" in error.get("message", "")

    vapp, task, holder = blocked("walk-blocked-cancel")
    assert not actor.request("POST", link(task, "task:cancel").get("href", ""), status=204).content
    actor.wait(actor.open(task), "aborted")

    admin.xml(
        "PUT", edit, body=blocking_settings([]), media_type=mt("blockingTaskSettings", "admin")
    )
    unblocked = actor.xml(
        "POST",
        instantiate,
        body=instantiate_params("walk-unblocked", template, network, False),
        media_type=mt("instantiateVAppTemplateParams"),
        status=201,
    )
    actor.wait(only_task(unblocked))


def test_walk_request_bodies_are_judged_by_version() -> None:
    """The bodies the walk sends are valid where they exist, and not before."""
    snapshot = etree.fromstring(SNAPSHOT.encode())
    assert is_valid(snapshot, ApiVersion(5, 1))
    assert not is_valid(snapshot, ApiVersion(1, 5))
    typed = etree.fromstring(metadata_value(ApiVersion(5, 5), "MetadataNumberValue", "1").encode())
    assert is_valid(typed, ApiVersion(5, 5))
    assert not is_valid(typed, ApiVersion(1, 5))
