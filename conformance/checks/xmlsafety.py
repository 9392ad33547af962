"""xml.wellformed and xml.safe: the payload parses, and parsing it was safe."""

from __future__ import annotations

from collections.abc import Iterator

from .. import safexml
from ..payload import Payload
from ..violations import Violation, error
from .registry import Context, register


def _parse_problem(payload: Payload, check_id: str) -> Iterator[Violation]:
    if payload.is_json:
        return
    problem = payload.problem
    if problem is not None and problem.check_id == check_id:
        yield error(check_id, str(problem), problem.line)


@register(
    safexml.WELLFORMED, "The body is well-formed XML in a declared encoding", needs_tree=False
)
def wellformed(payload: Payload, context: Context) -> Iterator[Violation]:
    yield from _parse_problem(payload, safexml.WELLFORMED)


@register(
    safexml.SAFE,
    "No DTD, entity declaration or external load; size under the cap",
    needs_tree=False,
)
def safe(payload: Payload, context: Context) -> Iterator[Violation]:
    yield from _parse_problem(payload, safexml.SAFE)
