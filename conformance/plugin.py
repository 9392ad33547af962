"""The pytest plugin (entry point ``pytest11: vcd``): options, markers, fixtures.

Hooks and fixtures only; the work is done by the library modules.
"""

from __future__ import annotations

import pytest

from .schemas import SchemaRegistry, get_registry


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vcd", "vCloud Director conformance")
    group.addoption(
        "--vcd-schemas",
        metavar="PATH",
        default=None,
        help="XSD bundle (default: $VCD_CONFORMANCE_SCHEMAS, ./xsd, ../shared/xsd)",
    )


@pytest.fixture(scope="session")
def vcd_schemas(pytestconfig: pytest.Config) -> SchemaRegistry:
    """The schema registry, compiled once per session."""
    from .errors import SchemaBundleNotFoundError

    try:
        return get_registry(pytestconfig.getoption("--vcd-schemas"))
    except SchemaBundleNotFoundError as exc:
        raise pytest.UsageError(str(exc)) from None
