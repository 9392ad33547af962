"""The Task state machine: statuses, legal transitions, and invariants of a Task.

This is the one place the suite encodes how a vCloud Task behaves. The payload
check ``task.invariants`` judges one snapshot; the task watcher judges the
sequence of snapshots it observes; the simulator drives its tasks through the
same transitions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from .mediatypes import VCLOUD_NS

QUEUED, PRE_RUNNING, RUNNING = "queued", "preRunning", "running"
SUCCESS, ERROR, ABORTED, CANCELED = "success", "error", "aborted", "canceled"

#: Statuses of the Task reference; ``canceled`` also appears in task.xsd's own
#: documentation of ``status`` (and pyvcloud knows it), so it is accepted.
STATUSES = (QUEUED, PRE_RUNNING, RUNNING, SUCCESS, ERROR, ABORTED, CANCELED)
ACTIVE = frozenset({QUEUED, PRE_RUNNING, RUNNING})
TERMINAL = frozenset({SUCCESS, ERROR, ABORTED, CANCELED})

#: Legal next statuses (a status may always repeat). Shortcuts are allowed: a task
#: may skip preRunning, or end straight from queued (error, abort, cancel).
TRANSITIONS: dict[str, frozenset[str]] = {
    QUEUED: frozenset({PRE_RUNNING, RUNNING}) | TERMINAL,
    PRE_RUNNING: frozenset({RUNNING}) | TERMINAL,
    RUNNING: TERMINAL,
    SUCCESS: frozenset(),
    ERROR: frozenset(),
    ABORTED: frozenset(),
    CANCELED: frozenset(),
}

_T = f"{{{VCLOUD_NS}}}"


def is_legal(previous: str, current: str) -> bool:
    return previous == current or current in TRANSITIONS.get(previous, frozenset())


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class TaskSnapshot:
    """What one Task representation says, at one moment."""

    status: str
    href: str | None = None
    operation_name: str | None = None
    progress: int | None = None
    progress_text: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    expiry_time: str | None = None
    has_error: bool = False
    owner_href: str | None = None
    has_owner: bool = False
    has_cancel_link: bool = False
    line: int | None = None

    @classmethod
    def from_element(cls, task: etree._Element) -> TaskSnapshot:
        progress_el = task.find(f"{_T}Progress")
        progress_text = (
            progress_el.text.strip() if progress_el is not None and progress_el.text else None
        )
        progress = None
        if progress_text is not None:
            try:
                progress = int(progress_text)
            except ValueError:
                progress = None
        owner = task.find(f"{_T}Owner")
        cancel = any(link.get("rel") == "task:cancel" for link in task.iterfind(f"{_T}Link"))
        return cls(
            status=task.get("status", ""),
            href=task.get("href"),
            operation_name=task.get("operationName"),
            progress=progress,
            progress_text=progress_text,
            start_time=task.get("startTime"),
            end_time=task.get("endTime"),
            expiry_time=task.get("expiryTime"),
            has_error=task.find(f"{_T}Error") is not None,
            owner_href=owner.get("href") if owner is not None else None,
            has_owner=owner is not None,
            has_cancel_link=cancel,
            line=task.sourceline,
        )

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL


def iter_tasks(root: etree._Element) -> Iterator[etree._Element]:
    """The root Task, and every Task embedded in a ``Tasks`` container."""
    yield from root.iter(f"{_T}Task")


def invariant_problems(snap: TaskSnapshot) -> Iterator[str]:
    """Why a single Task representation is impossible, one message per problem."""
    if snap.status not in STATUSES:
        yield (f"status {snap.status!r} is not a Task status (one of {', '.join(STATUSES)})")
    if snap.progress_text is not None and snap.progress is None:
        yield f"Progress {snap.progress_text!r} is not an integer"
    if snap.progress is not None and not 0 <= snap.progress <= 100:
        yield f"Progress {snap.progress} is outside 0..100"
    if snap.status in TERMINAL and not snap.end_time:
        yield f"status is {snap.status} (terminal) but endTime is missing"
    if snap.status in ACTIVE and snap.end_time:
        yield f"status is {snap.status} (not terminal) but endTime is set ({snap.end_time})"
    start, end = parse_time(snap.start_time), parse_time(snap.end_time)
    if start and end and end < start:
        yield f"endTime {snap.end_time} is before startTime {snap.start_time}"
    if snap.status == ERROR and not snap.has_error:
        yield "status is error but the Task has no Error element"
    if snap.has_error and snap.status != ERROR and snap.status in STATUSES:
        yield f"Task carries an Error element but its status is {snap.status}"
    if snap.has_cancel_link and snap.status in TERMINAL:
        yield f"task:cancel link offered on a {snap.status} (terminal) task"
    if not snap.has_owner:
        yield "Task has no Owner (the entity it works on)"


@dataclass(frozen=True, slots=True)
class Observation:
    """One poll of a task: what it said, and when (seconds since watching began)."""

    at: float
    snapshot: TaskSnapshot
    http_status: int | None = None


def sequence_problems(observations: list[Observation]) -> Iterator[tuple[str, str]]:
    """(check id, message) for every way a sequence of polls breaks the state machine."""
    previous: TaskSnapshot | None = None
    for index, obs in enumerate(observations, start=1):
        snap = obs.snapshot
        if previous is not None:
            if (
                snap.status in STATUSES
                and previous.status in STATUSES
                and not is_legal(previous.status, snap.status)
            ):
                kind = (
                    "terminal status changed"
                    if previous.status in TERMINAL
                    else "illegal transition"
                )
                yield (
                    "task.transition",
                    f"poll {index}: {kind} {previous.status} -> {snap.status}",
                )
            if (
                previous.progress is not None
                and snap.progress is not None
                and snap.progress < previous.progress
            ):
                yield (
                    "task.progress",
                    f"poll {index}: Progress fell from {previous.progress} to {snap.progress}",
                )
            if previous.start_time and snap.start_time != previous.start_time:
                yield (
                    "task.times",
                    f"poll {index}: startTime changed from {previous.start_time} "
                    f"to {snap.start_time}",
                )
            if previous.end_time and snap.end_time != previous.end_time:
                yield (
                    "task.times",
                    f"poll {index}: endTime changed from {previous.end_time} to {snap.end_time}",
                )
        if snap.status in TERMINAL and not snap.expiry_time:
            yield ("task.times", f"poll {index}: {snap.status} task has no expiryTime")
        previous = snap
