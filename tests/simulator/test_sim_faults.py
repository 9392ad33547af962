"""Every injectable fault really changes what goes over the wire, and only when on.

Each fault has a probe: a few HTTP exchanges that observe the behaviour the
fault breaks. The probe runs on a private simulator started with the fault on,
then again after ``faults.disable`` on the same running server: the first
observation must be the deviation, the second the documented behaviour.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import httpx
import pytest
from lxml import etree

from conformance import cli
from conformance.mediatypes import VCLOUD_NS
from conformance.simulator import FAULTS
from conformance.simulator import operations as ops
from conformance.simulator.faults import FAULT_NAMES, Fault
from conformance.simulator.server import SimServer
from conformance.states import EntityStatus

NS = {"v": VCLOUD_NS}
TERMINAL = frozenset({"success", "error", "aborted"})
FAST = 25.0  # a power task ends after ~0.1 s
SLOW = 4.0  # a power task runs for ~0.5 s: long enough to poll it while it runs


def media(response: httpx.Response) -> str | None:
    value = response.headers.get("content-type")
    return value.split(";")[0] if value is not None else None


class Sim:
    """A probe's view of one running simulator: a tenant session at one API version."""

    def __init__(self, server: SimServer, version: str) -> None:
        self.server = server
        self.cloud = server.cloud
        self.version = version
        self.http = httpx.Client(
            base_url=server.url,
            headers={"Accept": f"application/*+xml;version={version}"},
            timeout=10.0,
        )
        self.login()
        acme = self.cloud.inv.org_by_name("acme")
        assert acme is not None
        self.org = acme
        self.vdc = self.cloud.inv.vdcs_of(acme.id)[0]

    def login(self) -> None:
        response = self.http.post(
            "/api/sessions", auth=("alice@acme", self.cloud.passwords["tenant"])
        )
        assert response.status_code == 200, response.text
        self.http.headers["x-vcloud-authorization"] = response.headers["x-vcloud-authorization"]

    def get(self, url: str) -> httpx.Response:
        return self.http.get(url)

    def xml(self, url: str) -> etree._Element:
        response = self.get(url)
        assert response.status_code == 200, response.text
        return etree.fromstring(response.content)

    def vapp(self, status: EntityStatus = EntityStatus.POWERED_OFF) -> str:
        """A ready vApp (made in the inventory, not over HTTP); its href path."""
        with self.cloud.inv.lock:
            template = next(
                t
                for t in self.cloud.inv.templates.values()
                if t.vdc_id == self.vdc.id and t.name == "ubuntu-small"
            )
            owner = self.cloud.inv.user_in_org(self.org.id, "alice")
            assert owner is not None
            vapp = ops.new_vapp(
                self.cloud, self.vdc.id, f"probe-{uuid.uuid4().hex[:8]}", owner.id, "", template.vms
            )
            for entity in (vapp, *(self.cloud.inv.vms[v] for v in vapp.vm_ids)):
                entity.status = int(status)
                entity.deployed = status == EntityStatus.POWERED_ON
        return f"/api/vApp/vapp-{vapp.id}"

    def power(self, vapp: str, action: str = "powerOn") -> httpx.Response:
        return self.http.post(f"{vapp}/power/action/{action}")

    def task(self, vapp: str) -> etree._Element:
        response = self.power(vapp)
        assert response.status_code in (200, 202), response.text
        return etree.fromstring(response.content)

    def poll(
        self, task: etree._Element, seconds: float, until: frozenset[str] = TERMINAL
    ) -> list[etree._Element]:
        """GET the task until its status is in ``until`` or ``seconds`` pass; every answer."""
        href = task.get("href", "")
        seen = [task]
        deadline = time.monotonic() + seconds
        while seen[-1].get("status") not in until and time.monotonic() < deadline:
            time.sleep(0.02)
            seen.append(self.xml(href))
        return seen

    def running(self, task: etree._Element) -> etree._Element:
        """Poll until the task runs (bounded)."""
        last = self.poll(task, 5.0, until=frozenset({"running", *TERMINAL}))[-1]
        assert last.get("status") == "running", last.get("status")
        return last

    def close(self) -> None:
        self.http.close()


def progress(tasks: list[etree._Element]) -> list[int]:
    return [
        int(t.findtext("v:Progress", namespaces=NS) or 0)
        for t in tasks
        if t.get("status") == "running"
    ]


@dataclass(frozen=True)
class Probe:
    observe: Callable[[Sim], object]
    #: What the observation is with the fault on, and with it off.
    on: object
    off: object
    version: str = "36.0"
    task_speed: float = FAST


PROBES: dict[str, Probe] = {}


def probe(
    fault: str, *, on: object, off: object, version: str = "36.0", task_speed: float = FAST
) -> Callable[[Callable[[Sim], object]], Callable[[Sim], object]]:
    def register(observe: Callable[[Sim], object]) -> Callable[[Sim], object]:
        assert fault in FAULT_NAMES, fault
        PROBES[fault] = Probe(observe, on, off, version, task_speed)
        return observe

    return register


