"""The task watcher: bounded polling of one Task, recording every observation.

Shared by the suite (every example that starts a task), the audit command (over
recorded polls) and the selftest. The polling is bounded in time, backs off,
honours ``Retry-After``, and never sleeps in replay mode.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import safexml, taskstate
from .checks import tasksequence
from .client import VcdClient
from .errors import PayloadError, TransportError
from .violations import Violation, error


@dataclass
class TaskWatch:
    """Everything seen of one task."""

    href: str
    observations: list[taskstate.Observation] = field(default_factory=list)
    timed_out: bool = False
    problem: str | None = None

    @property
    def final(self) -> taskstate.TaskSnapshot | None:
        return self.observations[-1].snapshot if self.observations else None

    @property
    def statuses(self) -> list[str]:
        return [o.snapshot.status for o in self.observations]

    def violations(self, expected: str | None = "success") -> list[Violation]:
        found = list(tasksequence.sequence(self.observations, self.href))
        if self.problem:
            found.append(error("task.terminates", self.problem))
        elif self.timed_out:
            last = self.final.status if self.final else "no answer"
            found.append(
                error(
                    "task.terminates",
                    f"task {self.href} still {last} after {len(self.observations)} polls "
                    "(watch timeout reached)",
                )
            )
        elif (
            expected not in (None, "any")
            and self.final is not None
            and self.final.status != expected
        ):
            found.append(
                error(
                    "task.outcome",
                    f"task {self.href} ended {self.final.status}, expected {expected}",
                )
            )
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "href": self.href,
            "timed_out": self.timed_out,
            "observations": [
                {
                    "at": round(o.at, 3),
                    "status": o.snapshot.status,
                    "progress": o.snapshot.progress,
                    "startTime": o.snapshot.start_time,
                    "endTime": o.snapshot.end_time,
                    "expiryTime": o.snapshot.expiry_time,
                }
                for o in self.observations
            ],
        }


def observe(body: bytes, at: float, http_status: int | None = None) -> taskstate.Observation:
    root = safexml.parse(body)
    return taskstate.Observation(at, taskstate.TaskSnapshot.from_element(root), http_status)


def watch(
    client: VcdClient,
    href: str,
    *,
    timeout: float = 120.0,
    first_delay: float = 0.05,
    max_delay: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
    max_polls: int = 500,
    initial: bytes | None = None,
) -> TaskWatch:
    """Poll ``href`` until the task is terminal, the timeout passes, or max_polls is hit.

    Time is counted as the sum of the waits between polls, not the wall clock:
    the same schedule of polls happens when recording and when replaying, so a
    replay never asks for a poll the recording did not make.
    """
    result = TaskWatch(href)
    waited = 0.0
    delay = first_delay
    if initial is not None:
        try:
            result.observations.append(observe(initial, 0.0))
        except PayloadError as exc:
            result.problem = f"task {href} is not a usable Task document: {exc}"
            return result
    polls = 0
    while True:
        last = result.final
        if last is not None and last.is_terminal:
            return result
        if waited > timeout or polls >= max_polls:
            result.timed_out = True
            return result
        if result.observations:
            sleep(delay)
            waited += delay
            delay = min(delay * 1.6, max_delay)
        try:
            exchange = client.get(href)
        except TransportError as exc:
            result.problem = f"polling {href} failed: {exc}"
            return result
        polls += 1
        if exchange.status != 200:
            result.problem = f"polling {href} answered {exchange.status}"
            return result
        retry_after = exchange.response_headers.get("retry-after", "")
        if retry_after.strip().isdigit():
            delay = min(float(retry_after), max_delay * 5)
        try:
            result.observations.append(observe(exchange.response_body, waited, exchange.status))
        except PayloadError as exc:
            result.problem = f"task {href} is not a usable Task document: {exc}"
            return result
