"""The ``vcd-conformance sim`` command as a child process, and the server's protocol edges.

The command prints eval-able exports once it listens, stops cleanly on SIGINT
and SIGTERM, serves https with ``--tls``, refuses unknown faults, keeps its
inventory across restarts with ``--state``. Against a running one: version
negotiation, login failures, 404/405 as Error elements, the cloudapi login,
and the schema files a client can fetch and compile.
"""

from __future__ import annotations

import os
import queue
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree

from conformance import bundle
from conformance.mediatypes import VCLOUD_NS
from conformance.schemas import SchemaRegistry
from conformance.simulator import FAULTS
from conformance.validation import is_valid
from conformance.versions import KNOWN_VERSIONS, ApiVersion

NS = {"v": VCLOUD_NS}
EXPORTS = (
    "VCD_URL",
    "VCD_ORG",
    "VCD_USER",
    "VCD_PASSWORD",
    "VCD_SYSTEM_USER",
    "VCD_SYSTEM_PASSWORD",
)
START_TIMEOUT = 30.0
STOP_TIMEOUT = 5.0
ERROR_TYPE = "application/vnd.vmware.vcloud.error+xml"


def _command() -> list[str]:
    script = shutil.which("vcd-conformance", path=os.path.dirname(sys.executable))
    if script:
        return [script]
    return [sys.executable, "-c", "from conformance.cli import run; run()"]


CLI = _command()


class SimProcess:
    """``vcd-conformance sim ARGS`` running as a child; its exports read from stdout."""

    def __init__(self, *args: str, schemas: Path, tls: bool = False) -> None:
        env = {**os.environ, "VCD_CONFORMANCE_SCHEMAS": str(schemas)}
        self.proc = subprocess.Popen(
            [*CLI, "sim", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        wanted = set(EXPORTS) | ({"VCD_CA_FILE"} if tls else set())
        self.printed: list[str] = []
        self.env: dict[str, str] = {}
        deadline = time.monotonic() + START_TIMEOUT
        while not wanted <= set(self.env):
            remaining = deadline - time.monotonic()
            assert remaining > 0 and self.proc.poll() is None, self._failure("did not start")
            try:
                line = self._lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            self.printed.append(line)
            if line.startswith("export "):
                key, _, value = line[len("export ") :].partition("=")
                self.env[key] = shlex.split(value)[0]
        self.url = self.env["VCD_URL"]

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))

    def _failure(self, what: str) -> str:
        return f"vcd-conformance sim {what}; printed {self.printed}"

    def client(self, version: str = "36.0", **kw: object) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            headers={"Accept": f"application/*+xml;version={version}"},
            timeout=10.0,
            **kw,  # type: ignore[arg-type]
        )

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> tuple[int, float, str]:
        """Send ``sig``; (exit code, seconds to exit, stderr)."""
        started = time.monotonic()
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(
                f"sim did not stop within {STOP_TIMEOUT} s of {sig.name}"
            ) from None
        elapsed = time.monotonic() - started
        assert self.proc.stderr is not None
        return code, elapsed, self.proc.stderr.read()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def start(registry: SchemaRegistry) -> Iterator[type[SimProcess]]:
    """Start sims for one test; any still running afterwards is killed."""
    started: list[SimProcess] = []

    class Started(SimProcess):
        def __init__(self, *args: str, tls: bool = False) -> None:
            started.append(self)
            super().__init__(*args, schemas=registry.bundle.root, tls=tls)

    yield Started
    for sim in started:
        sim.kill()


@pytest.fixture(scope="module")
def running(registry: SchemaRegistry) -> Iterator[SimProcess]:
    sim = SimProcess("--port", "0", "--task-speed", "10", schemas=registry.bundle.root)
    yield sim
    code, _, stderr = sim.stop()
    sim.kill()
    assert code == 0, stderr


