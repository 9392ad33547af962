"""The embedded reference cloud: a vCloud Director simulator on a real HTTP server.

``create_app`` gives the ASGI app; ``server.SimServer`` runs it under uvicorn
(in a thread for tests, or in the foreground for ``vcd-conformance sim``).
"""

from __future__ import annotations

from .app import create_app
from .cloud import Cloud, SimConfig
from .faults import FAULTS

__all__ = ["FAULTS", "Cloud", "SimConfig", "create_app"]
