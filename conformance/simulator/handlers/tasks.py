"""Tasks: GET a task, cancel it, an org's tasksList, and extension-service tasks."""

from __future__ import annotations

from starlette.responses import Response

from ... import taskstate
from ...mediatypes import VCLOUD_NS
from ..cloud import CloudError
from ..http import Call, xml
from ..render import tasks as render
from .browse import find, visible
from .vapps import id_from_href

_V = f"{{{VCLOUD_NS}}}"


def get_task(call: Call) -> Response:
    task = find(call.cloud.inv.tasks, call.params["id"], "task")
    visible(call, task.org_id, "task")
    return xml(call, render.task(call.view, task))


def cancel(call: Call) -> Response:
    task = find(call.cloud.inv.tasks, call.params["id"], "task")
    visible(call, task.org_id, "task")
    call.cloud.engine.cancel(task)  # too late is not an error: the task keeps its outcome
    return Response(status_code=204)


def tasks_list(call: Call) -> Response:
    org = find(call.cloud.inv.orgs, call.params["id"], "organization")
    visible(call, org.id, "tasks list")
    if call.request.method == "POST":
        return create_extension_task(call, org.id)
    return xml(call, render.tasks_list(call.view, org.id))


def create_extension_task(call: Call, org_id: str) -> Response:
    """An extension service adds a task to the org's list; the cloud fills in id and times."""
    assert call.session is not None
    doc = call.doc("Task")
    status = doc.get("status", taskstate.QUEUED)
    if status not in taskstate.STATUSES:
        raise CloudError(400, "BAD_REQUEST", f"Task status {status!r} is not a task status.")
    namespace = doc.get("serviceNamespace")
    if namespace is not None and (
        namespace.startswith("com.vmware.vcloud") or not 1 <= len(namespace) <= 128
    ):
        raise CloudError(
            400,
            "BAD_REQUEST",
            "serviceNamespace must not start with com.vmware.vcloud and must have "
            "1 to 128 characters.",
        )
    owner = doc.find(f"{_V}Owner")
    owner_kind, owner_id, owner_name = "org", org_id, call.cloud.inv.orgs[org_id].name
    if owner is not None and owner.get("href"):
        href = owner.get("href", "")
        owner_id = id_from_href(href, "owner")
        owner_name = owner.get("name") or owner_id
        owner_kind = "vApp" if "/vApp/vapp-" in href else "vm" if "/vApp/vm-" in href else "org"
    progress_text = doc.findtext(f"{_V}Progress")
    task = call.cloud.engine.start_extension(
        org_id=org_id,
        user_id=call.session.user_id,
        operation_name=doc.get("operationName") or "extensionTask",
        operation=doc.get("operation") or "Extension service operation",
        owner_kind=owner_kind,
        owner_id=owner_id,
        owner_name=owner_name,
        service_namespace=namespace,
        status=status,
        progress=int(progress_text) if progress_text and progress_text.strip().isdigit() else None,
        details=doc.findtext(f"{_V}Details"),
    )
    return xml(call, render.task(call.view, task))


def update_task(call: Call) -> Response:
    """The service that owns an extension task reports progress or the outcome."""
    task = find(call.cloud.inv.tasks, call.params["id"], "task")
    visible(call, task.org_id, "task")
    if not task.extension:
        raise CloudError(
            403,
            "ACCESS_TO_RESOURCE_IS_FORBIDDEN",
            "Only tasks created by an extension service can be updated.",
        )
    doc = call.doc("Task")
    status = doc.get("status")
    current = call.cloud.engine.view(task).status
    if status and not taskstate.is_legal(current, status):
        raise CloudError(400, "BAD_REQUEST", f"A {current} task cannot become {status}.")
    progress_text = doc.findtext(f"{_V}Progress")
    progress = int(progress_text) if progress_text and progress_text.strip().isdigit() else None
    if progress is not None and not 0 <= progress <= 100:
        raise CloudError(400, "BAD_REQUEST", "Progress must be between 0 and 100.")
    call.cloud.engine.update_extension(task, status, progress)
    if status == taskstate.ERROR:
        error = doc.find(f"{_V}Error")
        task.error_message = (
            error.get("message") if error is not None else "The service reported an error."
        )
    return xml(call, render.task(call.view, task))
