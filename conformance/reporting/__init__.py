"""Compatibility reports: what a run proves, at a glance, diffable in CI.

One module per job: :mod:`.model` builds the run document, :mod:`.schema`
validates and reads it back, :mod:`.profiles` decides what a verdict needs,
:mod:`.html` / :mod:`.markdown` render it, :mod:`.compare` diffs two runs,
:mod:`.writer` writes ``reports/<run-id>/``, :mod:`.cli` is ``vcd-conformance
report`` and :mod:`.allurelabels` labels the pytest items for Allure.
"""

from __future__ import annotations

from .model import FORMAT, KIND
from .writer import RUN_ID_ENV, new_run_id, write_run

__all__ = ["FORMAT", "KIND", "RUN_ID_ENV", "new_run_id", "write_run"]