def login(sim: SimProcess, client: httpx.Client, system: bool = False) -> etree._Element:
    user, password = (
        (f"{sim.env['VCD_SYSTEM_USER']}@System", sim.env["VCD_SYSTEM_PASSWORD"])
        if system
        else (f"{sim.env['VCD_USER']}@{sim.env['VCD_ORG']}", sim.env["VCD_PASSWORD"])
    )
    response = client.post("/api/sessions", auth=(user, password))
    assert response.status_code == 200, response.text
    client.headers["x-vcloud-authorization"] = response.headers["x-vcloud-authorization"]
    return etree.fromstring(response.content)


def error_of(response: httpx.Response, status: int) -> etree._Element:
    """The answer is ``status`` with a vCloud Error element (never HTML or JSON)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == ERROR_TYPE
    error = etree.fromstring(response.content)
    assert error.tag == f"{{{VCLOUD_NS}}}Error"
    assert error.get("majorErrorCode") == str(status)
    assert error.get("minorErrorCode") and error.get("message")
    return error


# -- the command ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_sim_prints_exports_serves_and_stops_cleanly(
    start: type[SimProcess], sig: signal.Signals
) -> None:
    sim = start("--port", "0", "--task-speed", "10")
    assert set(EXPORTS) <= set(sim.env)
    # the lines are meant for eval: a shell gets exactly the values we parsed
    script = (
        "; ".join(sim.printed) + "; " + 'printf "%s\\n" ' + " ".join(f'"${key}"' for key in EXPORTS)
    )
    evaluated = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=True)
    assert evaluated.stdout.splitlines() == [sim.env[key] for key in EXPORTS]
    assert sim.url.startswith("http://127.0.0.1:")

    with sim.client() as client:
        versions = client.get("/api/versions")
        assert versions.status_code == 200
        listed = etree.fromstring(versions.content).findall(
            "{http://www.vmware.com/vcloud/versions}VersionInfo"
        )
        assert len(listed) == len(KNOWN_VERSIONS)
        assert login(sim, client).get("org") == sim.env["VCD_ORG"]
    with sim.client() as client:
        assert login(sim, client, system=True).get("org") == "System"

    code, elapsed, stderr = sim.stop(sig)
    assert code == 0, stderr
    assert elapsed < STOP_TIMEOUT
    assert "Traceback" not in stderr


def test_sim_tls_serves_https(start: type[SimProcess]) -> None:
    sim = start("--port", "0", "--tls", tls=True)
    assert sim.url.startswith("https://")
    ca_file = sim.env.get("VCD_CA_FILE")
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca_file) if ca_file else False
    with sim.client(verify=verify) as client:
        assert client.get("/api/versions").status_code == 200
        assert login(sim, client).get("user") == sim.env["VCD_USER"]
    with (
        httpx.Client(timeout=5.0) as plain,
        pytest.raises(httpx.TransportError),
    ):
        plain.get(sim.url.replace("https://", "http://") + "/api/versions")
    code, _, stderr = sim.stop()
    assert code == 0, stderr
    if ca_file:
        assert not Path(ca_file).exists()  # the throw-away CA goes with the server


def test_sim_unknown_fault_is_a_usage_error() -> None:
    result = subprocess.run(
        [*CLI, "sim", "--fault", "nope"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "unknown fault 'nope'" in result.stderr
    for fault in FAULTS:
        assert fault.name in result.stderr
    assert result.stdout == ""


def test_sim_state_file_survives_a_restart(start: type[SimProcess], tmp_path: Path) -> None:
    state = tmp_path / "cloud.json"
    sim = start("--port", "0", "--task-speed", "50", "--state", str(state))
    with sim.client() as admin:
        login(sim, admin, system=True)
        body = (
            f'<AdminOrg xmlns="{VCLOUD_NS}" name="persisted-org">'
            "<FullName>Persisted Inc.</FullName><Settings/></AdminOrg>"
        )
        assert is_valid(etree.fromstring(body.encode()), ApiVersion(36, 0))
        created = admin.post(
            "/api/admin/orgs",
            content=body,
            headers={"Content-Type": "application/vnd.vmware.admin.organization+xml"},
        )
        assert created.status_code == 201, created.text
    with sim.client() as tenant:
        login(sim, tenant)
        vapp_href = instantiate(tenant, "persisted-app")
    code, _, stderr = sim.stop()
    assert code == 0, stderr
    assert state.is_file()

    again = start("--port", "0", "--state", str(state))
    with again.client() as admin:
        login(again, admin, system=True)
        orgs = etree.fromstring(admin.get("/api/org/").content)
        assert "persisted-org" in [o.get("name") for o in orgs.iterfind("v:Org", NS)]
    with again.client() as tenant:
        login(again, tenant)
        path = vapp_href.split("/api/", 1)[1]
        vapp = tenant.get(f"/api/{path}")
        assert vapp.status_code == 200, vapp.text
        root = etree.fromstring(vapp.content)
        assert (root.get("name"), root.get("status")) == ("persisted-app", "8")
    code, _, stderr = again.stop()
    assert code == 0, stderr


def instantiate(client: httpx.Client, name: str) -> str:
    """Instantiate ubuntu-small in the tenant's VDC (found by query); wait; the vApp href."""

    def first_href(query_type: str, flt: str) -> str:
        records = etree.fromstring(
            client.get(f"/api/query?type={query_type}&format=records&filter={flt}").content
        )
        (record,) = [r for r in records if r.get("href") and r.tag.endswith("Record")]
        return record.get("href", "")

    vdc = first_href("orgVdc", "name==acme-vdc")
    template = first_href("vAppTemplate", "name==ubuntu-small")
    body = (
        f'<InstantiateVAppTemplateParams xmlns="{VCLOUD_NS}" name="{name}">'
        f'<Source href="{template}"/></InstantiateVAppTemplateParams>'
    )
    response = client.post(f"{vdc}/action/instantiateVAppTemplate", content=body)
    assert response.status_code == 201, response.text
    vapp = etree.fromstring(response.content)
    task = vapp.find("v:Tasks/v:Task", NS)
    assert task is not None
    deadline = time.monotonic() + 10
    while task.get("status") not in ("success", "error", "aborted"):
        assert time.monotonic() < deadline, "instantiation never ended"
        time.sleep(0.02)
        task = etree.fromstring(client.get(task.get("href", "")).content)
    assert task.get("status") == "success"
    return vapp.get("href", "")


