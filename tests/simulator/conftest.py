"""Fixtures for the simulator tests: real uvicorn servers on ephemeral loopback ports.

``sim`` is one fault-free server shared by the session (tests give their objects
unique names); ``make_sim`` starts servers of the test's own (faults on, another
task speed, cloud-wide settings to change) and stops them afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from conformance.simulator import SimConfig
from conformance.simulator.server import SimServer

#: Tasks end after ~0.1 s: fast, yet slow enough to be seen running.
TASK_SPEED = 25.0


@pytest.fixture(scope="session")
def sim() -> Iterator[SimServer]:
    with SimServer(SimConfig(task_speed=TASK_SPEED)) as server:
        yield server


@pytest.fixture
def make_sim() -> Iterator[Callable[..., SimServer]]:
    """``make_sim(faults=("task-never-ends",), task_speed=4.0)``: a started private server."""
    started: list[SimServer] = []

    def start(**config: object) -> SimServer:
        config.setdefault("task_speed", TASK_SPEED)
        server = SimServer(SimConfig(**config)).start()  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
