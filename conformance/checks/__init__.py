"""Payload checks: plain functions returning typed violations, in one registry.

Importing this package registers every check. See ``registry`` for the API.
"""

from __future__ import annotations

from . import entities, links, mediatype, schema, tasks, tasksequence, xmlsafety  # noqa: F401
from .registry import (
    Check,
    Context,
    all_checks,
    get,
    register,
    register_behaviour,
    run_checks,
    select,
)

__all__ = [
    "Check",
    "Context",
    "all_checks",
    "get",
    "register",
    "register_behaviour",
    "run_checks",
    "select",
]
