"""Writing a run's results: ``reports/<run-id>/compatibility.json``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__

if TYPE_CHECKING:
    from .suite import Suite

FORMAT_VERSION = 1


def write_run(suite: Suite, root: Path) -> Path:
    run_id = suite.options.run_id or time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(suite.started))
    folder = root / run_id
    folder.mkdir(parents=True, exist_ok=True)
    target = suite.target()
    data: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "suite_version": __version__,
        "run_id": run_id,
        "mode": suite.options.mode,
        "target": {"url": suite.redactor.url(target.url)},
        "api_versions": sorted({r["version"] for r in suite.collected}),
        "results": sorted(suite.collected, key=lambda r: (r["version"], r["example"])),
    }
    path = folder / "compatibility.json"
    path.write_text(suite.redactor.text(json.dumps(data, indent=2)) + "\n", "utf-8")
    return path
