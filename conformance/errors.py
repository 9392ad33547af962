"""Exceptions. Each also subclasses the matching builtin so callers may catch either."""

from __future__ import annotations

from collections.abc import Sequence


class ConformanceError(Exception):
    """Base of every error this package raises on purpose."""


class UsageError(ConformanceError, ValueError):
    """Bad option or argument; the message lists what is accepted."""


class InvalidVersionError(UsageError):
    """An API version string that is not ``MAJOR.MINOR``."""


class SchemaBundleNotFoundError(ConformanceError, FileNotFoundError):
    """No XSD bundle where we looked; the message names every place."""

    def __init__(self, looked: Sequence[str]) -> None:
        self.looked = list(looked)
        places = "\n".join(f"  - {p}" for p in self.looked)
        super().__init__(
            "no vCloud API schema bundle found. Looked in:\n"
            f"{places}\n"
            "Pass --schemas PATH, set VCD_CONFORMANCE_SCHEMAS, or fetch a cloud's own "
            "schemas with `vcd-conformance schemas fetch URL`."
        )


class SchemaBundleError(ConformanceError):
    """A bundle that exists but cannot be compiled (missing import, bad XSD)."""


class PayloadError(ConformanceError, ValueError):
    """A payload that cannot be parsed safely (malformed or hostile)."""

    def __init__(self, check_id: str, message: str, line: int | None = None) -> None:
        self.check_id = check_id
        self.line = line
        super().__init__(message)


class SchemaValidationError(ConformanceError, ValueError):
    """Raised by :func:`conformance.validation.validate` with the first error."""

    def __init__(self, error: object) -> None:
        self.error = error
        super().__init__(str(error))


class FetchError(ConformanceError):
    """Downloading a cloud's schemas failed; the message says which URL and why."""


class TransportError(ConformanceError, ConnectionError):
    """The cloud could not be reached or did not answer; the message says how to fix it."""


class ReadOnlyViolation(ConformanceError, PermissionError):
    """A request other than GET tried to leave the process in read-only mode."""


class ReplayMissError(ConformanceError, LookupError):
    """Replay met a request its cassette did not record."""
