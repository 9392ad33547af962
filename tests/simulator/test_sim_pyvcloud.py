"""The real pyvcloud 23.0.4 drives the simulator end to end.

pyvcloud writes log files into the working directory (one at import time), so
every test runs in its own temporary directory and imports pyvcloud there.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conformance.simulator.cloud import Session
from conformance.simulator.server import SimServer

TASK_TIMEOUT = 30
POLL = 0.05


@pytest.fixture
def pyvcloud(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SimpleNamespace]:
    """pyvcloud's classes, imported with the temporary directory as working directory."""
    monkeypatch.chdir(tmp_path)
    client = importlib.import_module("pyvcloud.vcd.client")
    modules = SimpleNamespace(
        Client=client.Client,
        BasicLoginCredentials=client.BasicLoginCredentials,
        QueryResultFormat=client.QueryResultFormat,
        Org=importlib.import_module("pyvcloud.vcd.org").Org,
        VDC=importlib.import_module("pyvcloud.vcd.vdc").VDC,
        VApp=importlib.import_module("pyvcloud.vcd.vapp").VApp,
        log=tmp_path / "pyvcloud.log",
    )
    yield modules
    logger = logging.getLogger(str(modules.log))  # pyvcloud keeps one handler per file name
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def _client(pv: SimpleNamespace, server: SimServer, api_version: str | None = None) -> Any:
    client = pv.Client(
        server.url,
        api_version=api_version,
        verify_ssl_certs=False,
        log_file=str(pv.log),
        log_requests=True,
    )
    client.set_credentials(
        pv.BasicLoginCredentials("alice", "acme", server.cloud.passwords["tenant"])
    )
    return client


def _wait(client: Any, task: Any) -> str:
    done = client.get_task_monitor().wait_for_success(
        task, poll_frequency=POLL, timeout=TASK_TIMEOUT
    )
    status: str = done.get("status")
    return status


def test_pyvcloud_lifecycle(pyvcloud: SimpleNamespace, sim: SimServer) -> None:
    """Login (cloudapi at the newest version), browse, instantiate, power, delete, query."""
    pv = pyvcloud
    before = _sessions(sim)
    client = _client(pv, sim)
    try:
        assert client.get_api_version() == "36.0"
        assert [o.get("name") for o in client.get_org_list()] == ["acme"]
        org = pv.Org(client, resource=client.get_org())
        assert [v["name"] for v in org.list_vdcs()] == ["acme-vdc"]
        vdc = pv.VDC(client, resource=org.get_vdc("acme-vdc"))
        assert "acme-catalog" in [c["name"] for c in org.list_catalogs()]
        items = {i["name"] for i in org.list_catalog_items("acme-catalog")}
        assert {"ubuntu-small", "two-tier", "licensed-appliance", "tools.iso"} <= items

        created = vdc.instantiate_vapp(
            "pyv-app", "acme-catalog", "ubuntu-small", deploy=False, power_on=False
        )
        assert created.get("name") == "pyv-app"
        assert _wait(client, created.Tasks.Task[0]) == "success"

        vdc.reload()
        vapp = pv.VApp(client, resource=vdc.get_vapp("pyv-app"))
        assert int(vapp.get_resource().get("status")) == 8
        assert _wait(client, vapp.power_on()) == "success"
        vapp.reload()
        assert vapp.is_powered_on()
        assert _wait(client, vapp.power_off()) == "success"
        vapp.reload()
        assert vapp.is_powered_off()
        assert _wait(client, vapp.undeploy()) == "success"
        vapp.reload()
        assert vapp.get_resource().get("deployed") == "false"

        query = client.get_typed_query("vApp", query_result_format=pv.QueryResultFormat.RECORDS)
        assert "pyv-app" in [r.get("name") for r in query.execute()]

        vdc.reload()
        assert _wait(client, vdc.delete_vapp("pyv-app")) == "success"
        query = client.get_typed_query("vApp", query_result_format=pv.QueryResultFormat.RECORDS)
        assert "pyv-app" not in [r.get("name") for r in query.execute()]
    finally:
        client.logout()
    opened = [s for token, s in _sessions(sim).items() if token not in before]
    assert len(opened) == 1 and not opened[0].alive
    assert "/cloudapi/1.0.0/sessions" in pv.log.read_text()


def test_pyvcloud_older_version_logs_in_through_api_sessions(
    pyvcloud: SimpleNamespace, sim: SimServer
) -> None:
    """Asked for 32.0, pyvcloud uses POST /api/sessions (cloudapi login starts at 33.0)."""
    pv = pyvcloud
    client = _client(pv, sim, api_version="32.0")
    try:
        assert client.get_api_version() == "32.0"
        org = pv.Org(client, resource=client.get_org())
        vdc = pv.VDC(client, resource=org.get_vdc("acme-vdc"))
        assert vdc.get_resource().get("name") == "acme-vdc"
        records = client.get_typed_query(
            "vAppTemplate", query_result_format=pv.QueryResultFormat.RECORDS
        ).execute()
        assert {"ubuntu-small", "two-tier"} <= {r.get("name") for r in records}
    finally:
        client.logout()
    log = pv.log.read_text()
    assert "/api/sessions" in log
    assert "/cloudapi/1.0.0/sessions" not in log


def _sessions(server: SimServer) -> dict[str, Session]:
    """The simulator's sessions by token (each is also filed under its access token)."""
    return {s.token: s for s in server.cloud.sessions.values()}
