"""Task, Tasks (in progress), TasksList and BlockingTask representations."""

from __future__ import annotations

from lxml import etree

from ... import taskstate
from .. import paths
from ..model import BlockingTask, Task
from .common import EXT, V, View, admin_mt, entity_attrs, iso, link, mt, ref, text

#: Task owner kinds -> media type of the owner reference.
OWNER_TYPES = {
    "disk": mt("disk"),
    "adminCatalog": admin_mt("catalog"),
    "adminVdc": admin_mt("vdc"),
    "vApp": mt("vApp"),
    "vm": mt("vm"),
    "vAppTemplate": mt("vAppTemplate"),
    "media": mt("media"),
    "vdc": mt("vdc"),
    "catalog": mt("catalog"),
    "org": mt("org"),
    "catalogItem": mt("catalogItem"),
    "network": mt("orgVdcNetwork"),
    "user": admin_mt("user"),
    "adminOrg": admin_mt("organization"),
}

EXPIRY_SECONDS = 30 * 24 * 3600
#: How many of an org's most recent tasks its TasksList shows (older ones stay
#: reachable at their href and through the query service).
TASKS_LIST_SIZE = 100


def task(view: View, task: Task) -> etree._Element:
    cloud = view.cloud
    faults = view.faults
    state = cloud.engine.view(task)
    status, progress = state.status, state.progress
    polls = cloud.polls.setdefault(task.id, 0)
    cloud.polls[task.id] = polls + 1
    if status == taskstate.RUNNING:
        if faults.on("task-status-regresses") and polls % 2 == 1:
            status = taskstate.QUEUED
        if faults.on("task-progress-falls"):
            progress = max(0, 95 - progress - polls * 10)
        if faults.on("task-progress-over-100"):
            progress = 120
    href = view.url(paths.task(task.id))
    attrs = entity_attrs(
        view,
        "task",
        "task",
        task.id,
        href,
        mt("task"),
        status=status,
        operation=task.operation,
        operationName=task.operation_name,
        serviceNamespace=task.service_namespace,
        startTime=iso(state.start_time) if state.start_time else None,
        endTime=iso(state.end_time) if state.end_time is not None else None,
        expiryTime=iso(task.created + EXPIRY_SECONDS),
        cancelRequested=task.cancel_requested,
    )
    if status == taskstate.SUCCESS and faults.on("task-success-without-endtime"):
        attrs.pop("endTime", None)
    root = V.Task(attrs)
    if status in taskstate.ACTIVE:
        root.append(link("task:cancel", f"{href}/action/cancel"))
    if task.extension and status in taskstate.ACTIVE:
        root.append(link("edit", href, mt("task")))
    if not faults.on("task-missing-owner"):
        root.append(
            ref(
                "Owner",
                view.url(paths.entity_path(task.owner_kind, task.owner_id)),
                OWNER_TYPES.get(task.owner_kind),
                task.owner_name,
            )
        )
    if status == taskstate.ERROR and not faults.on("task-error-without-error"):
        root.append(
            V.Error(
                {
                    "minorErrorCode": "INTERNAL_SERVER_ERROR",
                    "message": task.error_message or "The operation failed.",
                    "majorErrorCode": "500",
                }
            )
        )
    user = cloud.inv.users.get(task.user_id)
    if user is not None:
        root.append(ref("User", view.url(paths.user(user.id)), admin_mt("user"), user.name))
    org = cloud.inv.orgs.get(task.org_id)
    if org is not None:
        root.append(ref("Organization", view.url(paths.org(org.id)), mt("org"), org.name))
    root.append(text("Progress", progress))
    if task.details:
        root.append(text("Details", task.details))
    return root


def tasks_in_progress(view: View, owner_id: str) -> etree._Element | None:
    """The ``Tasks`` container an entity embeds while it has tasks that did not end.

    No tick here: the request's tick (in ``http.endpoint``) fixed the state the whole
    answer describes; ticking again mid-render could end a task after the entity's
    status was written and before its links were, giving links of another state.
    """
    active = view.cloud.inv.active_tasks_of(owner_id)
    if not active:
        return None
    container = V.Tasks()
    for item in active:
        container.append(task(view, item))
    return container


def tasks_list(view: View, org_id: str) -> etree._Element:
    org = view.cloud.inv.orgs[org_id]
    href = view.url(paths.tasks_list(org_id))
    root = V.TasksList(
        entity_attrs(view, f"Tasks Lists of {org.name}", "tasksList", org_id, href, mt("tasksList"))
    )
    view.cloud.engine.tick()
    recent = sorted(
        (t for t in view.cloud.inv.tasks.values() if t.org_id == org_id), key=lambda t: t.created
    )[-TASKS_LIST_SIZE:]
    for item in recent:
        root.append(task(view, item))
    return root


def blocking_task(view: View, blocking: BlockingTask) -> etree._Element:
    href = view.url(paths.blocking_task(blocking.id))
    attrs = entity_attrs(
        view,
        blocking.operation_name,
        "blockingTask",
        blocking.id,
        href,
        admin_mt("blockingTask"),
        status=blocking.status,
        timeoutDate=iso(blocking.created + blocking.timeout_seconds),
        timeoutAction=blocking.timeout_action,
        createdTime=iso(blocking.created),
    )
    root = EXT.BlockingTask(attrs)
    if blocking.status == "active":
        for action in ("resume", "abort", "fail"):
            root.append(
                link(action, f"{href}/action/{action}", admin_mt("blockingTaskOperationParams"))
            )
        root.append(
            link(
                "updateProgress",
                f"{href}/action/updateProgress",
                admin_mt("blockingTaskUpdateProgressOperationParams"),
            )
        )
    root.append(link("up", view.url(paths.task(blocking.task_id)), mt("task")))
    org = view.cloud.inv.orgs.get(blocking.org_id)
    if org is not None:
        root.append(
            ref(
                "Organization",
                view.url(paths.admin_org(org.id)),
                admin_mt("organization"),
                org.name,
            )
        )
    user = view.cloud.inv.users.get(blocking.user_id)
    if user is not None:
        root.append(ref("User", view.url(paths.user(user.id)), admin_mt("user"), user.name))
    task_ = view.cloud.inv.tasks.get(blocking.task_id)
    if task_ is not None:
        root.append(
            ref(
                "TaskOwner",
                view.url(paths.entity_path(task_.owner_kind, task_.owner_id)),
                OWNER_TYPES.get(task_.owner_kind),
                task_.owner_name,
            )
        )
    return root


def blocking_task_references(view: View) -> etree._Element:
    href = view.url("admin/extension/blockingTask/")
    root = V.References({"href": href, "type": mt("query.references")})
    for blocking in view.cloud.inv.blocking_tasks.values():
        if blocking.status == "active":
            root.append(
                ref(
                    "Reference",
                    view.url(paths.blocking_task(blocking.id)),
                    admin_mt("blockingTask"),
                    blocking.operation_name,
                )
            )
    return root
