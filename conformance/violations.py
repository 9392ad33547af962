"""The typed result of every check: a violation with its check id and location."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    #: Advisory: printed and reported, fails a run only with ``--strict``.
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a payload (or an exchange) departs from the documented API."""

    check: str
    severity: Severity
    message: str
    line: int | None = None
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "check": self.check,
            "severity": self.severity.value,
            "message": self.message,
            "line": self.line,
        }
        if self.path:
            data["path"] = self.path
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Violation:
        return cls(
            check=data["check"],
            severity=Severity(data.get("severity", "error")),
            message=data["message"],
            line=data.get("line"),
            path=data.get("path"),
        )

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}[{self.check}] {self.message}"


def error(check: str, message: str, line: int | None = None, path: str | None = None) -> Violation:
    return Violation(check, Severity.ERROR, message, line, path)


def warning(
    check: str, message: str, line: int | None = None, path: str | None = None
) -> Violation:
    return Violation(check, Severity.WARNING, message, line, path)
