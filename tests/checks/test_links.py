"""link.wellformed and link.rel-known."""

from __future__ import annotations

import pytest

from conformance.violations import Severity

from .conftest import RunCheck, load

NS = 'xmlns="http://www.vmware.com/vcloud/v1.5"'


def org_with(link: str) -> bytes:
    return (
        f'<Org {NS} name="o" href="https://x.example/api/org/1">{link}<FullName>O</FullName></Org>'
    ).encode()


@pytest.mark.parametrize(
    "rel",
    ["1.5/vapp.xml", "5.1/vapp.xml", "5.5/vapptemplate.xml", "5.5/blockingtask.xml"],
    ids=lambda r: r.replace("/", "-"),
)
@pytest.mark.parametrize("check_id", ["link.wellformed", "link.rel-known"])
def test_silent_on_real_payloads(run_check: RunCheck, check_id: str, rel: str) -> None:
    assert run_check(check_id, load(rel)) == []


def test_generic_xml_link_type_is_accepted(run_check: RunCheck) -> None:
    # rel="ovf" links carry type="text/xml" in every release (Programming Guide 1.0-5.5).
    body = org_with(
        '<Link rel="ovf" type="text/xml" href="https://x.example/api/vApp/vapp-1/ovf"/>'
    )
    assert run_check("link.wellformed", body) == []


@pytest.mark.parametrize(
    ("link", "fragment"),
    [
        ('<Link href="https://x.example/api/org/1"/>', "has no rel"),
        ('<Link rel="up"/>', "has no href"),
        ('<Link rel="up" href="/api/org/1"/>', "is not an absolute http(s) URL"),
        ('<Link rel="up" href="ftp://x.example/api/org/1"/>', "is not an absolute http(s) URL"),
        ('<Link rel="up" href="https:///api/org/1"/>', "is not an absolute http(s) URL"),
        (
            '<Link rel="up" type="application/vnd.vmware.vcloud.orgg+xml" href="https://x.example/a"/>',
            "not a documented media type",
        ),
    ],
    ids=["no-rel", "no-href", "relative-href", "ftp-href", "no-host", "unknown-type"],
)
def test_wellformed_fires(run_check: RunCheck, link: str, fragment: str) -> None:
    (violation,) = run_check("link.wellformed", org_with(link))
    assert fragment in violation.message
    assert violation.severity is Severity.ERROR
    assert violation.path == "/Org/Link"
    assert violation.line == 1


def test_wellformed_reports_each_problem(run_check: RunCheck) -> None:
    found = run_check("link.wellformed", org_with('<Link type="application/x-nope"/>'))
    assert len(found) == 3  # no rel, no href, unknown type


def test_wellformed_fires_deep_inside_sections(run_check: RunCheck) -> None:
    body = load(
        "1.5/vapp.xml",
        (
            '<Link rel="edit" type="application/vnd.vmware.vcloud.rasdItem+xml" href="https://',
            '<Link rel="edit" type="application/vnd.vmware.vcloud.rasdItem+xml" href="http-not://',
        ),
    )
    (violation,) = run_check("link.wellformed", body)
    assert violation.path is not None
    assert violation.path.startswith("/VApp/Children/Vm/VirtualHardwareSection/Item")


def test_rel_known_warns(run_check: RunCheck) -> None:
    (violation,) = run_check(
        "link.rel-known", org_with('<Link rel="teleport" href="https://x.example/a"/>')
    )
    assert violation.severity is Severity.WARNING
    assert "'teleport'" in violation.message
    assert violation.path == "/Org/Link"


@pytest.mark.parametrize(
    "rel",
    ["edgeGateway:reapplyServices", "orgVdcNetwork:repair", "power:powerOn", "down"],
)
def test_rel_known_accepts_documented_and_namespaced(run_check: RunCheck, rel: str) -> None:
    assert (
        run_check("link.rel-known", org_with(f'<Link rel="{rel}" href="https://x.example/a"/>'))
        == []
    )


def test_unique_fires_per_parent(run_check: RunCheck) -> None:
    link = (
        '<Link rel="down" type="application/vnd.vmware.vcloud.vdc+xml" href="https://x.example/v"/>'
    )
    (violation,) = run_check("link.unique", org_with(link + link))
    assert violation.path == "/Org/Link[2]"
    assert "appears twice" in violation.message


def test_unique_is_silent_across_parents_and_on_real_payloads(run_check: RunCheck) -> None:
    link = '<Link rel="edit" href="https://x.example/api/vApp/vapp-1"/>'
    nested = f"<Tasks><Task>{link}</Task></Tasks>"
    assert run_check("link.unique", org_with(link + nested)) == []  # same Link, other parent
    assert run_check("link.unique", load("1.5/vapp.xml")) == []
    assert run_check("link.unique", load("5.5/vapp.xml")) == []
