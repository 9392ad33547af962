"""A pytest plugin for report tests: leaks the tenant password into captured output.

Loaded with ``-p tests.reporting.leakplugin`` in a real suite run; it prints
the password during every test (Allure attaches captured stdout, JUnit too
with ``junit_logging=all``) and, at the end, writes every secret the run knew
to ``$VCD_TEST_SECRETS_FILE`` so the test can prove none survived on disk.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conformance.plugin import SUITE_KEY


def pytest_runtest_call(item: pytest.Item) -> None:
    suite = item.config.stash[SUITE_KEY]
    print(f"leak: password={suite.target().password}")


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    suite = config.stash.get(SUITE_KEY, None)
    path = os.environ.get("VCD_TEST_SECRETS_FILE")
    if suite is not None and path:
        Path(path).write_text("\n".join(sorted(suite.redactor.secrets)) + "\n", "utf-8")
