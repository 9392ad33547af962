"""vcd-conformance: contract tests and conformance checks for the vCloud Director API."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
