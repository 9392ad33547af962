"""Probes: behaviour checks that take more than one request.

An example names a probe instead of a single request when the documented
behaviour is a relation between exchanges: version negotiation, logout, links
that must lead where their type says, busy entities, cancel, task lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import checks, linkrels, safexml, taskstate
from .checks import exchanges as exchange_checks
from .client import VcdClient
from .errors import PayloadError
from .mediatypes import VCLOUD_NS, MediaType
from .navigate import Navigator, find_link, links
from .versions import ApiVersion
from .violations import Violation, error
from .watcher import watch

_V = f"{{{VCLOUD_NS}}}"
#: A version no cloud lists: asking for it must give 406.
UNLISTED_VERSION = "99.0"

checks.register_behaviour(
    "link.follow",
    "A GET-able link answers 200 with exactly its type and a valid body",
    scope="link",
)
checks.register_behaviour(
    "blocking.timeout",
    "A blocking task's timeoutAction is applied at its timeoutDate",
    scope="task",
)
checks.register_behaviour(
    "entity.busy", "Actions on an entity with a running task get 400 BUSY_ENTITY", scope="task"
)


class ProbeContext:
    """What a probe may use: the example's navigator, its fixtures and the runner's knobs."""

    def __init__(
        self,
        nav: Navigator,
        version: ApiVersion,
        sleep: Callable[[float], None],
        task_timeout: float,
        payload_checks: Callable[[bytes, str], list[Violation]],
    ) -> None:
        self.nav = nav
        self.version = version
        self.sleep = sleep
        self.task_timeout = task_timeout
        self.payload_checks = payload_checks

    @property
    def client(self) -> VcdClient:
        return self.nav.client


def follow_links(ctx: ProbeContext, anchor: str) -> Iterator[Violation]:
    """Every GET-able link of the document answers its declared type, validly."""
    doc = ctx.nav.doc(anchor)
    seen: set[tuple[str, str]] = set()
    for link in links(doc.root):
        rel, href, kind = link.get("rel", ""), link.get("href", ""), link.get("type")
        if not href or not linkrels.is_navigable(rel) or rel == "entityResolver":
            continue
        if (href, kind or "") in seen:
            continue
        seen.add((href, kind or ""))
        exchange = ctx.client.get(href)
        if exchange.status != 200:
            yield error(
                "link.follow", f"{doc.name} Link rel={rel} -> GET {href} answered {exchange.status}"
            )
            continue
        answered = MediaType.parse(exchange.content_type).full if exchange.content_type else "none"
        if kind and answered.lower() != kind.split(";")[0].lower():
            yield error(
                "link.follow",
                f"{doc.name} Link rel={rel} type={kind} -> GET {href} answered {answered}",
            )
        for violation in ctx.payload_checks(exchange.response_body, exchange.content_type):
            yield Violation(
                violation.check,
                violation.severity,
                f"via {doc.name} Link rel={rel}: {violation.message}",
                violation.line,
                violation.path,
            )


def negotiation(ctx: ProbeContext, anchor: str) -> Iterator[Violation]:
    """Each listed version is served; an unlisted one gets 406 with an Error."""
    versions_doc = ctx.nav.doc("versions")
    ns = "{http://www.vmware.com/vcloud/versions}"
    listed = [
        (v.findtext(f"{ns}Version") or "").strip()
        for v in versions_doc.root.iter(f"{ns}VersionInfo")
    ]
    if not listed:
        yield error("version.negotiation", "GET /api/versions lists no VersionInfo")
        return
    session_href = ctx.client.session_url or f"{ctx.client.api}/session"
    for raw in listed:
        exchange = ctx.client.request(
            "GET", session_href, headers={"Accept": f"application/*+xml;version={raw}"}
        )
        if exchange.status != 200:
            yield error(
                "version.negotiation",
                f"listed version {raw} answered {exchange.status} on GET {session_href}",
            )
            continue
        said = (
            MediaType.parse(exchange.content_type).param("version")
            if exchange.content_type
            else None
        )
        if said is not None and said != raw:
            yield error(
                "version.negotiation", f"asked for version {raw}, the answer is labelled {said}"
            )
    exchange = ctx.client.request(
        "GET", session_href, headers={"Accept": f"application/*+xml;version={UNLISTED_VERSION}"}
    )
    if exchange.status != 406:
        yield error(
            "version.negotiation",
            f"unlisted version {UNLISTED_VERSION} answered {exchange.status}, expected 406",
        )
    else:
        for violation in exchange_checks.error_element(
            406, exchange.content_type, exchange.response_body, None
        ):
            yield Violation("version.negotiation", violation.severity, violation.message)


def logout(ctx: ProbeContext, anchor: str) -> Iterator[Violation]:
    """After DELETE of the session, its token is refused."""
    client = ctx.client
    url = client.session_url or f"{client.api}/session"
    exchange = client.request("DELETE", url, relogin=False)
    if exchange.status not in (200, 204):
        yield error("session.logout", f"DELETE {url} answered {exchange.status}, expected 204")
        return
    after = client.request("GET", url, relogin=False)
    if after.status != 401:
        yield error(
            "session.logout",
            f"the session token still works after logout (GET {url} answered {after.status})",
        )
    client.token = client.bearer = None


def _task_view(ctx: ProbeContext, href: str) -> taskstate.TaskSnapshot | None:
    exchange = ctx.client.get(href)
    try:
        return taskstate.TaskSnapshot.from_element(safexml.parse(exchange.response_body))
    except PayloadError:
        return None


def busy(ctx: ProbeContext, anchor: str) -> Iterator[Violation]:
    """While its task runs, an entity lists the task in Tasks and refuses other work (BUSY_ENTITY).

    The task is one a blocking task holds, so it is still running however fast
    the cloud is; the other work is deleting the entity through its own href.
    """
    task_href = ctx.nav.known.get("task")
    entity = ctx.nav.refresh(anchor)
    task_now = _task_view(ctx, task_href) if task_href else None
    if task_now is None or task_now.is_terminal:
        yield error("entity.busy", "no running task to make the entity busy")
        return
    listed = [t.get("href") for t in entity.root.iterfind(f"{_V}Tasks/{_V}Task")]
    if task_href not in listed:
        yield error(
            "task.owner", f"{entity.name} does not list its running task {task_href} in Tasks"
        )
    attempt = ctx.client.request("DELETE", entity.href)
    if attempt.status in (200, 201, 202, 204):
        yield error(
            "entity.busy",
            f"DELETE of busy {entity.name} was accepted ({attempt.status}) "
            "instead of 400 BUSY_ENTITY",
        )
        return
    try:
        minor = safexml.parse(attempt.response_body).get("minorErrorCode")
    except PayloadError:
        minor = None
    if attempt.status != 400 or minor != "BUSY_ENTITY":
        yield error(
            "entity.busy",
            f"busy {entity.name}: DELETE answered {attempt.status} "
            f"({minor}), documented 400 BUSY_ENTITY",
        )


def cancel(ctx: ProbeContext, anchor: str) -> Iterator[Violation]:
    """task:cancel on a running task leads to aborted (or the task had already ended)."""
    task_href = ctx.nav.known.get("task")
    if not task_href:
        yield error("task.cancel", "no task to cancel")
        return
    doc = ctx.nav.get(task_href)
    before = taskstate.TaskSnapshot.from_element(doc.root)
    if before.is_terminal:
        return  # too late: the documented outcome is the task's own
    link = find_link(doc.root, "task:cancel")
    if link is None:
        yield error("task.cancel", f"running task {task_href} offers no task:cancel link")
        return
    answer = ctx.client.request("POST", link.get("href", ""))
    if answer.status not in (200, 202, 204):
        yield error("task.cancel", f"POST task:cancel answered {answer.status}, expected 204")
        return
    after = _task_view(ctx, task_href)
    result = watch(ctx.client, task_href, timeout=ctx.task_timeout, sleep=ctx.sleep)
    yield from (v for v in result.violations("any") if v.check != "task.outcome")
    final = result.final
    if final is None:
        return
    still_running = after is not None and not after.is_terminal
    if final.status not in (taskstate.ABORTED, taskstate.CANCELED) and (
        still_running or final.status == "success"
    ):
        yield error(
            "task.cancel", f"cancel was accepted while the task ran, yet it ended {final.status}"
        )


def listed(ctx: ProbeContext, anchor: str) -> Iterator[Violation]:
    """A task shows in its org's tasksList and in a typed task query."""
    task_href = ctx.nav.known.get("task")
    if not task_href:
        yield error("task.listed", "no task to look for")
        return
    tasks_list = ctx.nav.refresh("tasks-list")
    if not any(t.get("href") == task_href for t in tasks_list.root.iter(f"{_V}Task")):
        yield error("task.listed", f"task {task_href} is not in the org's tasksList")
    query_list = ctx.nav.doc("query-list")
    query = next(
        (
            el
            for el in links(query_list.root)
            if el.get("name") == "task" and "query.records" in (el.get("type") or "")
        ),
        None,
    )
    if query is None:
        yield error("task.listed", "the QueryList offers no task records query")
        return
    # Newest first: the task just started is on the first page however busy the org is.
    records = ctx.client.get(query.get("href", "") + "&pageSize=128&sortDesc=startDate")
    try:
        root = safexml.parse(records.response_body)
    except PayloadError as exc:
        yield error("task.listed", f"task query answered no usable XML: {exc}")
        return
    hrefs = {r.get("href") for r in root if isinstance(r.tag, str)}
    if task_href not in hrefs:
        yield error("task.listed", f"task {task_href} is not among the task query records")


