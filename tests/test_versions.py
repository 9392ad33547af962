"""versions: ApiVersion ordering and parsing, feature-name markers, ranges."""

from __future__ import annotations

import pytest

from conformance.errors import InvalidVersionError, UsageError
from conformance.versions import (
    FEATURE_VERSIONS,
    GUIDE_VERSIONS,
    KNOWN_VERSIONS,
    MODERN_VERSIONS,
    NEWEST,
    ApiVersion,
    V,
    VersionRange,
    resolve_marker,
    version_from_media_type,
)


@pytest.mark.parametrize(
    ("text", "major", "minor"),
    [("1.5", 1, 5), ("5.10", 5, 10), (" 36.0 ", 36, 0), ("0.9", 0, 9)],
    ids=["1.5", "5.10", "padded", "0.9"],
)
def test_parse(text: str, major: int, minor: int) -> None:
    version = ApiVersion.parse(text)
    assert (version.major, version.minor) == (major, minor)


@pytest.mark.parametrize(
    "text",
    ["", "5", "5.", "v5.1", "5.1.2", "five.one", "1234.0", "5,1"],
    ids=[
        "empty",
        "major-only",
        "trailing-dot",
        "v-prefix",
        "three-parts",
        "words",
        "too-long",
        "comma",
    ],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(InvalidVersionError) as info:
        ApiVersion.parse(text)
    assert text in str(info.value) or repr(text) in str(info.value)
    assert "MAJOR.MINOR" in str(info.value)


def test_invalid_version_is_a_usage_error_and_value_error() -> None:
    with pytest.raises(UsageError):
        ApiVersion.parse("x")
    with pytest.raises(ValueError):
        ApiVersion.parse("x")


def test_parse_is_idempotent_on_versions() -> None:
    v = V("5.5")
    assert ApiVersion.parse(v) is v


def test_numeric_not_lexical_order() -> None:
    assert V("5.10") > V("5.9")
    assert V("5.9") < V("5.10")
    assert V("29.0") > V("5.5")
    assert sorted([V("5.10"), V("1.5"), V("5.9"), V("36.0")]) == [
        V("1.5"),
        V("5.9"),
        V("5.10"),
        V("36.0"),
    ]


def test_equality_hash_and_str() -> None:
    assert V("5.1") == ApiVersion(5, 1)
    assert len({V("5.1"), ApiVersion(5, 1), V(" 5.1")}) == 1
    assert str(V("5.10")) == "5.10"
    assert V("5.1") != "5.1"
    assert V("5.1") <= V("5.1") and V("5.1") >= V("5.1")


def test_comparison_with_other_types_is_an_error() -> None:
    with pytest.raises(TypeError):
        _ = V("5.1") < "5.2"  # type: ignore[operator]


def test_known_versions() -> None:
    assert (V("1.5"), V("5.1"), V("5.5")) == GUIDE_VERSIONS
    assert MODERN_VERSIONS[0] == V("29.0") and MODERN_VERSIONS[-1] == V("36.0")
    assert KNOWN_VERSIONS == GUIDE_VERSIONS + MODERN_VERSIONS
    assert list(KNOWN_VERSIONS) == sorted(KNOWN_VERSIONS)
    assert V("36.0") == NEWEST


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("MULTI_SITE", "29.0"),
        ("JWT_LOGIN_SUPPORT", "30.0"),
        ("REMOVED_VERSION_15_51", "30.0"),
        ("VDC_TEMPLATES", "5.7"),
        ("VCENTER_ROOT_FOLDER", "31.0"),
        ("5.5", "5.5"),
        (" 5.1 ", "5.1"),
    ],
    ids=lambda x: str(x),
)
def test_resolve_marker(marker: str, expected: str) -> None:
    assert resolve_marker(marker) == V(expected)


@pytest.mark.parametrize(
    "marker",
    ["", "   ", "NOT_A_FEATURE", "multi_site"],
    ids=["empty", "blank", "unknown-name", "wrong-case"],
)
def test_resolve_marker_unknown(marker: str) -> None:
    assert resolve_marker(marker) is None


def test_feature_versions_are_all_modern_or_5x() -> None:
    for name, version in FEATURE_VERSIONS.items():
        assert name.isupper(), name
        assert V("5.7") <= version <= NEWEST, name


@pytest.mark.parametrize(
    ("rng", "inside", "outside"),
    [
        (VersionRange(V("5.1")), ["5.1", "5.5", "36.0"], ["1.5", "5.0"]),
        (VersionRange(None, V("5.1")), ["1.0", "1.5"], ["5.1", "5.5"]),
        (VersionRange(V("1.5"), V("30.0")), ["1.5", "29.0"], ["1.0", "30.0", "36.0"]),
        (VersionRange(), ["0.9", "1.5", "36.0"], []),
    ],
    ids=["added", "removed", "both", "open"],
)
def test_range_contains(rng: VersionRange, inside: list[str], outside: list[str]) -> None:
    for v in inside:
        assert rng.contains(V(v)), v
    for v in outside:
        assert not rng.contains(V(v)), v


def test_range_describe_and_open() -> None:
    assert VersionRange(V("5.1")).describe() == "added in 5.1"
    assert VersionRange(None, V("30.0")).describe() == "removed in 30.0"
    assert VersionRange(V("1.5"), V("30.0")).describe() == "added in 1.5, removed in 30.0"
    assert VersionRange().describe() == "all versions"
    assert VersionRange().is_open
    assert not VersionRange(V("5.1")).is_open


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("application/vnd.vmware.vcloud.task+xml;version=5.1", V("5.1")),
        ('application/*+xml; version="36.0"', V("36.0")),
        ("application/*+xml;charset=utf-8;VERSION=5.5", V("5.5")),
        ("application/vnd.vmware.vcloud.task+xml", None),
        ("application/*+xml;version=latest", None),
        ("", None),
        (None, None),
    ],
    ids=["plain", "quoted", "case-and-other-params", "absent", "garbage", "empty", "none"],
)
def test_version_from_media_type(value: str | None, expected: ApiVersion | None) -> None:
    assert version_from_media_type(value) == expected
