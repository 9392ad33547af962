"""Helpers for the check tests: run one check (or all) over a body."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conformance import checks
from conformance.payload import Payload
from conformance.versions import ApiVersion
from conformance.violations import Violation

PAYLOADS = Path(__file__).parent.parent / "fixtures" / "payloads"

RunCheck = Callable[..., list[Violation]]


def load(rel: str, *replacements: tuple[str, str]) -> bytes:
    """A fixture payload, with exact text replacements (each must apply)."""
    text = (PAYLOADS / rel).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{old!r} not in {rel}"
        text = text.replace(old, new, 1)
    return text.encode()


@pytest.fixture
def run_check(context: checks.Context) -> RunCheck:
    def run(
        check_id: str,
        body: bytes,
        media_type: str | None = None,
        version: str | None = None,
        **payload_args: object,
    ) -> list[Violation]:
        payload = Payload(
            body,
            media_type,
            ApiVersion.parse(version) if version else None,
            **payload_args,  # type: ignore[arg-type]
        )
        found = checks.run_checks(payload, context, [checks.get(check_id)])
        assert all(v.check == check_id for v in found)
        return found

    return run
