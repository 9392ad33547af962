"""Task behaviour checks: over the sequence of polls the task watcher observed."""

from __future__ import annotations

from collections.abc import Iterator

from .. import taskstate
from ..violations import Violation, error
from .registry import register_behaviour

for _check_id, _description in (
    (
        "task.transition",
        "Polls show only legal status transitions; a terminal status never changes",
    ),
    ("task.progress", "Progress never falls between polls"),
    ("task.times", "startTime stable, endTime set once, expiryTime present once terminal"),
    ("task.terminates", "A task reaches a terminal status within the watch timeout"),
    ("task.outcome", "The task ends with the documented outcome (success unless stated)"),
    ("task.cancel", "task:cancel leads to aborted, or the task had already ended"),
    (
        "task.owner",
        "Owner resolves to the entity; while running the entity lists the task and is busy",
    ),
    ("task.listed", "The task shows in the org's tasksList and in a task query"),
):
    register_behaviour(_check_id, _description, scope="task")


def sequence(observations: list[taskstate.Observation], href: str) -> Iterator[Violation]:
    """Violations of the state machine across the observed polls of one task."""
    for check_id, message in taskstate.sequence_problems(observations):
        yield error(check_id, f"{message} (task {href})")
    for index, obs in enumerate(observations, start=1):
        for problem in taskstate.invariant_problems(obs.snapshot):
            yield error(
                "task.invariants", f"poll {index}: {problem} (task {href})", obs.snapshot.line
            )
