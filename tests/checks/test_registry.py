"""checks.registry: the table of checks, selection, and how run_checks dispatches."""

from __future__ import annotations

import pytest

from conformance import checks
from conformance.checks import registry as registry_mod
from conformance.errors import UsageError
from conformance.payload import Payload

from .conftest import load

#: The payload checks of the foundation. Other check ids (behaviour checks, newer
#: payload checks) may be registered too; these must always be there.
FOUNDATION = {
    "entity.state-links": True,
    "link.rel-known": True,
    "link.wellformed": True,
    "media-type.known": False,
    "media-type.match": True,
    "schema.valid": True,
    "schema.version": True,
    "task.invariants": True,
    "xml.safe": False,
    "xml.wellformed": False,
}


def test_every_foundation_check_is_registered() -> None:
    ids = [c.id for c in checks.all_checks()]
    assert ids == sorted(ids)
    assert set(FOUNDATION) <= set(ids)
    assert all(c.description for c in checks.all_checks())


@pytest.mark.parametrize("check_id", sorted(FOUNDATION))
def test_needs_tree(check_id: str) -> None:
    check = checks.get(check_id)
    assert check.needs_tree is FOUNDATION[check_id]
    assert check.fn is not None


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (["schema"], {"schema.valid", "schema.version"}),
        (["link.rel-known"], {"link.rel-known"}),
        (
            ["xml", "xml.safe", "media-type.known"],
            {"xml.safe", "xml.wellformed", "media-type.known"},
        ),
    ],
    ids=["family", "one", "overlapping"],
)
def test_select(wanted: list[str], expected: set[str]) -> None:
    ids = [c.id for c in checks.select(wanted)]
    assert len(ids) == len(set(ids))  # each check once, even when asked twice
    assert expected <= set(ids)
    assert all(any(i == w or i.startswith(w + ".") for w in wanted) for i in ids)


@pytest.mark.parametrize("wanted", [None, []], ids=["none", "empty"])
def test_select_everything(wanted: list[str] | None) -> None:
    assert checks.select(wanted) == checks.all_checks()


@pytest.mark.parametrize("wanted", ["schemas", "xml.", "nope"])
def test_select_unknown(wanted: str) -> None:
    with pytest.raises(UsageError) as info:
        checks.select([wanted])
    assert repr(wanted) in str(info.value)
    assert "schema.valid" in str(info.value)  # lists the valid ids


def test_register_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        checks.register("xml.safe", "again")(lambda payload, context: [])


def test_register_and_run_a_new_check(
    monkeypatch: pytest.MonkeyPatch, context: checks.Context
) -> None:
    monkeypatch.setattr(registry_mod, "_CHECKS", dict(registry_mod._CHECKS))
    seen: list[str] = []

    @checks.register("test.seen", "records the root tag")
    def seen_check(payload: Payload, ctx: checks.Context) -> list[object]:
        assert payload.root is not None
        seen.append(payload.root.tag)
        return []

    assert checks.get("test.seen").fn is seen_check
    checks.run_checks(Payload(load("1.5/org.xml")), context, checks.select(["test"]))
    assert seen == ["{http://www.vmware.com/vcloud/v1.5}Org"]


def test_unparsed_payload_only_gets_treeless_checks(context: checks.Context) -> None:
    found = checks.run_checks(Payload(b"<Task", "application/vnd.example.nope+xml"), context)
    assert sorted(v.check for v in found) == ["media-type.known", "xml.wellformed"]
    selected = [checks.get(i) for i in FOUNDATION if FOUNDATION[i]]
    assert checks.run_checks(Payload(b"<Task"), context, selected) == []


def test_json_payload_only_gets_treeless_checks(context: checks.Context) -> None:
    payload = Payload(b'{"x": 1}', "application/vnd.vmware.vcloud.task+json")
    assert checks.run_checks(payload, context) == []


def test_default_context_locates_the_registry() -> None:
    assert (
        checks.run_checks(Payload(load("1.5/org.xml"), "application/vnd.vmware.vcloud.org+xml"))
        == []
    )
    assert checks.Context().registry is checks.Context().registry
