"""What one example proved at one API version: status, violations, evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .violations import Severity, Violation

if TYPE_CHECKING:
    from .examples import Example

PASS, FAIL, ERROR, SKIP, NOT_APPLICABLE = "pass", "fail", "error", "skip", "not-applicable"
EXCERPT = 4000


@dataclass
class ExchangeRecord:
    """A redacted summary of one request/response, fit for reports."""

    method: str
    url: str
    status: int | None
    request_type: str | None = None
    request_body: str | None = None
    response_type: str | None = None
    response_body: str | None = None
    elapsed: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class ExampleResult:
    example_id: str
    title: str
    area: str
    chapter: str
    section: str
    version: str
    status: str = PASS
    violations: list[Violation] = field(default_factory=list)
    request: ExchangeRecord | None = None
    tasks: list[dict[str, Any]] = field(default_factory=list)
    message: str | None = None
    duration: float = 0.0
    destructive: bool = False
    exchanges: int = 0

    @classmethod
    def failed_to_run(cls, example: Example, version: str, message: str) -> ExampleResult:
        """An example that could not be judged at all (internal error, replay miss)."""
        return cls(
            example.id,
            example.title,
            example.area,
            example.chapter,
            example.section,
            version,
            status=ERROR,
            destructive=example.destructive,
            message=message,
        )

    def finish(self) -> ExampleResult:
        """Derive the status from the violations unless an error or skip was set."""
        if self.status in (ERROR, SKIP, NOT_APPLICABLE):
            return self
        errors = [v for v in self.violations if v.severity is Severity.ERROR]
        self.status = FAIL if errors else PASS
        return self

    @property
    def failed_checks(self) -> list[str]:
        return sorted({v.check for v in self.violations if v.severity is Severity.ERROR})

    def summary(self) -> str:
        lines = [f"{self.example_id} @ API {self.version}: {self.status}"]
        if self.message:
            lines.append(f"  {self.message}")
        for v in self.violations:
            where = f" (line {v.line})" if v.line else ""
            lines.append(f"  [{v.check}] {v.message}{where}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "example": self.example_id,
            "title": self.title,
            "area": self.area,
            "chapter": self.chapter,
            "section": self.section,
            "version": self.version,
            "status": self.status,
            "destructive": self.destructive,
            "message": self.message,
            "duration": round(self.duration, 4),
            "exchanges": self.exchanges,
            "violations": [v.to_dict() for v in self.violations],
            "request": self.request.to_dict() if self.request else None,
            "tasks": self.tasks,
        }


def excerpt(body: bytes | str | None, limit: int = EXCERPT) -> str | None:
    if not body:
        return None
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return (
        text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more characters]"
    )
