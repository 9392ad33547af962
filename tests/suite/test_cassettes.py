"""The shipped cassettes: complete, secret-free, host-free, and they replay offline."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from conformance import examples
from conformance.cassettes import PLACEHOLDER, RUN_TOKEN, path_for
from conformance.suite import SUITE_FILE

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "cassettes"
RECORDED = ("5.1", "5.5", "36.0")
CREDENTIAL = re.compile(
    r"(Basic|Bearer)\s+(?!REDACTED)[A-Za-z0-9+/=._-]{8,}"
    r"|(x-vcloud-authorization|x-vmware-vcloud-access-token)['\":\s-]*\n?\s*-?\s*['\"]?(?!REDACTED)[A-Za-z0-9+/=._-]{8,}",
    re.IGNORECASE,
)
SECRET_ELEMENT = re.compile(r"<(\w+:)?(Password|AdminPassword|ScreenTicket)>(?!REDACTED<)[^<]+<")


def all_cassettes() -> list[Path]:
    return sorted(CASSETTES.rglob("*.yaml"))


def test_every_example_has_a_cassette_at_every_recorded_version() -> None:
    missing = [
        f"{ex.id}@{v}"
        for v in RECORDED
        for ex in examples.load()
        if ex.applies_to(examples.ApiVersion.parse(v))
        and not path_for(CASSETTES, v, ex.area, ex.id).is_file()
    ]
    assert missing == []
    assert json.loads((CASSETTES / SUITE_FILE).read_text("utf-8"))["org"]


def test_no_cassette_holds_a_credential_a_secret_or_the_recording_host() -> None:
    problems = []
    for path in all_cassettes():
        text = path.read_text("utf-8", errors="replace")
        for pattern in (CREDENTIAL, SECRET_ELEMENT):
            if (match := pattern.search(text)) is not None:
                problems.append(f"{path.relative_to(ROOT)}: {match.group(0)[:60]}")
        if re.search(r"127\.0\.0\.1|localhost:\d+|\bsim-[A-Za-z0-9_-]{8,}", text):
            problems.append(f"{path.relative_to(ROOT)}: recording host or simulator password")
    assert problems == []


def test_basic_credentials_are_masked_not_dropped() -> None:
    # Login requests keep their Authorization header, with the value masked.
    sample = path_for(CASSETTES, "5.5", "browsing", "browsing.login")
    data = yaml.safe_load(sample.read_text("utf-8"))
    logins = [i for i in data["interactions"] if i["request"]["uri"].endswith("/sessions")]
    assert logins
    for interaction in logins:
        assert interaction["request"]["headers"]["authorization"] == ["REDACTED"]
        assert interaction["request"]["uri"].startswith(PLACEHOLDER)
    assert RUN_TOKEN  # names in bodies carry the fixed token, not a real run id
    decoded = [
        base64.b64decode(v) for v in re.findall(r"Basic ([A-Za-z0-9+/=]{8,})", sample.read_text())
    ]
    assert decoded == []


def test_the_whole_catalogue_replays_offline(tmp_path: Path) -> None:
    """Every cassette replays, network blocked (vcrpy record mode none), in parallel."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--pyargs",
            "conformance.guide",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-q",
            "-n",
            "2",
            "--vcd-mode=replay",
            f"--vcd-cassettes={CASSETTES}",
            f"--vcd-report={tmp_path}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    expected = sum(
        1 for v in RECORDED for ex in examples.load() if ex.applies_to(examples.ApiVersion.parse(v))
    )
    assert f"{expected} passed" in result.stdout
