"""schemas fetch: download a cloud's own XSDs from a real (loopback) HTTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance import bundle, cli, schemafetch
from conformance.errors import FetchError, SchemaBundleError
from conformance.schemas import SchemaRegistry

from . import minibundle
from .loopback import Answer, Loopback

SCHEMA_PATH = "/api/v1.5/schema/"


def served(other_origin: str | None = None) -> dict[str, Answer]:
    """The mini bundle as a cloud serves it (optionally importing from a second origin)."""
    routes = {
        SCHEMA_PATH + rel: Answer(text.encode(), "text/xml")
        for rel, text in minibundle.SERVED.items()
    }
    if other_origin:
        extra_import = (
            f'<xs:import namespace="urn:example:other" schemaLocation="{other_origin}/other.xsd"/>'
        )
        master = minibundle.MASTER.replace(
            '<xs:element name="Widget"', extra_import + '\n  <xs:element name="Widget"'
        )
        routes[SCHEMA_PATH + "master.xsd"] = Answer(master.encode(), "application/xml")
    return routes


def test_fetch_mirrors_the_bundle(tmp_path: Path) -> None:
    with Loopback() as other, Loopback(served(other.base)) as cloud:
        dest = schemafetch.fetch(f"{cloud.base}/api", tmp_path / "xsd", timeout=10)
    host = schemafetch.host_folder(cloud.base)
    assert dest == tmp_path / "xsd" / host
    assert host.startswith("127.0.0.1_")
    assert (dest / "common" / "types.xsd").read_text(encoding="utf-8") == minibundle.TYPES
    assert (dest / "extra.xsd").read_text(encoding="utf-8") == minibundle.EXTRA
    assert 'schemaLocation="urn:example:other' not in (dest / "master.xsd").read_text("utf-8")
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*.xsd")) == sorted(
        minibundle.SERVED
    )
    assert sorted(cloud.requests) == sorted(SCHEMA_PATH + rel for rel in minibundle.SERVED)
    assert other.requests == []  # another origin: recorded, never downloaded
    manifest = json.loads((dest / "bundle.json").read_text(encoding="utf-8"))
    assert manifest == {
        "source": f"{cloud.base}{SCHEMA_PATH}master.xsd",
        "entries": ["master.xsd"],
        "files": sorted(minibundle.SERVED),
        "foreign_imports": sorted([minibundle.FOREIGN_URL, f"{other.base}/other.xsd"]),
    }
    assert "3 schema files from" in schemafetch.describe(dest)


def test_fetched_bundle_is_loadable_and_names_unmapped_imports(tmp_path: Path) -> None:
    with Loopback(served()) as cloud:
        dest = schemafetch.fetch(cloud.base, tmp_path)
    found = bundle.load(dest)
    assert found.kind == "fetched"
    assert found.entries == ((minibundle.NS, (dest / "master.xsd").resolve()),)
    with pytest.raises(SchemaBundleError) as info:
        SchemaRegistry(found)
    assert minibundle.FOREIGN_URL in str(info.value)


@pytest.mark.parametrize(
    ("given", "root"),
    [
        ("http://h.example", "http://h.example/api"),
        ("http://h.example/api/", "http://h.example/api"),
        ("https://h.example:8443/tenant/api", "https://h.example:8443/tenant/api"),
        ("https://h.example/cloud", "https://h.example/cloud/api"),
    ],
    ids=["bare-host", "trailing-slash", "port-and-prefix", "prefix"],
)
def test_api_root(given: str, root: str) -> None:
    assert schemafetch.api_root(given) == root


@pytest.mark.parametrize("url", ["ftp://h.example/api", "h.example/api", "http:///api"])
def test_api_root_refuses_non_http(url: str) -> None:
    with pytest.raises(FetchError, match="not an http"):
        schemafetch.api_root(url)


def test_host_folder_is_a_safe_name() -> None:
    assert schemafetch.host_folder("https://vcd.example.com:443/api") == "vcd.example.com_443"
    assert schemafetch.host_folder("http://[::1]:8080/") == "___1__8080"


def test_404_is_a_clear_fetch_error(tmp_path: Path) -> None:
    with Loopback() as cloud, pytest.raises(FetchError) as info:
        schemafetch.fetch(cloud.base, tmp_path)
    message = str(info.value)
    assert f"GET {cloud.base}{SCHEMA_PATH}master.xsd answered 404, expected 200" == message


def test_html_answer_is_a_clear_fetch_error(tmp_path: Path) -> None:
    login = Answer(b"<html><body>Please log in</body></html>", "text/html; charset=utf-8")
    with Loopback({SCHEMA_PATH + "master.xsd": login}) as cloud, pytest.raises(FetchError) as info:
        schemafetch.fetch(cloud.base, tmp_path)
    assert "answered an HTML page (text/html; charset=utf-8), not an XSD" in str(info.value)
    assert not (tmp_path / schemafetch.host_folder(cloud.base) / "bundle.json").exists()


def test_missing_include_names_its_url(tmp_path: Path) -> None:
    routes = served()
    del routes[SCHEMA_PATH + "extra.xsd"]
    with Loopback(routes) as cloud, pytest.raises(FetchError) as info:
        schemafetch.fetch(cloud.base, tmp_path)
    assert f"{cloud.base}{SCHEMA_PATH}extra.xsd answered 404" in str(info.value)


def test_non_xml_answer_is_not_a_usable_xsd(tmp_path: Path) -> None:
    routes = {SCHEMA_PATH + "master.xsd": Answer(b"Service Unavailable", "text/plain")}
    with Loopback(routes) as cloud, pytest.raises(FetchError, match="is not a usable XSD"):
        schemafetch.fetch(cloud.base, tmp_path)


def test_connection_refused_is_a_fetch_error(tmp_path: Path) -> None:
    with Loopback() as cloud:
        base = cloud.base
    with pytest.raises(FetchError, match="could not download schemas from"):
        schemafetch.fetch(base, tmp_path, timeout=5)


def test_cli_fetch(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with Loopback(served()) as cloud:
        code = cli.main(["schemas", "fetch", f"{cloud.base}/api/", "--dest", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    dest = tmp_path / schemafetch.host_folder(cloud.base)
    assert f"fetched 3 schema files from {cloud.base}{SCHEMA_PATH}master.xsd in {dest}" in out
    assert f"use it with: --schemas {dest}" in out


def test_cli_fetch_error_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with Loopback() as cloud:
        code = cli.main(["schemas", "fetch", cloud.base, "--dest", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("vcd-conformance: error: GET ")
    assert "answered 404" in err
    assert "Traceback" not in err
