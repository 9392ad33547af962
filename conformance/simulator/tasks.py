"""The simulator's task engine: tasks that move through real time.

A task's status is a function of the clock: queued, maybe preRunning, running
with rising Progress, then its outcome. ``tick`` settles every task whose time
has come and applies its effect (a callback chosen by the caller). Blocking
tasks hold a task in preRunning until resumed, aborted, failed or timed out;
extension tasks are driven by their service instead of the clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from .. import taskstate
from .faults import Faults
from .model import BlockingTask, Inventory, Task, new_id

Effect = Callable[[Task, str], None]


@dataclass
class TaskView:
    """What a Task looks like at one moment."""

    status: str
    progress: int
    start_time: float | None
    end_time: float | None


class TaskEngine:
    """Creates tasks, computes their state from the clock, settles them."""

    #: Base phase durations in seconds at task speed 1.
    QUEUED = 0.25
    PRE_RUNNING = 0.25
    RUNNING = 2.0

    def __init__(
        self,
        inventory: Inventory,
        speed: float = 1.0,
        clock: Callable[[], float] = time.time,
        faults: Faults | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError("task speed must be > 0")
        self.inv = inventory
        self.speed = speed
        self.clock = clock
        self.effects: dict[str, Effect] = {}
        #: The cloud's faults (switchable at run time); the engine reads two of them.
        self.faults = faults if faults is not None else Faults()

    @property
    def never_end(self) -> bool:
        return self.faults.on("task-never-ends")

    @property
    def ignore_cancel(self) -> bool:
        return self.faults.on("task-cancel-ignored")

    # -- creation ------------------------------------------------------------------
    def start(
        self,
        *,
        org_id: str,
        user_id: str,
        operation_name: str,
        operation: str,
        owner_kind: str,
        owner_id: str,
        owner_name: str,
        outcome: str = "success",
        error_message: str | None = None,
        pre_running: bool = False,
        weight: float = 1.0,
    ) -> Task:
        """A new task; blocks in a BlockingTask if its operation is configured so."""
        task = Task(
            id=new_id(),
            org_id=org_id,
            user_id=user_id,
            operation_name=operation_name,
            operation=operation,
            owner_kind=owner_kind,
            owner_id=owner_id,
            owner_name=owner_name,
            created=self.clock(),
            queued_for=self.QUEUED / self.speed,
            pre_running_for=(self.PRE_RUNNING / self.speed) if pre_running else 0.0,
            run_for=self.RUNNING * weight / self.speed,
            outcome=outcome,
            error_message=error_message,
        )
        self.inv.tasks[task.id] = task
        if operation_name in self.inv.blocking_operations:
            blocking = BlockingTask(
                id=new_id(),
                task_id=task.id,
                org_id=org_id,
                user_id=user_id,
                operation_name=operation_name,
                created=task.created,
                timeout_seconds=self.inv.blocking_timeout_seconds,
                timeout_action=self.inv.blocking_timeout_action,
            )
            self.inv.blocking_tasks[blocking.id] = blocking
            task.blocking_task_id = blocking.id
        return task

    def start_extension(
        self,
        *,
        org_id: str,
        user_id: str,
        operation_name: str,
        operation: str,
        owner_kind: str,
        owner_id: str,
        owner_name: str,
        service_namespace: str | None,
        status: str,
        progress: int | None,
        details: str | None,
    ) -> Task:
        """A task an extension service posted to a tasksList; the service drives it."""
        task = self.start(
            org_id=org_id,
            user_id=user_id,
            operation_name=operation_name,
            operation=operation,
            owner_kind=owner_kind,
            owner_id=owner_id,
            owner_name=owner_name,
        )
        task.extension = True
        task.service_namespace = service_namespace
        task.details = details
        self.update_extension(task, status, progress)
        return task

    def update_extension(self, task: Task, status: str | None, progress: int | None) -> None:
        if status:
            task.extension_status = status
        if progress is not None:
            task.extension_progress = progress
        if task.extension_status in taskstate.TERMINAL and task.final_status is None:
            task.final_status = task.extension_status
            task.end_time = self.clock()

    # -- views ----------------------------------------------------------------------------
    def view(self, task: Task) -> TaskView:
        now = self.clock()
        self._settle(task, now)
        start = task.created
        if task.final_status is not None:
            return TaskView(
                task.final_status,
                100
                if task.final_status == "success"
                else self._progress(task, task.end_time or now),
                start,
                task.end_time,
            )
        if task.extension:
            return TaskView(
                task.extension_status or taskstate.QUEUED, task.extension_progress or 0, start, None
            )
        blocking = self.inv.blocking_tasks.get(task.blocking_task_id or "")
        if blocking is not None and blocking.status == "active":
            return TaskView(taskstate.PRE_RUNNING, 0, start, None)
        elapsed = now - task.created
        if elapsed < task.queued_for:
            return TaskView(taskstate.QUEUED, 0, start, None)
        if elapsed < task.queued_for + task.pre_running_for:
            return TaskView(taskstate.PRE_RUNNING, 0, start, None)
        return TaskView(taskstate.RUNNING, self._progress(task, now), start, None)

    def _progress(self, task: Task, at: float) -> int:
        ran = at - task.created - task.queued_for - task.pre_running_for
        if task.run_for <= 0:
            return 99
        return max(0, min(99, int(ran / task.run_for * 100)))

    # -- settling ---------------------------------------------------------------------
    def tick(self) -> None:
        """Settle every task whose end has come (and blocking tasks that timed out)."""
        now = self.clock()
        for blocking in list(self.inv.blocking_tasks.values()):
            if blocking.status == "active" and now >= blocking.created + blocking.timeout_seconds:
                self.resolve_blocking(blocking, blocking.timeout_action, "timed out")
        for task in list(self.inv.tasks.values()):
            self._settle(task, now)

    def _settle(self, task: Task, now: float) -> None:
        if task.final_status is not None or task.extension:
            return
        blocking = self.inv.blocking_tasks.get(task.blocking_task_id or "")
        if blocking is not None and blocking.status == "active":
            return
        if task.cancel_requested and not self.ignore_cancel:
            self._finish(task, taskstate.ABORTED, now)
            return
        if self.never_end:
            return
        end = task.created + task.queued_for + task.pre_running_for + task.run_for
        if now >= end:
            self._finish(task, task.outcome, end)

    def _finish(self, task: Task, status: str, at: float) -> None:
        task.final_status = status
        task.end_time = max(at, task.created)
        effect = self.effects.get(task.operation_name)
        if effect is not None and not task.applied:
            task.applied = True
            effect(task, status)

    def finish_now(self, task: Task, status: str, message: str | None = None) -> None:
        """End a task at once (blocking-task abort/fail, cancel of a queued task)."""
        if task.final_status is None:
            if message:
                task.error_message = message
            self._finish(task, status, self.clock())

    # -- cancel and blocking ------------------------------------------------------------
    def cancel(self, task: Task) -> bool:
        """Request cancellation; False when the task already ended (too late)."""
        self._settle(task, self.clock())
        if task.final_status is not None:
            return False
        task.cancel_requested = True
        if not self.ignore_cancel:
            self._finish(task, taskstate.ABORTED, self.clock())
        return True

    def resolve_blocking(self, blocking: BlockingTask, action: str, message: str | None) -> None:
        """Apply resume / abort / fail to a blocking task and the task it holds."""
        task = self.inv.tasks.get(blocking.task_id)
        now = self.clock()
        blocking.message = message
        if action == "resume":
            blocking.status = "resumed"
            if task is not None:
                # The task runs from now on, as if it had just left preRunning.
                task.created = now - task.queued_for - task.pre_running_for
        elif action == "abort":
            blocking.status = "aborted"
            if task is not None:
                self.finish_now(task, taskstate.ABORTED, message)
        elif action == "fail":
            blocking.status = "failed"
            if task is not None:
                task.outcome = taskstate.ERROR
                self.finish_now(task, taskstate.ERROR, message or "Failed by an administrator")
        else:
            raise ValueError(f"unknown blocking task action {action!r}")

    def extend_blocking(self, blocking: BlockingTask, timeout_seconds: float) -> None:
        """updateProgress: restart the timeout from now."""
        blocking.created = self.clock()
        blocking.timeout_seconds = timeout_seconds
