"""Shared fixtures: the schema registry (compiled once per process) and a check context."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.schemas import SchemaRegistry, get_registry


@pytest.fixture(scope="session")
def registry() -> SchemaRegistry:
    return get_registry()


@pytest.fixture(scope="session")
def context(registry: SchemaRegistry) -> checks.Context:
    ctx = checks.Context()
    ctx._registry = registry
    return ctx
