"""Generated XML bodies on a vApp's and a VM's action and edit links (hypothesis, seeded).

On the conformant simulator every answer follows the rules: the valid body is
accepted, schema-invalid bodies are refused with a 400 Error, nothing is a 5xx.
A simulator that crashes on bad bodies, or accepts them silently, is reported;
the same seed finds the same things again; and the vApp made for fuzzing is gone.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from conformance.fuzz import xmlactions
from conformance.schemas import SchemaRegistry, get_registry
from conformance.simulator import http as sim_http
from conformance.simulator.server import SimServer
from conformance.versions import ApiVersion

from .conftest import sim_target

SEED = 4242
V36 = ApiVersion(36, 0)
MakeSim = Callable[..., SimServer]


@pytest.fixture(scope="module")
def schemas() -> SchemaRegistry:
    return get_registry()


def fuzz(server: SimServer, schemas: SchemaRegistry, version: ApiVersion = V36, **kw: object):  # type: ignore[no-untyped-def]
    target = sim_target(server)
    report = xmlactions.run(target, version, schemas, seed=SEED, **kw)  # type: ignore[arg-type]
    names = [v.name for v in server.cloud.inv.vapps.values()]
    assert not [n for n in names if n.startswith(f"vcdc-{target.run_id}-")], names
    return report


def test_conformant_cloud_passes(make_sim: MakeSim, schemas: SchemaRegistry) -> None:
    for version in (ApiVersion(1, 5), V36):
        report = fuzz(make_sim(task_speed=1000), schemas, version, max_examples=6, time_budget=20)
        where = f"seed {SEED}, API {version}"
        assert not report.findings, f"{where}: {report.findings[:5]}"
        assert not report.problems, f"{where}: {report.problems}"
        assert len(report.targets) >= 5, report.targets
        assert "vApp deploy" in report.targets and "vApp metadata" in report.targets
        assert 0 < report.valid < report.sent  # valid and invalid bodies both went out
        assert set(report.statuses) == {202, 400}, report.statuses


def test_crash_on_bad_bodies_is_found_and_reproducible(
    make_sim: MakeSim, schemas: SchemaRegistry
) -> None:
    runs = [
        fuzz(make_sim(task_speed=1000, faults=("status-500-on-bad-body",)), schemas, max_examples=4)
        for _ in range(2)
    ]
    first, second = ([(f.check, f.target, f.mutation, f.status) for f in r.findings] for r in runs)
    assert first and {c for c, *_ in first} == {"fuzz.server-error"}, first
    assert first == second  # the same seed, the same requests, the same findings


def test_silent_acceptance_is_found(
    make_sim: MakeSim, schemas: SchemaRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unvalidated(self: sim_http.Call, *expected: str) -> etree._Element:
        try:
            return etree.fromstring(self.body)
        except etree.XMLSyntaxError:
            raise sim_http.CloudError(400, "BAD_REQUEST", "not XML") from None

    monkeypatch.setattr(sim_http.Call, "doc", unvalidated)  # the cloud forgets its schema
    report = fuzz(make_sim(task_speed=1000), schemas, max_examples=4)
    checks = {f.check for f in report.findings}
    assert "fuzz.silent-accept" in checks, report.findings[:5]
    assert all(str(SEED) not in f.detail for f in report.findings)  # details: the answer


@pytest.mark.parametrize("kind", xmlactions.MUTATIONS)
def test_every_mutation_changes_a_valid_body(kind: str, schemas: SchemaRegistry) -> None:
    body = (
        b'<LeaseSettingsSection xmlns="http://www.vmware.com/vcloud/v1.5" '
        b'xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" ovf:required="false">'
        b"<ovf:Info>Lease settings section</ovf:Info>"
        b"<DeploymentLeaseInSeconds>0</DeploymentLeaseInSeconds>"
        b"<StorageLeaseInSeconds>0</StorageLeaseInSeconds></LeaseSettingsSection>"
    )
    assert xmlactions.schema_valid(schemas, V36, body)
    mutated, what = xmlactions.mutate(body, kind, 1, "not-a-number")
    assert what
    if kind == "none":
        assert mutated == body
    else:
        assert mutated != body
    if kind in ("truncate", "wrong-root", "unknown-element"):
        assert not xmlactions.schema_valid(schemas, V36, mutated)
