"""Reading recorded traffic: vcrpy cassettes, Ruby VCR cassettes and HAR files."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml

from conformance.errors import UsageError
from conformance.recordings import load
from conformance.versions import ApiVersion

CASSETTE = (
    Path(__file__).resolve().parents[1] / "cassettes" / "5.5" / "browsing" / "browsing.vdc.yaml"
)
VDC = b'<Vdc xmlns="http://www.vmware.com/vcloud/v1.5" name="v"/>'


def ruby(tmp_path: Path) -> Path:
    path = tmp_path / "fog.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "http_interactions": [
                    {
                        "request": {
                            "method": "get",
                            "uri": "https://c.example/api/vdc/1",
                            "headers": {"Accept": ["application/*+xml;version=5.1"]},
                            "body": {"encoding": "UTF-8", "string": ""},
                        },
                        "response": {
                            "status": {"code": 200, "message": "OK"},
                            "headers": {"Content-Type": ["application/vnd.vmware.vcloud.vdc+xml"]},
                            "body": {
                                "encoding": "ASCII-8BIT",
                                "base64_string": base64.b64encode(VDC).decode(),
                            },
                        },
                    }
                ],
                "recorded_with": "VCR 6.0.0",
            }
        ),
        "utf-8",
    )
    return path


def har(tmp_path: Path) -> Path:
    path = tmp_path / "session.har"
    path.write_text(
        json.dumps(
            {
                "log": {
                    "version": "1.2",
                    "entries": [
                        {
                            "request": {
                                "method": "POST",
                                "url": "https://c.example/api/vdc/1/action/x",
                                "headers": [
                                    {"name": "Accept", "value": "application/*+xml;version=36.0"}
                                ],
                                "postData": {"mimeType": "text/xml", "text": "<x/>"},
                            },
                            "response": {
                                "status": 202,
                                "headers": [{"name": "Content-Type", "value": "text/xml"}],
                                "content": {"mimeType": "text/xml", "text": "<y/>"},
                            },
                        }
                    ],
                }
            }
        ),
        "utf-8",
    )
    return path


def test_a_vcrpy_cassette_of_the_suite_reads_back() -> None:
    fmt, interactions = load(CASSETTE)
    assert fmt == "vcrpy"
    assert interactions[0].method == "GET" and interactions[0].uri.endswith("/api/versions")
    assert any(i.api_version == ApiVersion.parse("5.5") for i in interactions)
    assert all(i.status for i in interactions)


def test_a_ruby_vcr_cassette_with_a_base64_body(tmp_path: Path) -> None:
    fmt, [item] = load(ruby(tmp_path))
    assert fmt == "ruby-vcr"
    assert (item.method, item.status, item.response_body) == ("GET", 200, VDC)
    assert item.api_version == ApiVersion.parse("5.1")
    assert item.content_type == "application/vnd.vmware.vcloud.vdc+xml"


def test_a_har_file(tmp_path: Path) -> None:
    fmt, [item] = load(har(tmp_path))
    assert fmt == "har"
    assert (item.method, item.status, item.request_body) == ("POST", 202, b"<x/>")
    assert item.api_version == ApiVersion.parse("36.0")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("{not json", "neither JSON nor YAML"), ("a: 1\n", "not a recording this tool reads")],
    ids=["garbage", "other-yaml"],
)
def test_what_is_not_a_recording_is_a_clear_usage_error(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(UsageError, match=expected):
        load(path)
