"""The vcd-conformance command: exit codes, output formats, stdin, hostile files."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conformance import checks, cli
from conformance.checks import registry as registry_mod

from . import hostile
from .loopback import Loopback

PAYLOADS = Path(__file__).parent / "fixtures" / "payloads"
TASK = str(PAYLOADS / "1.5" / "task-running.xml")
VDC_15 = str(PAYLOADS / "1.5" / "vdc.xml")
ROOT = Path(__file__).parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(
    *argv: str, stdin: bytes = b"", timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """The real entry point in a child process (what a user runs)."""
    env = {k: v for k, v in os.environ.items() if k != "VCD_CONFORMANCE_DEBUG"}
    return subprocess.run(
        [sys.executable, "-c", "from conformance.cli import run; run()", *argv],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        check=False,
    )


def assert_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert 'File "' not in stderr


# -- exit codes ------------------------------------------------------------------------


def test_exit_0_when_everything_conforms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", TASK, VDC_15, "--api-version", "1.5")
    assert code == cli.EXIT_OK == 0
    assert out.strip().endswith("2 payload(s) checked, 2 conform, 0 violation(s)")
    assert err == ""


def test_exit_1_on_violations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", TASK, VDC_15, "--api-version", "5.1")
    assert code == cli.EXIT_VIOLATIONS == 1
    assert f"{VDC_15}:15: schema.version: " in out
    assert "2 payload(s) checked, 1 conform, 1 violation(s)" in out


def test_warnings_fail_only_with_strict(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    odd = tmp_path / "odd.xml"
    odd.write_text(
        Path(TASK).read_text(encoding="utf-8").replace('rel="task:cancel"', 'rel="task:explode"'),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", str(odd), "--api-version", "1.5")
    assert code == 0
    assert "link.rel-known (warning): " in out
    assert "1 conform, 1 violation(s)" in out
    code, _, _ = run(capsys, "check", str(odd), "--api-version", "1.5", "--strict")
    assert code == 1


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["check", "/nonexistent/payload.xml"], "no such file: /nonexistent/payload.xml"),
        (["check", str(PAYLOADS)], "is a directory"),
        (["check", TASK, "--api-version", "5"], "not an API version: '5'"),
        (["check", TASK, "--api-version", "latest"], "expected MAJOR.MINOR"),
        (["check", TASK, "--select", "bogus"], "unknown check 'bogus'; valid checks:"),
        (["check"], "the following arguments are required: PAYLOAD"),
        (["check", TASK, "--format", "yaml"], "invalid choice: 'yaml'"),
        (["schemas"], "the following arguments are required: ACTION"),
        ([], "usage:"),
    ],
    ids=[
        "missing-file",
        "directory",
        "bad-version",
        "word-version",
        "bad-select",
        "no-payload",
        "bad-format",
        "schemas-no-action",
        "no-command",
    ],
)
def test_exit_2_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    try:
        code, out, err = run(capsys, *argv)
    except SystemExit as exc:  # argparse exits by itself
        code = int(exc.code or 0)
        out, err = capsys.readouterr()
    assert code == cli.EXIT_USAGE == 2
    assert fragment in err
    assert out == ""
    assert_no_traceback(err)


def test_missing_bundle_lists_where_it_looked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", TASK, "--schemas", "/nonexistent")
    assert code == 2
    assert out == ""
    assert "no vCloud API schema bundle found. Looked in:" in err
    assert "  - /nonexistent" in err
    assert "--schemas" in err and "VCD_CONFORMANCE_SCHEMAS" in err and "schemas fetch" in err
    assert_no_traceback(err)


def test_missing_bundle_from_env(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VCD_CONFORMANCE_SCHEMAS", "/nonexistent/env-bundle")
    code, _, err = run(capsys, "check", TASK)
    assert code == 2
    assert "/nonexistent/env-bundle" in err


def test_exit_3_internal_error_without_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VCD_CONFORMANCE_DEBUG", raising=False)

    def broken(payload: object, context: object) -> list[object]:
        raise KeyError("boom")

    monkeypatch.setitem(
        registry_mod._CHECKS,
        "task.invariants",
        registry_mod.Check("task.invariants", "broken", broken),
    )
    code, _, err = run(capsys, "check", TASK)
    assert code == cli.EXIT_INTERNAL == 3
    assert "internal error: KeyError: 'boom'" in err
    assert "VCD_CONFORMANCE_DEBUG=1" in err
    assert_no_traceback(err)
    monkeypatch.setenv("VCD_CONFORMANCE_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main(["check", TASK])


# -- stdin and formats ----------------------------------------------------------------------


def test_dash_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (PAYLOADS / "5.5" / "session.xml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
    code, out, _ = run(capsys, "check", "-", "--api-version", "1.5", "--format", "json")
    assert code == 1
    (result,) = json.loads(out)["files"]
    assert result["path"] == "-"
    assert [v["check"] for v in result["violations"]] == ["schema.version"]


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    relative = os.path.relpath(VDC_15)
    code, out, _ = run(capsys, "check", TASK, relative, "--api-version", "5.1", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["files"]
    first, second = data["files"]
    for entry in data["files"]:
        assert list(entry) == ["path", "ok", "violations"]
    assert first == {"path": TASK, "ok": True, "violations": []}
    assert second["path"] == relative  # as given, not resolved
    assert second["ok"] is False
    (violation,) = second["violations"]
    assert {"check", "severity", "message", "line"} <= set(violation)
    assert set(violation) <= {"check", "severity", "message", "line", "path"}
    assert violation["check"] == "schema.version"
    assert violation["severity"] == "error"
    assert violation["line"] == 15
    assert violation["path"] == "/Vdc/StorageCapacity"


def test_json_null_line_for_header_checks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", TASK, "--media-type", "application/x-nope", "--format", "json"
    )
    assert code == 1
    (violation,) = json.loads(out)["files"][0]["violations"]
    assert violation == {
        "check": "media-type.known",
        "severity": "error",
        "message": "Content-Type 'application/x-nope' is not a documented vCloud media type",
        "line": None,
    }


def test_media_type_option_sets_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    session = str(PAYLOADS / "5.5" / "session.xml")
    mt = "application/vnd.vmware.vcloud.session+xml;version=5.1"
    code, out, _ = run(capsys, "check", session, "--media-type", mt)
    assert code == 1
    assert "(at API 5.1; added in 5.5)" in out


def test_select_limits_checks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", VDC_15, "--api-version", "5.1", "--select", "link")
    assert code == 0
    assert "0 violation(s)" in out


def test_checks_listing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "checks")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert {c.id for c in checks.all_checks()} <= set(listed)
    assert "schema.version" in listed and "xml.safe" in listed


def test_schemas_info(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schemas", "info")
    assert code == 0
    assert "(official)" in out
    assert "errata applied: session-authorized-locations" in out


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("vcd-conformance ")


# -- hostile files through the command -----------------------------------------------------


def test_xxe_through_the_cli_never_reads_the_file(tmp_path: Path) -> None:
    """The entity points at a FIFO with no writer: opening it would block, so a
    parser that tried to read it would hang until the timeout instead of answering."""
    fifo = tmp_path / "secret.fifo"
    os.mkfifo(fifo)
    evil = tmp_path / "xxe.xml"
    evil.write_bytes(hostile.xxe_file(fifo))
    secret = tmp_path / "secret.txt"
    secret.write_text(hostile.SECRET, encoding="utf-8")
    evil_plain = tmp_path / "xxe-plain.xml"
    evil_plain.write_bytes(hostile.xxe_file(secret))
    result = run_process("check", str(evil), str(evil_plain), "--format", "json", timeout=30)
    stdout, stderr = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 1, stderr
    assert hostile.SECRET not in stdout + stderr
    files = json.loads(stdout)["files"]
    assert [[v["check"] for v in f["violations"]] for f in files] == [["xml.safe"], ["xml.safe"]]
    assert_no_traceback(stderr)


def test_external_dtd_through_the_cli_is_not_fetched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with Loopback() as server:
        evil = tmp_path / "dtd.xml"
        evil.write_bytes(hostile.external_dtd(f"{server.base}/x.dtd"))
        laughs = tmp_path / "laughs.xml"
        laughs.write_bytes(hostile.billion_laughs())
        code, out, _ = run(capsys, "check", str(evil), str(laughs))
    assert code == 1
    assert server.requests == []
    assert out.count(": xml.safe: refused") == 2


def test_hundred_megabyte_file_is_refused_quickly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(hostile.huge_body())
    started = time.perf_counter()
    code, out, _ = run(capsys, "check", str(big), "--format", "json")
    assert time.perf_counter() - started < 10
    assert code == 1
    (violation,) = json.loads(out)["files"][0]["violations"]
    assert violation["check"] == "xml.safe"
    assert "over the 16,777,216-byte cap" in violation["message"]


def test_max_bytes_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", TASK, "--max-bytes", "64")
    assert code == 1
    assert "over the 64-byte cap" in out


@pytest.mark.parametrize(
    ("name", "body", "check"),
    [
        ("wrong-encoding.xml", hostile.WRONG_ENCODING, "xml.wellformed"),
        ("klingon.xml", hostile.UNSUPPORTED_ENCODING, "xml.wellformed"),
        ("empty.xml", b"", "xml.wellformed"),
        ("params.xml", hostile.parameter_entity("http://127.0.0.1:9/p.dtd"), "xml.safe"),
    ],
    ids=["wrong-encoding", "unsupported-encoding", "empty", "parameter-entity"],
)
def test_broken_files_give_one_violation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, body: bytes, check: str
) -> None:
    path = tmp_path / name
    path.write_bytes(body)
    code, out, err = run(capsys, "check", str(path), "--format", "json")
    assert code == 1
    assert [v["check"] for v in json.loads(out)["files"][0]["violations"]] == [check]
    assert err == ""


def test_utf16_file_conforms(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "utf16.xml"
    path.write_bytes(hostile.UTF16_ERROR)
    code, out, _ = run(capsys, "check", str(path), "--api-version", "5.5")
    assert code == 0, out


# -- the real process: no traceback, whatever goes wrong -------------------------------------


@pytest.mark.parametrize(
    ("argv", "stdin", "code"),
    [
        (["check", "/nonexistent/file.xml"], b"", 2),
        (["check", TASK, "--api-version", "five"], b"", 2),
        (["check", TASK, "--schemas", "/nonexistent"], b"", 2),
        (["check", "-"], b"<Task", 1),
        (["check", "-", "--api-version", "1.5"], (PAYLOADS / "1.5" / "org.xml").read_bytes(), 0),
    ],
    ids=["missing-file", "bad-version", "missing-bundle", "stdin-malformed", "stdin-ok"],
)
def test_process_exit_codes_and_clean_stderr(argv: list[str], stdin: bytes, code: int) -> None:
    result = run_process(*argv, stdin=stdin)
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert_no_traceback(stderr)
    if code == 2:
        assert stderr.startswith("vcd-conformance: error: ")