# -- protocol edges of a running sim ------------------------------------------------------------


def test_unknown_accept_version_is_406_listing_supported_versions(running: SimProcess) -> None:
    with running.client("99.0") as client:
        error = error_of(client.post("/api/sessions", auth=("alice@acme", "x")), 406)
    message = error.get("message", "")
    assert "99.0" in message
    for version in KNOWN_VERSIONS:
        assert str(version) in message


@pytest.mark.parametrize(
    "user, password",
    [("alice@acme", "wrong"), ("nobody@acme", "x"), ("alice@nowhere", "x"), ("alice", "x")],
    ids=["bad-password", "unknown-user", "unknown-org", "no-org"],
)
def test_bad_credentials_are_401_errors(running: SimProcess, user: str, password: str) -> None:
    with running.client() as client:
        error = error_of(client.post("/api/sessions", auth=(user, password)), 401)
        assert error.get("minorErrorCode") == "UNAUTHORIZED"
        assert (
            "x-vcloud-authorization"
            not in client.post("/api/sessions", auth=(user, password)).headers
        )


def test_missing_session_is_a_401_error(running: SimProcess) -> None:
    with running.client() as client:
        error_of(client.get("/api/org/"), 401)
        client.headers["x-vcloud-authorization"] = "not-a-token"
        error_of(client.get("/api/org/"), 401)


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/api/no/such/thing", 404),
        ("GET", "/api/org/00000000-0000-0000-0000-000000000000", 404),
        ("DELETE", "/api/versions", 405),
        ("PUT", "/api/org/", 405),
    ],
    ids=["unknown-path", "unknown-org", "delete-versions", "put-org-list"],
)
def test_404_and_405_are_error_elements(
    running: SimProcess, method: str, path: str, status: int
) -> None:
    with running.client() as client:
        login(running, client)
        response = client.request(method, path, headers={"Accept": "*/*"})
        error_of(response, status)
        assert b"<html" not in response.content.lower()


