"""bundle: where the XSD bundle is looked for, and what an official or fetched one holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import bundle
from conformance.errors import SchemaBundleError, SchemaBundleNotFoundError
from conformance.mediatypes import EXTENSION_NS, VCLOUD_NS, VERSIONS_NS

from . import minibundle


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No env override, and a working directory without ./xsd or ../shared/xsd."""
    monkeypatch.delenv(bundle.ENV_VAR, raising=False)
    cwd = tmp_path / "work" / "project"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    return cwd


@pytest.fixture(scope="module")
def official() -> bundle.SchemaBundle:
    return bundle.locate()


def test_candidate_order_default(clean_env: Path) -> None:
    places = bundle.candidates()
    assert places[0] == clean_env / "xsd"
    assert places[1] == clean_env.parent / "shared" / "xsd"
    assert places[-1] == Path(bundle.__file__).resolve().parent.parent.parent / "shared" / "xsd"


def test_candidate_order_explicit_then_env(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(bundle.ENV_VAR, str(tmp_path / "from-env"))
    assert bundle.candidates()[0] == tmp_path / "from-env"
    assert bundle.candidates(tmp_path / "explicit")[0] == tmp_path / "explicit"
    assert tmp_path / "from-env" not in bundle.candidates(tmp_path / "explicit")


def test_candidates_are_unique(clean_env: Path) -> None:
    places = bundle.candidates(clean_env / "xsd")
    assert len({p.resolve() for p in places}) == len(places)


def test_missing_explicit_bundle_names_where_it_looked(clean_env: Path) -> None:
    with pytest.raises(SchemaBundleNotFoundError) as info:
        bundle.locate("/nonexistent/xsd")
    message = str(info.value)
    assert "/nonexistent/xsd" in message
    assert "--schemas" in message and bundle.ENV_VAR in message
    assert info.value.looked == [str(Path("/nonexistent/xsd").resolve())]
    # an explicit choice is never silently replaced by a default that exists
    assert "shared" not in message


def test_missing_env_bundle_is_not_replaced(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(bundle.ENV_VAR, "/nonexistent/env-xsd")
    with pytest.raises(FileNotFoundError) as info:  # SchemaBundleNotFoundError is one
        bundle.locate()
    assert "/nonexistent/env-xsd" in str(info.value)


def test_default_finds_the_shared_bundle(clean_env: Path) -> None:
    beside = Path(bundle.__file__).resolve().parents[2] / "shared" / "xsd"
    if not beside.is_dir():
        pytest.skip(f"this checkout has no ../shared/xsd beside it ({beside}); CI's does")
    found = bundle.locate()
    assert found.kind == "official"
    assert (found.root / "rest-api/1.5/schemas/master/driver.xsd").is_file()


def test_cwd_xsd_wins_over_shared(clean_env: Path) -> None:
    minibundle.write_fetched(clean_env / "xsd")
    found = bundle.locate()
    assert found.kind == "fetched"
    assert found.root == (clean_env / "xsd").resolve()


def test_official_bundle_entries(official: bundle.SchemaBundle) -> None:
    namespaces = [ns for ns, _ in official.entries]
    assert VCLOUD_NS in namespaces
    assert EXTENSION_NS in namespaces
    assert VERSIONS_NS in namespaces
    for _, path in official.entries:
        assert path.is_absolute() and path.is_file()
    assert official.schemas_dir == (official.root / "rest-api/1.5/schemas").resolve()


def test_official_catalog_maps_dmtf_and_w3c(official: bundle.SchemaBundle) -> None:
    ovf = official.catalog["http://schemas.dmtf.org/ovf/envelope/1/dsp8023_1.1.0.xsd"]
    assert ovf.is_file() and ovf.name == "dsp8023_1.1.0.xsd"
    assert official.catalog["http://www.w3.org/2001/xml.xsd"].is_file()
    assert all(path.is_absolute() for path in official.catalog.values())


def test_relative(official: bundle.SchemaBundle) -> None:
    task = official.schemas_dir / "vcloud" / "task.xsd"  # type: ignore[operator]
    assert official.relative(task) == "vcloud/task.xsd"
    versions = official.root / "rest-api/schemas/versioning/versions.xsd"
    assert official.relative(versions) == "rest-api/schemas/versioning/versions.xsd"
    assert official.relative(Path("/elsewhere/x.xsd")) == "/elsewhere/x.xsd"


def test_read_catalog_system_and_uri_entries(tmp_path: Path) -> None:
    catalog = tmp_path / "sub" / "catalog.xml"
    catalog.parent.mkdir()
    catalog.write_text(
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        '<system systemId="http://a.example/a.xsd" uri="local/a.xsd"/>'
        '<uri name="http://b.example/b.xsd" uri="../b.xsd"/>'
        '<system systemId="http://c.example/no-target.xsd"/>'
        "</catalog>",
        encoding="utf-8",
    )
    mapping = bundle.read_catalog(catalog)
    assert mapping == {
        "http://a.example/a.xsd": (tmp_path / "sub" / "local" / "a.xsd").resolve(),
        "http://b.example/b.xsd": (tmp_path / "b.xsd").resolve(),
    }


def test_fetched_bundle_with_own_catalog(tmp_path: Path) -> None:
    root = minibundle.write_fetched(tmp_path / "cloud.example.test")
    found = bundle.load(root)
    assert found.kind == "fetched"
    assert found.source == "http://cloud.example.test/api/v1.5/schema/master.xsd"
    assert found.entries == ((minibundle.NS, (root / "master.xsd").resolve()),)
    assert found.catalog == {minibundle.FOREIGN_URL: (root / "external" / "ext.xsd").resolve()}
    assert found.relative((root / "common" / "types.xsd").resolve()) == "common/types.xsd"


def test_fetched_bundle_falls_back_to_the_official_catalog(
    tmp_path: Path, official: bundle.SchemaBundle
) -> None:
    root = minibundle.write_fetched(tmp_path / "cloud", with_catalog=False)
    found = bundle.load(root)
    assert found.catalog == official.catalog


def test_fetched_bundle_without_entries(tmp_path: Path) -> None:
    (tmp_path / "bundle.json").write_text('{"entries": []}', encoding="utf-8")
    with pytest.raises(SchemaBundleError, match="lists no entry schemas"):
        bundle.load(tmp_path)


def test_is_bundle(tmp_path: Path, official: bundle.SchemaBundle) -> None:
    assert bundle.is_bundle(official.root)
    assert not bundle.is_bundle(tmp_path)
    assert bundle.is_bundle(minibundle.write_fetched(tmp_path / "b"))


def test_load_non_bundle(tmp_path: Path) -> None:
    with pytest.raises(SchemaBundleNotFoundError):
        bundle.load(tmp_path)
