"""states: entity status codes and the action links each state allows or requires."""

from __future__ import annotations

import pytest

from conformance import linkrels, states
from conformance.states import EntityStatus as S


def test_status_codes_match_the_schema_reference() -> None:
    assert S.FAILED_CREATION == -1
    assert S.RESOLVED == 1 and S.POWERED_ON == 4 and S.POWERED_OFF == 8
    assert S.VAPP_PARTIALLY_DEPLOYED == 19
    assert [int(s) for s in S] == list(range(-1, 20))


@pytest.mark.parametrize(
    ("code", "text"),
    [(4, "4 (POWERED_ON)"), (-1, "-1 (FAILED_CREATION)"), (99, "99 (undocumented)")],
    ids=["on", "failed", "undocumented"],
)
def test_describe(code: int, text: str) -> None:
    assert S.describe(code) == text


def test_state_groups_are_disjoint() -> None:
    assert not states.RUNNING & states.STOPPED
    assert not states.NOT_READY & (states.RUNNING | states.STOPPED)


def test_every_stateful_rel_is_documented_with_post() -> None:
    for rel in states.STATEFUL_RELS:
        assert linkrels.is_known(rel), rel
        assert linkrels.implied_verb(rel) in (linkrels.POST, linkrels.DELETE), rel


def test_required_is_always_allowed() -> None:
    for rel, rule in states.ACTION_RULES.items():
        assert rule.required <= rule.allowed, rel


@pytest.mark.parametrize(
    ("status", "deployed", "allowed", "required"),
    [
        (
            S.POWERED_ON,
            True,
            {
                "power:powerOff",
                "power:reboot",
                "power:reset",
                "power:shutdown",
                "power:suspend",
                "undeploy",
                "deploy",
            },
            {
                "power:powerOff",
                "power:reboot",
                "power:reset",
                "power:shutdown",
                "power:suspend",
                "undeploy",
            },
        ),
        (S.POWERED_OFF, False, {"power:powerOn", "deploy", "remove"}, {"power:powerOn", "remove"}),
        (S.POWERED_OFF, True, {"power:powerOn", "deploy", "undeploy"}, {"power:powerOn"}),
        (
            S.SUSPENDED,
            True,
            {"power:powerOn", "power:powerOff", "discardState", "undeploy", "deploy"},
            {"power:powerOn", "discardState", "undeploy"},
        ),
        (
            S.RESOLVED,
            None,
            {"power:powerOn", "deploy", "remove", "undeploy"},
            {"power:powerOn", "remove"},
        ),
        (S.FAILED_CREATION, False, {"remove"}, set()),
        (S.UNRESOLVED, None, set(), set()),
    ],
    ids=[
        "on-deployed",
        "off-undeployed",
        "off-deployed",
        "suspended",
        "resolved-unknown-flag",
        "failed",
        "unresolved",
    ],
)
def test_allowed_and_required(
    status: int, deployed: bool | None, allowed: set[str], required: set[str]
) -> None:
    assert states.allowed_actions(status, deployed) == allowed
    assert states.required_actions(status, deployed) == required


def test_rule_for() -> None:
    rule = states.rule_for("undeploy")
    assert rule is not None and rule.deployed is True
    assert not rule.allows(S.POWERED_ON, False)
    assert rule.allows(S.POWERED_ON, None)  # unknown flag: not held against the entity
    assert states.rule_for("edit") is None
