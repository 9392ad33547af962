"""A live run removes at its end whatever of it is still on the cloud."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.simulator import operations
from conformance.simulator.cloud import SimConfig
from conformance.simulator.server import SimServer
from conformance.suite import Options, Suite
from conformance.versions import ApiVersion


@pytest.fixture
def cloud() -> Iterator[SimServer]:
    with SimServer(SimConfig(task_speed=100)) as server:
        yield server


def leftover(server: SimServer, name: str) -> None:
    inv = server.cloud.inv
    vdc = next(v for v in inv.vdcs.values() if inv.orgs[v.org_id].name == "acme")
    owner = next(u for u in inv.users.values() if u.name == "alice")
    vapp = operations.new_vapp(server.cloud, vdc.id, name, owner.id, "left behind", [])
    vapp.status = 8  # resolved and powered off: removable


def test_the_sweep_removes_only_this_runs_objects(
    cloud: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VCD_PASSWORD", cloud.cloud.passwords["tenant"])
    suite = Suite(
        Options(
            mode="live",
            url=cloud.url,
            org="acme",
            user="alice",
            versions=(ApiVersion.parse("5.5"),),
        )
    )
    run_id = suite.target().run_id
    leftover(cloud, f"vcdc-{run_id}-aa")
    leftover(cloud, "vcdc-otherrun-bb")
    suite.close()
    names = {v.name for v in cloud.cloud.inv.vapps.values()}
    assert f"vcdc-{run_id}-aa" not in names
    assert "vcdc-otherrun-bb" in names  # another run's objects are not this run's to remove
    assert any(f"vcdc-{run_id}-aa" in note for note in suite.sweep_notes)


def test_read_only_runs_never_sweep(cloud: SimServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VCD_PASSWORD", cloud.cloud.passwords["tenant"])
    suite = Suite(Options(mode="live", url=cloud.url, org="acme", user="alice", read_only=True))
    run_id = suite.target().run_id
    leftover(cloud, f"vcdc-{run_id}-aa")
    suite.close()
    assert f"vcdc-{run_id}-aa" in {v.name for v in cloud.cloud.inv.vapps.values()}
    assert suite.sweep_notes == []
