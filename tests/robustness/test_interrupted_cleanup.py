"""An interrupted destructive run leaves nothing behind (teardown, then the sweep).

A transport wrapper raises KeyboardInterrupt at request N (N and the examples
drawn from ``random.Random(seed)``), before or after the request reached the
cloud, the way Ctrl-C lands anywhere. Then ``cleanup.sweep`` (or the
``vcd-conformance cleanup`` command) runs for that run id, and the simulator's
inventory must hold no object named ``vcdc-<run id>-...``.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

import httpx
import pytest

from conformance import cli, examples
from conformance.cleanup import sweep
from conformance.runner import Runner
from conformance.simulator.server import SimServer
from conformance.target import Target
from conformance.versions import ApiVersion

from .conftest import sim_target

V55 = ApiVersion(5, 5)


class Interrupting(httpx.BaseTransport):
    """Passes requests through; the N-th one is interrupted (before or after it was sent)."""

    def __init__(self, inner: httpx.BaseTransport, counter: list[int], at: int, after: bool):
        self.inner, self.counter, self.at, self.after = inner, counter, at, after

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.counter[0] += 1
        if self.counter[0] == self.at and not self.after:
            raise KeyboardInterrupt
        response = self.inner.handle_request(request)
        if self.counter[0] == self.at:
            response.read()
            response.close()
            raise KeyboardInterrupt  # the cloud acted; the client never learns of it
        return response

    def close(self) -> None:
        self.inner.close()


def leftovers(server: SimServer, run_id: str) -> list[str]:
    prefix = f"vcdc-{run_id}-"
    inv = server.cloud.inv
    found = []
    with inv.lock:
        for f in dataclasses.fields(inv):
            table = getattr(inv, f.name)
            if isinstance(table, dict):
                for obj in table.values():
                    name = getattr(obj, "name", None)
                    if isinstance(name, str) and name.startswith(prefix):
                        found.append(f"{f.name}: {name}")
    return found


def destructive() -> list[examples.Example]:
    return [
        e
        for e in examples.load()
        if e.applies_to(V55) and (e.given or e.destructive) and e.request.probe is None
    ]


def interrupted_run(target: Target, seed: int) -> tuple[int, bool, bool]:
    """Run three destructive examples; Ctrl-C at request N. Returns (N, after, interrupted)."""
    rng = random.Random(seed)
    chosen = rng.sample(destructive(), 3)
    at, after = rng.randint(3, 60), rng.random() < 0.5
    counter = [0]

    def transport() -> httpx.BaseTransport:
        return Interrupting(httpx.HTTPTransport(), counter, at, after)

    runner = Runner(target, V55, transport_factory=transport)
    try:
        for example in chosen:
            runner.run(example)
    except KeyboardInterrupt:
        return at, after, True
    return at, after, False


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_interrupted_run_leaves_nothing_after_the_sweep(
    seed: int, make_sim: Callable[..., SimServer]
) -> None:
    server = make_sim()
    target = sim_target(server)
    at, after, interrupted = interrupted_run(target, seed)
    context = f"seed {seed}: interrupt at request {at} ({'after' if after else 'before'} send)"
    assert interrupted, f"{context}: the run ended before request {at}"
    left = leftovers(server, target.run_id)
    report = sweep(target, target.run_id)
    assert not report.failed, f"{context}: {report.failed}"
    assert bool(report.removed) == bool(left), (left, report.removed)  # the sweep found them
    assert leftovers(server, target.run_id) == [], f"{context}; teardown left {left}"


def test_cleanup_command_removes_what_an_interrupted_run_left(
    make_sim: Callable[..., SimServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make_sim()
    target = sim_target(server)
    for seed in range(100, 140):  # find a seed whose interrupt leaves something behind
        interrupted_run(target, seed)
        if leftovers(server, target.run_id):
            break
    assert leftovers(server, target.run_id), "no interrupt point left an object behind"
    monkeypatch.setenv("VCD_PASSWORD", server.cloud.passwords["tenant"])
    monkeypatch.setenv("VCD_SYSTEM_PASSWORD", server.cloud.passwords["system"])
    code = cli.main(
        [
            "cleanup",
            "--url",
            server.url,
            "--org",
            "acme",
            "--user",
            "alice",
            "--system-user",
            "administrator",
            "--run-id",
            target.run_id,
        ]
    )
    assert code == cli.EXIT_OK
    assert leftovers(server, target.run_id) == []


#: Fixtures whose objects a crash can leave behind, by the role that makes them.
CRASH_LEFTOVERS = {
    "tenant": ("vapp-off", "own-media", "own-disk"),
    "system": (
        "own-item",
        "own-user",
        "own-org",
        "own-template",
        "own-vdc",
        "own-network",
        "own-group",
        "own-role",
    ),
}


def test_sweep_finds_every_kind_of_object_a_crash_leaves(
    make_sim: Callable[..., SimServer],
) -> None:
    from conformance.client import VcdClient
    from conformance.fixtures import Fixtures
    from conformance.navigate import Navigator

    server = make_sim(task_speed=500)
    target = sim_target(server)
    for role, names in CRASH_LEFTOVERS.items():
        for index, name in enumerate(names):
            with VcdClient(server.url, ApiVersion(36, 0), timeout=5) as client:
                nav = Navigator(client, target, role, client.login(*target.credentials(role)))
                short = f"c{index}{role[0]}"
                fixtures = Fixtures(nav, target, short, lambda s: None, target.redactor())
                fixtures.make(name)
                fixtures.undo.clear()  # the crash: nothing is undone
    left = leftovers(server, target.run_id)
    kinds = {entry.split(":")[0] for entry in left}
    assert kinds >= {"vapps", "media", "disks", "orgs", "vdcs", "networks", "groups", "roles"}
    report = sweep(target, target.run_id)
    assert not report.failed, report.failed
    assert leftovers(server, target.run_id) == [], f"left before the sweep: {left}"
