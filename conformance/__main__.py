"""``python -m conformance`` is the ``vcd-conformance`` command."""

from .cli import run

run()
