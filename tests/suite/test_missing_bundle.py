"""Without an XSD bundle a simulator run stops at once with a message naming where it looked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_run_without_a_bundle_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "conformance", "run", "--reports", str(tmp_path / "r")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "VCD_CONFORMANCE_SCHEMAS": str(tmp_path / "nowhere")},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-2000:]
    assert "no vCloud API schema bundle found" in output
    assert str(tmp_path / "nowhere") in output
    assert "Traceback" not in output
