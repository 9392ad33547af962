"""Named deviations the simulator can inject, one realistic bug each.

With no fault switched on the simulator is conformant; each fault breaks one
documented behaviour, and ``vcd-conformance selftest`` proves the suite
notices. The simulator consults ``Faults.on(name)`` at the exact place the
deviation belongs.

``CHAOS_FAULTS`` are of another kind: a cloud (or its network) failing, not
deviating from the documents. ``chaos.ChaosMiddleware`` plays them; they are
switched on the same way (``--fault`` / ``--vcd-sim-fault``) but are not part of
the selftest matrix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import UsageError


@dataclass(frozen=True, slots=True)
class Fault:
    name: str
    area: str
    description: str


FAULTS: tuple[Fault, ...] = (
    Fault(
        "schema-missing-attribute",
        "schema",
        "Org representations lose their required name attribute",
    ),
    Fault(
        "schema-wrong-type",
        "schema",
        "Vdc NicQuota is sent as the word 'unlimited' instead of an integer",
    ),
    Fault(
        "schema-unknown-element",
        "schema",
        "VApp representations carry an undocumented <Priority> element",
    ),
    Fault(
        "version-leak",
        "version",
        "answers are not filtered by the negotiated version: newer elements leak into old ones",
    ),
    Fault(
        "version-accept-ignored",
        "version",
        "the Accept version is ignored: every answer is shaped and labelled for the newest version",
    ),
    Fault(
        "version-unknown-accepted",
        "version",
        "an unsupported Accept version is served instead of answered with 406",
    ),
    Fault(
        "media-type-wrong",
        "media-type",
        "Vdc representations are labelled application/vnd.vmware.vcloud.org+xml",
    ),
    Fault("media-type-missing", "media-type", "responses carry no Content-Type header"),
    Fault(
        "html-error-page",
        "media-type",
        "errors come back as an HTML page instead of an Error element",
    ),
    Fault("task-status-regresses", "tasks", "a running task reports queued again on the next poll"),
    Fault("task-success-without-endtime", "tasks", "successful tasks carry no endTime"),
    Fault("task-progress-falls", "tasks", "task Progress goes down between polls"),
    Fault("task-progress-over-100", "tasks", "running tasks report Progress 120"),
    Fault("task-error-without-error", "tasks", "failed tasks carry no Error element"),
    Fault("task-never-ends", "tasks", "tasks stay running forever"),
    Fault(
        "task-cancel-ignored", "tasks", "task:cancel is accepted but the task runs on to success"
    ),
    Fault("task-missing-owner", "tasks", "tasks carry no Owner reference"),
    Fault(
        "busy-entity-ignored",
        "tasks",
        "actions on an entity with a running task are accepted instead of 400 BUSY_ENTITY",
    ),
    Fault("link-wrong-state", "links", "a powered-on vApp still offers power:powerOn"),
    Fault("link-href-404", "links", "Org links to its VDCs point to URLs that answer 404"),
    Fault(
        "link-type-mismatch",
        "links",
        "Org links to catalogs claim type application/vnd.vmware.vcloud.vdc+xml",
    ),
    Fault("link-duplicate-rel", "links", "Session lists the orgList link twice"),
    Fault(
        "session-survives-logout",
        "sessions",
        "the session token still works after DELETE /api/session",
    ),
    Fault("status-200-for-async", "status", "power actions answer 200 OK instead of 202 Accepted"),
    Fault(
        "status-500-on-bad-body",
        "status",
        "a malformed request body gets 500 instead of 400 BAD_REQUEST",
    ),
)

FAULT_NAMES = frozenset(f.name for f in FAULTS)

#: Requests a session answers under ``session-expires`` before its token dies.
SESSION_EXPIRES_AFTER = 12
#: Size of every GET answer under ``huge-body``.
HUGE_BODY_BYTES = 50 * 1024 * 1024

#: Transport chaos: a cloud (or the network in front of it) misbehaving. These are not
#: deviations from the documented API, so the selftest matrix does not list them; they
#: prove the suite survives a bad cloud (tests/robustness) with clear, attributed errors.
CHAOS_FAULTS: tuple[Fault, ...] = (
    Fault(
        "burst-503", "transport", "every 2nd GET answers 503 Service Unavailable (Retry-After: 0)"
    ),
    Fault("hang", "transport", "GETs are never answered (the connection stays open)"),
    Fault(
        "reset-mid-body",
        "transport",
        "GET answers break off after the headers and part of the body",
    ),
    Fault("huge-body", "transport", "every GET answers a 50 MB body"),
    Fault(
        "session-expires",
        "transport",
        f"session tokens die after {SESSION_EXPIRES_AFTER} requests (401 afterwards)",
    ),
    Fault(
        "html-instead-of-xml",
        "transport",
        "GETs answer 200 with an HTML page (a proxy's or load balancer's) instead of XML",
    ),
)
CHAOS_NAMES = frozenset(f.name for f in CHAOS_FAULTS)


def describe(name: str) -> Fault:
    for fault in FAULTS + CHAOS_FAULTS:
        if fault.name == name:
            return fault
    raise UsageError(unknown_message(name))


def unknown_message(name: str) -> str:
    return f"unknown fault {name!r}; valid faults: {', '.join(sorted(FAULT_NAMES | CHAOS_NAMES))}"


class Faults:
    """The set of faults switched on for one simulator (changeable at run time)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._on: set[str] = set()
        for name in names:
            self.enable(name)

    def enable(self, name: str) -> None:
        if name not in FAULT_NAMES and name not in CHAOS_NAMES:
            raise UsageError(unknown_message(name))
        self._on.add(name)

    def disable(self, name: str) -> None:
        self._on.discard(name)

    def clear(self) -> None:
        self._on.clear()

    def on(self, name: str) -> bool:
        if name not in FAULT_NAMES and name not in CHAOS_NAMES:  # a typo must not pass silently
            raise KeyError(name)
        return name in self._on

    @property
    def active(self) -> list[str]:
        return sorted(self._on)
