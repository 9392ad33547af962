"""entity.state-links."""

from __future__ import annotations

import pytest

from conformance.checks.entities import parse_deployed

from .conftest import RunCheck, load

VAPP_ID = "vapp-5c1e7a2b-9d3f-4e6a-8b1c-2d4f6a8b0c44"
BASE = f"https://cloud.example.net/api/vApp/{VAPP_ID}"


@pytest.mark.parametrize(
    "rel",
    ["1.5/vapp.xml", "5.1/vapp.xml", "5.5/vapp.xml", "5.5/vapptemplate.xml"],
    ids=lambda r: r.replace("/", "-").removesuffix(".xml"),
)
def test_silent_on_real_entities(run_check: RunCheck, rel: str) -> None:
    assert run_check("entity.state-links", load(rel)) == []


def powered_on_vapp_with(link: str) -> bytes:
    return load(
        "1.5/vapp.xml",
        (
            f'    <Link rel="power:reboot" href="{BASE}/power/action/reboot"/>\n',
            f'    <Link rel="power:reboot" href="{BASE}/power/action/reboot"/>\n{link}\n',
        ),
    )


@pytest.mark.parametrize(
    ("link", "fragment"),
    [
        (
            f'<Link rel="power:powerOn" href="{BASE}/power/action/powerOn"/>',
            "power:powerOn offered on a VApp in status 4 (POWERED_ON), deployed=true",
        ),
        (f'<Link rel="remove" href="{BASE}"/>', "remove offered on a VApp in status 4"),
        (
            f'<Link rel="discardState" href="{BASE}/action/discardSuspendedState"/>',
            "discardState offered",
        ),
    ],
    ids=["power-on-while-on", "remove-while-on", "discard-while-on"],
)
def test_fires_on_illegal_action(run_check: RunCheck, link: str, fragment: str) -> None:
    (violation,) = run_check("entity.state-links", powered_on_vapp_with(link))
    assert fragment in violation.message
    assert violation.path == "/VApp/Link[2]"  # right after power:reboot
    assert violation.line == 4


def test_fires_on_a_vm_inside_a_vapp(run_check: RunCheck) -> None:
    body = load(
        "1.5/vapp.xml",
        (
            '<Vm needsCustomization="false" deployed="true" status="4"',
            '<Vm needsCustomization="false" deployed="false" status="8"',
        ),
    )
    found = run_check("entity.state-links", body)
    rels = sorted(v.message.split(" ")[0] for v in found)
    # a powered-off, undeployed VM offers none of the running-state actions
    assert rels == sorted(
        [
            "power:reboot",
            "power:powerOff",
            "undeploy",
            "power:shutdown",
            "power:reset",
            "power:suspend",
        ]
    )
    assert all("Vm in status 8 (POWERED_OFF), deployed=false" in v.message for v in found)
    assert all(v.path and v.path.startswith("/VApp/Children/Vm/Link[") for v in found)


def test_undocumented_status_and_missing_deployed(run_check: RunCheck) -> None:
    body = load(
        "1.5/vapp.xml",
        ('deployed="true" status="4" name="web-tier"', 'status="42" name="web-tier"'),
    )
    found = run_check("entity.state-links", body)
    assert found and all("42 (undocumented)" in v.message for v in found)
    assert all("deployed=" not in v.message for v in found)


def test_skips_non_integer_status(run_check: RunCheck) -> None:
    body = load(
        "1.5/vapp.xml",
        ('deployed="true" status="4" name="web-tier"', 'status="on" name="web-tier"'),
    )
    assert run_check("entity.state-links", body) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), (" TRUE ", True), ("false", False), ("0", False), (None, None)],
    ids=["true", "one", "padded-upper", "false", "zero", "absent"],
)
def test_parse_deployed(value: str | None, expected: bool | None) -> None:
    assert parse_deployed(value) is expected
