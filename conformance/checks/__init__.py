"""Payload checks: plain functions returning typed violations, in one registry.

Importing this package registers every check. See ``registry`` for the API.
"""

from __future__ import annotations

from . import entities, links, mediatype, schema, tasks, xmlsafety  # noqa: F401  (registration)
from .registry import Check, Context, all_checks, get, register, run_checks, select

__all__ = ["Check", "Context", "all_checks", "get", "register", "run_checks", "select"]
