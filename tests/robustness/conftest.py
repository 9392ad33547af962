"""Fixtures for the robustness tests: private simulators, a Runner against any URL, examples.

Every wait in these tests is bounded; the clients get short timeouts and a
recording ``sleep`` (backoff is asserted, never slept through).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conformance import examples
from conformance.examples import Example
from conformance.results import ExampleResult
from conformance.runner import Runner
from conformance.simulator import SimConfig
from conformance.simulator.server import SimServer
from conformance.target import Target
from conformance.versions import ApiVersion

#: Tasks end within ~40 ms: fixtures do not wait long.
TASK_SPEED = 60.0
VERSIONS_NS = "http://www.vmware.com/vcloud/versions"


@dataclass
class Sleeps:
    """A ``sleep`` that records what it was asked to wait, and waits nothing."""

    calls: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def example(example_id: str) -> Example:
    return next(e for e in examples.load() if e.id == example_id)


def versions_document(base: str, version: str = "5.5") -> bytes:
    return (
        f'<SupportedVersions xmlns="{VERSIONS_NS}"><VersionInfo><Version>{version}</Version>'
        f"<LoginUrl>{base}/api/sessions</LoginUrl></VersionInfo></SupportedVersions>"
    ).encode()


def run_example(
    url: str,
    example_id: str = "browsing.session",
    *,
    version: str = "5.5",
    password: str = "not-a-real-password",
    timeout: float = 2.0,
    task_timeout: float = 5.0,
    verify: bool | str = True,
    sleep: Callable[[float], None] | None = None,
    system: str | None = None,
) -> ExampleResult:
    """Run one example against ``url`` as alice@acme (and administrator, if given)."""
    target = Target(
        url,
        "acme",
        "alice",
        password,
        "administrator" if system else None,
        system,
        timeout=timeout,
        task_timeout=task_timeout,
        verify=verify,
    )
    runner = Runner(target, ApiVersion.parse(version), sleep=sleep or Sleeps())
    return runner.run(example(example_id))


@pytest.fixture
def make_sim() -> Iterator[Callable[..., SimServer]]:
    """``make_sim(faults=("hang",))``: a private simulator, stopped after the test."""
    started: list[SimServer] = []

    def start(tls: bool = False, **config: object) -> SimServer:
        config.setdefault("task_speed", TASK_SPEED)
        server = SimServer(SimConfig(**config), tls=tls).start()  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def sim_target(server: SimServer, **kwargs: object) -> Target:
    pw = server.cloud.passwords
    kwargs.setdefault("timeout", 5.0)
    kwargs.setdefault("task_timeout", 10.0)
    return Target(
        server.url, "acme", "alice", pw["tenant"], "administrator", pw["system"], **kwargs
    )  # type: ignore[arg-type]


def run_cli(
    args: Sequence[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 60.0
) -> subprocess.Popen[str]:
    """Start ``vcd-conformance ARGS`` in a subprocess (the caller waits, bounded)."""
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    full_env.pop("VCD_CONFORMANCE_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-c", "from conformance.cli import run; run()", *args],
        cwd=cwd,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