@pytest.mark.parametrize("version", ["33.0", "36.0"])
def test_cloudapi_sessions_give_a_bearer_token(running: SimProcess, version: str) -> None:
    with running.client(version) as client:
        tenant = client.post(
            "/cloudapi/1.0.0/sessions",
            auth=(
                f"{running.env['VCD_USER']}@{running.env['VCD_ORG']}",
                running.env["VCD_PASSWORD"],
            ),
            headers={"Accept": f"application/json;version={version}"},
        )
        assert tenant.status_code == 200, tenant.text
        assert tenant.json()["org"]["name"] == running.env["VCD_ORG"]
        token = tenant.headers["X-VMWARE-VCLOUD-ACCESS-TOKEN"]
        session = client.get("/api/session", headers={"Authorization": f"Bearer {token}"})
        assert session.status_code == 200, session.text
        assert etree.fromstring(session.content).get("user") == running.env["VCD_USER"]

        provider = client.post(
            "/cloudapi/1.0.0/sessions/provider",
            auth=(f"{running.env['VCD_SYSTEM_USER']}@System", running.env["VCD_SYSTEM_PASSWORD"]),
            headers={"Accept": f"application/json;version={version}"},
        )
        assert provider.status_code == 200, provider.text
        assert provider.json()["org"]["name"] == "System"
        bearer = {"Authorization": f"Bearer {provider.headers['X-VMWARE-VCLOUD-ACCESS-TOKEN']}"}
        assert client.get("/api/admin", headers=bearer).status_code == 200


def test_cloudapi_sessions_need_33(running: SimProcess) -> None:
    with running.client("32.0") as client:
        response = client.post(
            "/cloudapi/1.0.0/sessions",
            auth=(
                f"{running.env['VCD_USER']}@{running.env['VCD_ORG']}",
                running.env["VCD_PASSWORD"],
            ),
        )
        assert response.status_code == 404
        assert "X-VMWARE-VCLOUD-ACCESS-TOKEN" not in response.headers


def test_schemas_are_served_and_fetch_into_a_compiling_bundle(
    running: SimProcess, registry: SchemaRegistry, tmp_path: Path
) -> None:
    with running.client() as client:
        master = client.get("/api/v1.5/schema/master.xsd")
        assert master.status_code == 302
        entry = master.headers["location"]
        assert entry.endswith("/api/v1.5/schema/master/driver.xsd")
        driver = client.get(entry)
        assert driver.status_code == 200
        assert etree.fromstring(driver.content).tag == "{http://www.w3.org/2001/XMLSchema}schema"
        assert client.get("/api/v1.5/schema/../../../etc/passwd").status_code == 404

    fetched = subprocess.run(
        [*CLI, "schemas", "fetch", f"{running.url}/api", "--dest", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert fetched.returncode == 0, fetched.stderr
    (folder,) = tmp_path.iterdir()
    assert f"--schemas {folder}" in fetched.stdout

    own = SchemaRegistry(bundle.load(folder))
    assert own.bundle.kind == "fetched"
    for version in (ApiVersion(1, 5), ApiVersion(5, 5), ApiVersion(36, 0)):
        assert own.schema(version) is not None
    assert own.media_types.all() == registry.media_types.all()
    assert [e.id for e in own.index.errata_applied] == [e.id for e in registry.index.errata_applied]
    task = etree.fromstring(
        f'<Task xmlns="{VCLOUD_NS}" name="task" status="success" href="http://x/api/task/1"/>'.encode()
    )
    assert is_valid(task, ApiVersion(36, 0), own)