# -- schema -------------------------------------------------------------------------------------


@probe("schema-missing-attribute", on=None, off="acme")
def _org_name(sim: Sim) -> object:
    return sim.xml(f"/api/org/{sim.org.id}").get("name")


@probe("schema-wrong-type", on="unlimited", off="0")
def _nic_quota(sim: Sim) -> object:
    return sim.xml(f"/api/vdc/{sim.vdc.id}").findtext("v:NicQuota", namespaces=NS)


@probe("schema-unknown-element", on=True, off=False)
def _priority(sim: Sim) -> object:
    return sim.xml(sim.vapp()).find("v:Priority", NS) is not None


# -- versions ------------------------------------------------------------------------------------


@probe("version-leak", on=True, off=False, version="1.5")
def _ip_scopes(sim: Sim) -> object:
    """IpScopes (5.1+) must not reach a 1.5 client, which gets IpScope."""
    net = sim.cloud.inv.networks_of(sim.org.id)[0]
    config = sim.xml(f"/api/network/{net.id}").find("v:Configuration", NS)
    assert config is not None and config.find("v:IpScope", NS) is not None
    return config.find("v:IpScopes", NS) is not None


@probe("version-accept-ignored", on="36.0", off="5.5", version="5.5")
def _labelled_version(sim: Sim) -> object:
    return sim.get(f"/api/org/{sim.org.id}").headers["content-type"].split("version=")[1]


@probe("version-unknown-accepted", on=200, off=406)
def _unknown_version(sim: Sim) -> object:
    response = sim.http.get(
        f"/api/org/{sim.org.id}", headers={"Accept": "application/*+xml;version=99.0"}
    )
    return response.status_code


# -- media types ---------------------------------------------------------------------------------


@probe(
    "media-type-wrong",
    on="application/vnd.vmware.vcloud.org+xml",
    off="application/vnd.vmware.vcloud.vdc+xml",
)
def _vdc_media_type(sim: Sim) -> object:
    return media(sim.get(f"/api/vdc/{sim.vdc.id}"))


@probe("media-type-missing", on=None, off="application/vnd.vmware.vcloud.org+xml")
def _no_content_type(sim: Sim) -> object:
    return media(sim.get(f"/api/org/{sim.org.id}"))


@probe(
    "html-error-page",
    on=(404, "text/html", "html"),
    off=(404, "application/vnd.vmware.vcloud.error+xml", "Error"),
)
def _error_page(sim: Sim) -> object:
    response = sim.get(f"/api/org/{uuid.uuid4()}")
    root = etree.fromstring(
        response.content, etree.HTMLParser() if b"<html" in response.content else None
    )
    return response.status_code, media(response), etree.QName(root).localname


# -- tasks --------------------------------------------------------------------------------------


@probe("task-status-regresses", on=True, off=False, task_speed=SLOW)
def _queued_after_running(sim: Sim) -> object:
    statuses = [t.get("status") for t in sim.poll(sim.task(sim.vapp()), 5.0)]
    assert "running" in statuses and statuses[-1] == "success", statuses
    first_run = statuses.index("running")
    return "queued" in statuses[first_run:]


@probe("task-success-without-endtime", on=False, off=True)
def _end_time(sim: Sim) -> object:
    done = sim.poll(sim.task(sim.vapp()), 5.0)[-1]
    assert done.get("status") == "success"
    return "endTime" in done.attrib


@probe("task-progress-falls", on=True, off=False, task_speed=SLOW)
def _progress_falls(sim: Sim) -> object:
    seen = progress(sim.poll(sim.task(sim.vapp()), 5.0))
    assert len(seen) >= 3, seen
    return any(later < earlier for earlier, later in pairwise(seen))


@probe("task-progress-over-100", on=True, off=False, task_speed=SLOW)
def _progress_over_100(sim: Sim) -> object:
    seen = progress(sim.poll(sim.task(sim.vapp()), 5.0))
    assert seen, "never saw the task running"
    return max(seen) > 100


@probe("task-error-without-error", on=False, off=True)
def _error_element(sim: Sim) -> object:
    """An extension service reports failure; the failed Task must carry an Error."""
    vcloud = f'xmlns="{VCLOUD_NS}"'
    posted = sim.http.post(
        f"/api/tasksList/{sim.org.id}",
        content=f'<Task {vcloud} name="task" status="running" operationName="probe"/>',
    )
    assert posted.status_code == 200, posted.text
    href = etree.fromstring(posted.content).get("href", "")
    failed = sim.http.put(
        href,
        content=f'<Task {vcloud} name="task" status="error"><Error minorErrorCode="X" '
        'message="disk full" majorErrorCode="500"/></Task>',
    )
    assert failed.status_code == 200, failed.text
    task = sim.xml(href)
    assert task.get("status") == "error"
    return task.find("v:Error", NS) is not None


@probe("task-never-ends", on="running", off="success")
def _never_ends(sim: Sim) -> object:
    """A ~0.1 s task, watched for 1 s (ten times its normal length)."""
    return sim.poll(sim.task(sim.vapp()), 1.0)[-1].get("status")


