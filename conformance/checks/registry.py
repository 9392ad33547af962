"""The check registry: every payload check, by id, in one small table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import UsageError
from ..payload import Payload
from ..schemas import SchemaRegistry, get_registry
from ..violations import Violation


@dataclass
class Context:
    """What checks may need beyond the payload; the schema registry loads lazily."""

    schemas: str | None = None
    _registry: SchemaRegistry | None = field(default=None, repr=False)

    @property
    def registry(self) -> SchemaRegistry:
        if self._registry is None:
            self._registry = get_registry(self.schemas)
        return self._registry


CheckFn = Callable[[Payload, Context], Iterable[Violation]]


@dataclass(frozen=True)
class Check:
    id: str
    description: str
    fn: CheckFn | None
    #: False for checks that also judge payloads that failed to parse.
    needs_tree: bool = True
    #: "payload" checks judge one body; the others judge behaviour across exchanges
    #: ("exchange", "task", "link", "session") and are run by the suite's runner.
    scope: str = "payload"


_CHECKS: dict[str, Check] = {}


def register(
    check_id: str, description: str, *, needs_tree: bool = True
) -> Callable[[CheckFn], CheckFn]:
    def decorate(fn: CheckFn) -> CheckFn:
        if check_id in _CHECKS:
            raise ValueError(f"check {check_id!r} registered twice")
        _CHECKS[check_id] = Check(check_id, description, fn, needs_tree)
        return fn

    return decorate


def register_behaviour(check_id: str, description: str, *, scope: str) -> None:
    """Declare a behaviour check id (its logic lives with the runner or watcher)."""
    if check_id in _CHECKS:
        raise ValueError(f"check {check_id!r} registered twice")
    _CHECKS[check_id] = Check(check_id, description, None, scope=scope)


def all_checks(scope: str | None = "payload") -> list[Check]:
    """Checks of one scope (None: every check), sorted by id."""
    return sorted(
        (c for c in _CHECKS.values() if scope is None or c.scope == scope), key=lambda c: c.id
    )


def get(check_id: str) -> Check:
    try:
        return _CHECKS[check_id]
    except KeyError:
        valid = ", ".join(sorted(_CHECKS))
        raise UsageError(f"unknown check {check_id!r}; valid checks: {valid}") from None


def select(ids: Sequence[str] | None) -> list[Check]:
    """Checks by id (prefixes such as ``link`` select a family); all when None."""
    if not ids:
        return all_checks()
    chosen: list[Check] = []
    for wanted in ids:
        family = [c for c in all_checks(None) if c.id.startswith(wanted + ".")]
        for check in family or [get(wanted)]:
            if check not in chosen:
                chosen.append(check)
    return chosen


def run_checks(
    payload: Payload, context: Context | None = None, checks: Sequence[Check] | None = None
) -> list[Violation]:
    """Run checks over one payload; a payload that does not parse only gets xml.*."""
    context = context or Context()
    found: list[Violation] = []
    for check in checks if checks is not None else all_checks():
        if check.fn is None or (check.needs_tree and (payload.is_json or payload.root is None)):
            continue
        found.extend(check.fn(payload, context))
    return found