def blocking_timeout(ctx: ProbeContext, anchor: str) -> Iterator[Violation]:
    """At its timeoutDate the cloud applies the blocking task's timeoutAction (abort here)."""
    task_href = ctx.nav.known.get("task")
    blocking_href = ctx.nav.known.get("blocking-task")
    if not task_href or not blocking_href:
        yield error("blocking.timeout", "no blocked task to watch")
        return
    result = watch(ctx.client, task_href, timeout=ctx.task_timeout, sleep=ctx.sleep)
    yield from (v for v in result.violations("any") if v.check != "task.outcome")
    final = result.final
    if final is not None and final.status not in (taskstate.ABORTED, taskstate.CANCELED):
        yield error(
            "blocking.timeout",
            f"the blocked task ended {final.status} after its "
            "timeoutDate; its timeoutAction is abort",
        )
    blocking = ctx.nav.get(blocking_href)
    if blocking.root.get("status") == "active":
        yield error("blocking.timeout", "the BlockingTask is still active after its timeoutDate")


PROBES: dict[str, Callable[[ProbeContext, str], Iterator[Violation]]] = {
    "follow-links": follow_links,
    "negotiation": negotiation,
    "logout": logout,
    "busy": busy,
    "cancel": cancel,
    "listed": listed,
    "blocking-timeout": blocking_timeout,
}
