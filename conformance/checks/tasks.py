"""task.invariants: a single Task representation is internally consistent."""

from __future__ import annotations

from collections.abc import Iterator

from .. import taskstate
from ..payload import Payload
from ..validation import readable_path
from ..violations import Violation, error
from .registry import Context, register


@register("task.invariants", "Each Task: legal status, Progress 0..100, endTime/Error/cancel agree")
def invariants(payload: Payload, context: Context) -> Iterator[Violation]:
    assert payload.root is not None
    for task in taskstate.iter_tasks(payload.root):
        snap = taskstate.TaskSnapshot.from_element(task)
        for problem in taskstate.invariant_problems(snap):
            yield error("task.invariants", problem, task.sourceline, readable_path(task))
