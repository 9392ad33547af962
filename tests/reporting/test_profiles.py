"""Profiles: shipped ones, per-version rules, required vs advisory, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.errors import UsageError
from conformance.reporting import profiles
from conformance.reporting.profiles import ADVISORY, NONE, REQUIRED, ProfileError
from conformance.suite import Options


def test_shipped_profiles_are_listed_and_load() -> None:
    names = profiles.available()
    assert {"guide", "core"} <= set(names)
    for name in names:
        profile = profiles.load(name)
        assert profile.name == name
        assert profile.rules and profile.description


def test_guide_requires_every_example_at_every_version() -> None:
    guide = profiles.load("guide")
    for example in ("browsing.org-list", "vapp.power-on", "admin.create-org", "query.x"):
        for version in ("1.5", "5.5", "36.0"):
            assert guide.requirement(example, version) == REQUIRED


def test_core_requires_browsing_vapp_tasks_and_advises_the_rest() -> None:
    core = profiles.load("core")
    assert core.requirement("browsing.org-list", "5.1") == REQUIRED
    assert core.requirement("vapp.power-on", "36.0") == REQUIRED
    assert core.requirement("tasks.cancel", "1.5") == REQUIRED
    assert core.requirement("admin.create-org", "5.5") == ADVISORY
    assert core.requirement("metadata.set", "5.5") == ADVISORY
    # a glob matches whole ids only: "vapp.*" does not cover an area named "vapps"
    assert core.requirement("vapps.thing", "5.5") == ADVISORY


def test_unknown_profile_lists_the_valid_ones() -> None:
    with pytest.raises(ProfileError) as info:
        profiles.load("nope")
    message = str(info.value)
    assert "unknown profile 'nope'" in message
    assert "core" in message and "guide" in message
    assert isinstance(info.value, UsageError)  # the CLI turns it into exit 2


def test_options_validate_rejects_an_unknown_profile_before_the_run() -> None:
    with pytest.raises(UsageError, match=r"valid profiles: .*core"):
        Options(profile="strictest").validate()
    Options(profile="core").validate()


def test_per_version_rules_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "vendor.yaml"
    path.write_text(
        """
name: vendor
description: metadata became mandatory in 5.5
rules:
  - versions: all
    required: [browsing.*]
    advisory: ["*"]
  - versions: ">=5.5"
    required: [metadata.*]
  - versions: [1.5, 5.1]
    required: [vapp.power-on]
""",
        "utf-8",
    )
    vendor = profiles.load(str(path))
    assert vendor.name == "vendor"
    assert vendor.requirement("metadata.set", "5.1") == ADVISORY
    assert vendor.requirement("metadata.set", "5.5") == REQUIRED
    assert vendor.requirement("metadata.set", "36.0") == REQUIRED
    assert vendor.requirement("vapp.power-on", "1.5") == REQUIRED
    assert vendor.requirement("vapp.power-on", "5.5") == ADVISORY
    assert vendor.requirement("vapp.power-off", "1.5") == ADVISORY


def test_example_outside_every_rule_is_not_part_of_the_profile() -> None:
    narrow = profiles.parse("rules: [{versions: all, required: [browsing.versions]}]", "narrow")
    assert narrow.requirement("browsing.versions", "5.5") == REQUIRED
    assert narrow.requirement("browsing.org-list", "5.5") == NONE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rules: [{versions: all, mandatory: [x]}]", "unknown keys ['mandatory']"),
        ("rules: [{versions: '~5', required: [x]}]", "versions '~5'"),
        ("rules: [{versions: all, required: 3}]", "required must be a list"),
        ("name: x", "list of rules"),
        ("rules: [: bad", "not valid YAML"),
    ],
)
def test_malformed_profiles_say_what_is_wrong(text: str, expected: str) -> None:
    with pytest.raises(ProfileError, match=r"mine\.yaml") as info:
        profiles.parse(text, "mine", source="mine.yaml")
    assert expected in str(info.value)


def test_missing_profile_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="profile file"):
        profiles.load(str(tmp_path / "absent.yaml"))
