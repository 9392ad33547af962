"""Prints throughput and the tracked ratios after ``pytest benchmarks --benchmark-only``."""

from __future__ import annotations

import pytest
from benchlib import summary


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    summary(terminalreporter)
