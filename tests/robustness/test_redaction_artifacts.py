"""Nothing leaks: a full recording run, then every byte of every artifact is searched.

The run is the product's own (``vcd-conformance run --record``, in-process)
against the embedded simulator started with known passwords
(``$VCD_SIM_PASSWORDS``). Searched for: those passwords, every password the
run generated for objects it created, every session token the simulator
issued, and credential-looking ``Basic``/``Bearer`` values; each also in its
base64, URL-quoted and JSON-escaped forms (cassettes store bodies as base64).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from conformance import cli
from conformance.cassettes import Scrubber
from conformance.redaction import MASK, Redactor
from conformance.simulator.cloud import Cloud
from conformance.target import Target

QUIET = ["-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:benchmark"]
_SCHEME = re.compile(rb"\b(Basic|Bearer)\s+([A-Za-z0-9+/=._~-]+)", re.IGNORECASE)


def _encodings(secret: str) -> set[bytes]:
    """The forms a secret could take in a file: plain, quoted, escaped, base64 at any offset."""
    raw = secret.encode()
    forms = {raw, quote(secret, safe="").encode(), json.dumps(secret)[1:-1].encode()}
    for shift in range(3):  # one of the three alignments matches the stream's triplets
        chunk = raw[shift:]
        forms.add(base64.b64encode(chunk[: len(chunk) - len(chunk) % 3]))
    return {f for f in forms if len(f) >= 8}


def _decoded(data: bytes) -> bytes:
    """A YAML file's strings and ``!!binary`` blobs, decoded (cassettes wrap base64 lines)."""
    try:
        tree = yaml.safe_load(data)
    except yaml.YAMLError:
        return b""
    parts: list[bytes] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, bytes):
            parts.append(node)
        elif isinstance(node, str):
            parts.append(node.encode("utf-8", "replace"))

    walk(tree)
    return b"\n".join(parts)


def _credential_values(data: bytes) -> list[bytes]:
    """``Basic``/``Bearer`` values that look like credentials (independent of redaction.py)."""
    found = []
    for match in _SCHEME.finditer(data):
        scheme, value = match[1].lower(), match[2]
        if value == MASK.encode():
            continue
        if scheme == b"bearer" and len(value) >= 16:
            found.append(match[0])
        elif scheme == b"basic":
            try:
                decoded = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                decoded = b""
            if b":" in decoded or any(c in value for c in b"0123456789+/="):
                found.append(match[0])
    return found


