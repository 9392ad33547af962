"""vApp and VM states, and which action links each state allows or requires.

Status codes are those of ``ResourceEntityType/@status`` in the schema reference.
The rules encode the Programming Guide's "Operate a vApp" chapter: an action
link is offered only where the action is legal (power on only when off or
suspended, undeploy only when deployed, ...). The simulator and the checks
read the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class EntityStatus(IntEnum):
    FAILED_CREATION = -1
    UNRESOLVED = 0
    RESOLVED = 1
    DEPLOYED = 2
    SUSPENDED = 3
    POWERED_ON = 4
    WAITING_FOR_INPUT = 5
    UNKNOWN = 6
    UNRECOGNIZED = 7
    POWERED_OFF = 8
    INCONSISTENT_STATE = 9
    MIXED = 10
    DESCRIPTOR_PENDING = 11
    COPYING_CONTENTS = 12
    DISK_CONTENTS_PENDING = 13
    QUARANTINED = 14
    QUARANTINE_EXPIRED = 15
    REJECTED = 16
    TRANSFER_TIMEOUT = 17
    VAPP_UNDEPLOYED = 18
    VAPP_PARTIALLY_DEPLOYED = 19

    @classmethod
    def describe(cls, code: int) -> str:
        try:
            return f"{code} ({cls(code).name})"
        except ValueError:
            return f"{code} (undocumented)"


S = EntityStatus
#: States in which the entity is still being built or is broken: no operation.
NOT_READY = frozenset(
    {
        S.FAILED_CREATION,
        S.UNRESOLVED,
        S.DESCRIPTOR_PENDING,
        S.COPYING_CONTENTS,
        S.DISK_CONTENTS_PENDING,
        S.UNKNOWN,
        S.UNRECOGNIZED,
    }
)
RUNNING = frozenset({S.POWERED_ON, S.MIXED, S.WAITING_FOR_INPUT})
STOPPED = frozenset({S.RESOLVED, S.POWERED_OFF, S.VAPP_UNDEPLOYED})


@dataclass(frozen=True, slots=True)
class ActionRule:
    """Where an action link may appear and where it must.

    ``deployed`` None means the flag does not matter.
    """

    allowed: frozenset[int]
    required: frozenset[int] = frozenset()
    deployed: bool | None = None

    def allows(self, status: int, deployed: bool | None) -> bool:
        if status not in self.allowed:
            return False
        return self.deployed is None or deployed is None or deployed == self.deployed

    def requires(self, status: int, deployed: bool | None) -> bool:
        return status in self.required and self.allows(status, deployed)


def _codes(*states: int | frozenset[EntityStatus]) -> frozenset[int]:
    out: set[int] = set()
    for state in states:
        out.update(state if isinstance(state, frozenset) else {state})
    return frozenset(int(s) for s in out)


ACTION_RULES: dict[str, ActionRule] = {
    "power:powerOn": ActionRule(
        _codes(STOPPED, S.SUSPENDED, S.MIXED), _codes(S.RESOLVED, S.POWERED_OFF, S.SUSPENDED)
    ),
    "power:powerOff": ActionRule(_codes(RUNNING, S.SUSPENDED), _codes(S.POWERED_ON)),
    "power:reboot": ActionRule(_codes(S.POWERED_ON), _codes(S.POWERED_ON)),
    "power:reset": ActionRule(_codes(S.POWERED_ON), _codes(S.POWERED_ON)),
    "power:shutdown": ActionRule(_codes(S.POWERED_ON), _codes(S.POWERED_ON)),
    "power:suspend": ActionRule(_codes(S.POWERED_ON, S.MIXED), _codes(S.POWERED_ON)),
    "discardState": ActionRule(_codes(S.SUSPENDED), _codes(S.SUSPENDED)),
    "undeploy": ActionRule(
        _codes(RUNNING, STOPPED, S.SUSPENDED, S.VAPP_PARTIALLY_DEPLOYED),
        _codes(S.POWERED_ON, S.SUSPENDED),
        deployed=True,
    ),
    "deploy": ActionRule(
        _codes(STOPPED, RUNNING, S.SUSPENDED, S.VAPP_PARTIALLY_DEPLOYED),
    ),
    "remove": ActionRule(
        _codes(STOPPED, S.FAILED_CREATION), _codes(S.RESOLVED, S.POWERED_OFF), deployed=False
    ),
}

#: The action rels whose presence depends on state.
STATEFUL_RELS = frozenset(ACTION_RULES)


def rule_for(rel: str) -> ActionRule | None:
    return ACTION_RULES.get(rel)


def allowed_actions(status: int, deployed: bool | None) -> frozenset[str]:
    """Action rels that may appear for an entity in this state."""
    return frozenset(rel for rel, rule in ACTION_RULES.items() if rule.allows(status, deployed))


def required_actions(status: int, deployed: bool | None) -> frozenset[str]:
    """Action rels that must appear for an entity in this state."""
    return frozenset(rel for rel, rule in ACTION_RULES.items() if rule.requires(status, deployed))
