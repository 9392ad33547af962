"""`vcd-conformance run` against a bad cloud: exit 1 and a written report, never a crash.

Each case runs the real command in a subprocess with a short ``--vcd-timeout``;
the cases run side by side to stay quick.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .conftest import run_cli
from .rawserver import Hang, RawServer, free_port

SELECT = ["-k", "browsing.session"]
#: Plugins a conformance run does not use, and no assertion rewriting: with
#: PYTHONDONTWRITEBYTECODE set both cost seconds at every start.
QUIET = [
    "-p",
    "no:schemathesis",
    "-p",
    "no:hypothesispytest",
    "-p",
    "no:benchmark",
    "--assert=plain",
]


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        raise AssertionError(f"the run did not end within 60 s:\n{out}") from None
    return proc.returncode, out


def _report(folder: Path) -> dict[str, object]:
    found = list(folder.glob("*/compatibility.json"))
    assert len(found) == 1, f"no report under {folder}: {list(folder.rglob('*'))}"
    data: dict[str, object] = json.loads(found[0].read_text("utf-8"))
    return data


def test_bad_clouds_end_in_exit_1_and_a_report(tmp_path: Path) -> None:
    refused_url = f"http://127.0.0.1:{free_port()}"
    live = ["--org", "acme", "--user", "alice", "--api-version", "5.5", *SELECT, *QUIET]
    env = {"VCD_PASSWORD": "not-a-real-password"}
    with RawServer(lambda seen, n: Hang()) as silent:
        runs = {
            "refused": (
                refused_url,
                run_cli(
                    [
                        "run",
                        "--url",
                        refused_url,
                        "--reports",
                        str(tmp_path / "refused"),
                        *live,
                        "--vcd-timeout",
                        "1",
                    ],
                    tmp_path,
                    env,
                ),
            ),
            "silent": (
                silent.url,
                run_cli(
                    [
                        "run",
                        "--url",
                        silent.url,
                        "--reports",
                        str(tmp_path / "silent"),
                        *live,
                        "--vcd-timeout",
                        "0.3",
                    ],
                    tmp_path,
                    env,
                ),
            ),
            "html": (
                "/api/versions",
                run_cli(
                    [
                        "run",
                        "--reports",
                        str(tmp_path / "html"),
                        "--api-version",
                        "5.5",
                        *SELECT,
                        *QUIET,
                        "--vcd-sim-fault",
                        "html-instead-of-xml",
                    ],
                    tmp_path,
                ),
            ),
        }
        outcomes = {name: (where, _finish(proc)) for name, (where, proc) in runs.items()}
    for name, (where, (code, out)) in outcomes.items():
        assert code == 1, f"{name}: exit {code}\n{out}"
        assert "Traceback" not in out and "INTERNALERROR" not in out, f"{name}:\n{out}"
        report = _report(tmp_path / name)
        results = report["results"]
        assert isinstance(results, list) and results, name
        for result in results:
            assert result["status"] == "error", (name, result)
            assert where in (result["message"] or ""), (name, result["message"])