def _artifacts(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_redactor_covers_headers_queries_and_bodies() -> None:
    red = Redactor()
    red.add("Known-Secret-42")
    basic = base64.b64encode(b"alice@acme:pw-9").decode()
    headers = red.headers(
        {"Authorization": f"Basic {basic}", "x-vcloud-authorization": "abc", "Accept": "x"}
    )
    assert headers == {"Authorization": MASK, "x-vcloud-authorization": MASK, "Accept": "x"}
    url = red.url("https://u:p@h.example/api/x?password=hunter22&token=t0k3n&page=2")
    assert "hunter22" not in url and "t0k3n" not in url and "u:p@" not in url and "page=2" in url
    xml = (
        '<User xmlns="http://www.vmware.com/vcloud/v1.5"><Password>p@ss-1</Password>'
        "<GuestCustomizationSection><AdminPassword>adm-2</AdminPassword>"
        "</GuestCustomizationSection><Description>Known-Secret-42</Description></User>"
    )
    clean = red.body(xml, "application/vnd.vmware.admin.user+xml")
    assert isinstance(clean, str)
    assert "p@ss-1" not in clean and "adm-2" not in clean and "Known-Secret-42" not in clean
    body = json.dumps({"name": "x", "password": "j-3", "nested": [{"client_secret": "j-4"}]})
    clean = red.body(body.encode(), "application/json")
    assert isinstance(clean, bytes) and b"j-3" not in clean and b"j-4" not in clean
    assert red.text("Log in with Basic authentication") == "Log in with Basic authentication"
    assert red.text(f"Basic {basic}") == f"Basic {MASK}"


def test_scrubber_redacts_before_replacing_the_run_id() -> None:
    red = Redactor()
    secret = "vcdc-r1d2-Pw-abcdef"  # a secret that contains the run id
    red.add(secret)
    scrubber = Scrubber(red, "https://cloud.example.com", "r1d2")
    assert "Pw-abcdef" not in scrubber.text(f"<Password>{secret}</Password> and {secret}")


#: Examples of this test only (the catalogue may not carry a password yet): a User with a
#: generated <Password>, and the fixture that creates one.
SECRET_EXAMPLES = """
area: admin
chapter: Creating and Managing Organizations
examples:
  - id: admin.leak-create-user
    title: Create a user with a password
    section: Users
    as: system
    versions: ["5.5", "36.0"]
    request:
      at: admin-org
      target: {link: {rel: add, type: application/vnd.vmware.admin.user+xml}}
      method: POST
      content_type: application/vnd.vmware.admin.user+xml
      body: >-
        <User xmlns="http://www.vmware.com/vcloud/v1.5" name="{{name}}">
        <FullName>Leak probe</FullName><IsEnabled>true</IsEnabled>
        <Password>{{secret}}</Password></User>
    expect:
      status: 201
      root: User
      created: user
  - id: admin.leak-own-user
    title: Read a user the fixture created with a password
    section: Users
    as: system
    versions: ["5.5", "36.0"]
    given: own-user
    request:
      at: own-user
    expect:
      status: 200
      root: User
"""


def _record(tmp_path: Path, out: Path) -> tuple[int, str]:
    """The product's record run (browsing and admin areas), then this test's own examples."""
    from conformance.examples import load_file
    from conformance.suite import Options, Suite
    from conformance.versions import ApiVersion

    code = cli.main(
        [
            "run",
            "--record",
            "--cassettes",
            str(out / "cassettes"),
            "--reports",
            str(out / "reports"),
            "--api-version",
            "5.5",
            "--api-version",
            "36.0",
            "-m",
            "browsing or admin",
            *QUIET,
            "-o",
            "junit_logging=all",
            "--log-level=INFO",
            f"--log-file={out / 'run.log'}",
            "--log-file-level=INFO",
        ]
    )
    versions = (ApiVersion(5, 5), ApiVersion(36, 0))
    suite = Suite(Options(mode="record", cassettes=out / "cassettes-own", versions=versions))
    try:
        results = [
            suite.run(example, version).to_dict()
            for example in load_file(tmp_path / "leak.yaml", SECRET_EXAMPLES)
            for version in versions
        ]
    finally:
        suite.close()
    (out / "own-results.json").write_text(json.dumps(results), "utf-8")
    bad = [r for r in results if r["status"] != "pass"]
    return code, json.dumps(bad)[:2000]


def test_record_run_leaks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    passwords = {k: f"{k}-Pw-{secrets.token_hex(6)}" for k in ("system", "tenant", "tenant2")}
    monkeypatch.setenv("VCD_SIM_PASSWORDS", json.dumps(passwords))
    monkeypatch.chdir(tmp_path)
    clouds: list[Cloud] = []
    original_init = Cloud.__init__

    def init(self: Cloud, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)  # type: ignore[arg-type]
        clouds.append(self)

    generated: list[str] = []
    original_secret = Target.secret

    def secret() -> str:
        value = original_secret()
        generated.append(value)
        return value

    monkeypatch.setattr(Cloud, "__init__", init)
    monkeypatch.setattr(Target, "secret", staticmethod(secret))
    out = tmp_path / "out"
    code, failed_own = _record(tmp_path, out)
    captured = capfd.readouterr()
    assert code in (cli.EXIT_OK, cli.EXIT_VIOLATIONS), captured.out[-3000:]
    assert failed_own == "[]", failed_own
    assert len(clouds) == 2 and all(c.passwords == passwords for c in clouds)
    tokens = {token for cloud in clouds for token in cloud.sessions}
    assert len(tokens) > 50  # every example logged in: two tokens per session
    assert len(generated) >= 4  # the User bodies and the fixture's users carried passwords

    needles = {
        value: forms
        for value in [*passwords.values(), *generated, *tokens]
        for forms in [_encodings(value)]
    }
    files = _artifacts(out)
    kinds = {p.suffix for p in files}
    assert {".yaml", ".json", ".xml", ".log"} <= kinds, kinds
    assert any("allure-results" in p.parts for p in files)
    leaks: list[str] = []
    blobs = [(str(p.relative_to(out)), p.read_bytes()) for p in files]
    blobs += [(f"{name} (decoded)", _decoded(data)) for name, data in blobs if ".yaml" in name]
    blobs.append(("captured output", (captured.out + captured.err).encode()))
    for name, data in blobs:
        for value, forms in needles.items():
            if any(form in data for form in forms):
                leaks.append(f"{name}: {value[:6]}...")
        leaks.extend(f"{name}: {c[:20]!r}..." for c in _credential_values(data))
    assert not leaks, "secrets in artifacts:\n" + "\n".join(sorted(set(leaks))[:40])
    cassettes = b"".join(data for name, data in blobs if name.endswith(".yaml"))
    assert MASK.encode() in cassettes  # redaction really happened (not just no traffic)
    log = (out / "run.log").read_bytes()
    assert b"x-vcloud-authorization" in log and MASK.encode() in log  # logs had credentials
