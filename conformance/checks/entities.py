"""entity.state-links: a vApp or VM offers only the actions its state allows."""

from __future__ import annotations

from collections.abc import Iterator

from .. import states
from ..mediatypes import VCLOUD_NS
from ..payload import Payload
from ..validation import readable_path
from ..violations import Violation, error
from .registry import Context, register

_V = f"{{{VCLOUD_NS}}}"
ENTITIES = (f"{_V}VApp", f"{_V}Vm")


def parse_deployed(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() in ("true", "1")


@register("entity.state-links", "VApp/Vm action links agree with status and deployed")
def state_links(payload: Payload, context: Context) -> Iterator[Violation]:
    assert payload.root is not None
    for entity in payload.root.iter(*ENTITIES):
        raw = entity.get("status")
        if raw is None:
            continue
        try:
            status = int(raw)
        except ValueError:
            continue  # schema.valid reports a non-integer status
        deployed = parse_deployed(entity.get("deployed"))
        for link in entity.iterfind(f"{_V}Link"):
            rel = link.get("rel", "")
            rule = states.rule_for(rel)
            if rule is not None and not rule.allows(status, deployed):
                flag = "" if deployed is None else f", deployed={str(deployed).lower()}"
                yield error(
                    "entity.state-links",
                    f"{rel} offered on a {entity.tag.split('}')[1]} in status "
                    f"{states.EntityStatus.describe(status)}{flag}, where it is not legal",
                    link.sourceline,
                    readable_path(link),
                )
