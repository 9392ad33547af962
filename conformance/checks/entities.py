"""entity.state-links: a vApp or VM offers only the actions its state allows."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from .. import states
from ..mediatypes import VCLOUD_NS
from ..payload import Payload
from ..validation import readable_path
from ..violations import Violation, error
from .registry import Context, register

_V = f"{{{VCLOUD_NS}}}"
ENTITIES = (f"{_V}VApp", f"{_V}Vm")


def is_template_vm(entity: etree._Element) -> bool:
    """A VM of a vApp template: not operable, so no action links are expected."""
    if any(a.tag == f"{_V}VAppTemplate" for a in entity.iterancestors()):
        return True
    return any(
        "vAppTemplate" in (link.get("type") or "")
        for link in entity.iterfind(f"{_V}Link")
        if link.get("rel") == "up"
    )


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


@register(
    "entity.required-links",
    "A VApp/Vm that is not busy offers every action its state makes legal (Operate a vApp)",
)
def required_links(payload: Payload, context: Context) -> Iterator[Violation]:
    assert payload.root is not None
    for entity in payload.root.iter(*ENTITIES):
        raw = entity.get("status")
        if raw is None or entity.find(f"{_V}Tasks/{_V}Task") is not None or is_template_vm(entity):
            continue  # while a task runs, actions are legitimately withheld
        if entity.find(f"{_V}Link") is None:
            continue  # a reference-only view (e.g. inside a template): no actions at all
        try:
            status = int(raw)
        except ValueError:
            continue
        deployed = parse_deployed(entity.get("deployed"))
        offered = {link.get("rel") for link in entity.iterfind(f"{_V}Link")}
        for rel in sorted(states.required_actions(status, deployed) - offered):
            flag = "" if deployed is None else f", deployed={str(deployed).lower()}"
            yield error(
                "entity.required-links",
                f"{entity.tag.split('}')[1]} in status "
                f"{states.EntityStatus.describe(status)}{flag} does not offer {rel}",
                entity.sourceline,
                readable_path(entity),
            )