@probe("task-cancel-ignored", on="success", off="aborted", task_speed=SLOW)
def _cancel(sim: Sim) -> object:
    task = sim.running(sim.task(sim.vapp()))
    cancelled = sim.http.post(f"{task.get('href')}/action/cancel")
    assert cancelled.status_code == 204, cancelled.text
    done = sim.poll(task, 5.0)[-1]
    return done.get("status")


@probe("task-missing-owner", on=False, off=True)
def _owner(sim: Sim) -> object:
    owner = sim.task(sim.vapp()).find("v:Owner", NS)
    return owner is not None and owner.get("type") == "application/vnd.vmware.vcloud.vApp+xml"


@probe("busy-entity-ignored", on=202, off=400, task_speed=SLOW)
def _busy(sim: Sim) -> object:
    vapp = sim.vapp()
    first = sim.power(vapp)
    assert first.status_code == 202, first.text
    second = sim.power(vapp)
    if second.status_code == 400:
        assert etree.fromstring(second.content).get("minorErrorCode") == "BUSY_ENTITY"
    return second.status_code


# -- links --------------------------------------------------------------------------------------


@probe("link-wrong-state", on=True, off=False)
def _power_on_link(sim: Sim) -> object:
    vapp = sim.xml(sim.vapp(EntityStatus.POWERED_ON))
    rels = {el.get("rel") for el in vapp.iterfind("v:Link", NS)}
    assert "power:powerOff" in rels
    return "power:powerOn" in rels


@probe("link-href-404", on=404, off=200, version="5.5")
def _vdc_link(sim: Sim) -> object:
    org = sim.xml(f"/api/org/{sim.org.id}")
    (vdc_link,) = [
        el
        for el in org.iterfind("v:Link", NS)
        if el.get("name") == sim.vdc.name and el.get("rel") == "down"
    ]
    return sim.get(vdc_link.get("href", "")).status_code


@probe(
    "link-type-mismatch",
    on=("application/vnd.vmware.vcloud.vdc+xml", "application/vnd.vmware.vcloud.catalog+xml"),
    off=("application/vnd.vmware.vcloud.catalog+xml", "application/vnd.vmware.vcloud.catalog+xml"),
    version="5.5",
)
def _catalog_link(sim: Sim) -> object:
    org = sim.xml(f"/api/org/{sim.org.id}")
    (catalog_link,) = [el for el in org.iterfind("v:Link", NS) if el.get("name") == "acme-catalog"]
    return catalog_link.get("type"), media(sim.get(catalog_link.get("href", "")))


@probe("link-duplicate-rel", on=2, off=1)
def _org_list_links(sim: Sim) -> object:
    session = sim.xml("/api/session")
    org_lists = [
        el
        for el in session.iterfind("v:Link", NS)
        if el.get("type") == "application/vnd.vmware.vcloud.orgList+xml"
    ]
    return len(org_lists)


# -- sessions and status codes -------------------------------------------------------------------


@probe("session-survives-logout", on=200, off=401)
def _after_logout(sim: Sim) -> object:
    sim.login()  # a session of its own: the probe runs twice
    assert sim.http.delete("/api/session").status_code == 204
    return sim.get("/api/session").status_code


@probe("status-200-for-async", on=200, off=202)
def _power_status(sim: Sim) -> object:
    response = sim.power(sim.vapp())
    assert etree.fromstring(response.content).get("operationName") == "vappPowerOn"
    return response.status_code


@probe("status-500-on-bad-body", on=500, off=400)
def _bad_body(sim: Sim) -> object:
    response = sim.http.post(
        f"{sim.vapp()}/action/deploy",
        content=b"<DeployVAppParams powerOn='true'",  # not well-formed
        headers={"Content-Type": "application/vnd.vmware.vcloud.deployVAppParams+xml"},
    )
    return response.status_code


# -- the tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault_deviates_only_when_on(fault: Fault, make_sim: Callable[..., SimServer]) -> None:
    found = PROBES[fault.name]
    server = make_sim(faults=(fault.name,), task_speed=found.task_speed)
    sim = Sim(server, found.version)
    try:
        assert found.observe(sim) == found.on, f"{fault.name} on"
        server.cloud.faults.disable(fault.name)
        assert found.observe(sim) == found.off, f"{fault.name} off"
    finally:
        sim.close()


def test_every_fault_has_a_probe() -> None:
    assert set(PROBES) == FAULT_NAMES
    assert all(p.on != p.off for p in PROBES.values())


def test_every_fault_is_described_and_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(FAULT_NAMES) == len(FAULTS)
    for fault in FAULTS:
        assert fault.description.strip() and fault.area.strip(), fault.name
    assert cli.main(["sim", "--list-faults"]) == cli.EXIT_OK
    listed = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    for fault in FAULTS:
        assert fault.name in listed, fault.name
        assert fault.description in listed[fault.name]
        assert f"[{fault.area}]" in listed[fault.name]
