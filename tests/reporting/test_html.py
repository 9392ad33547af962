"""compatibility.html: one self-contained page; checked as text and in headless Chromium."""

from __future__ import annotations

import colorsys
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conformance.reporting.compare import compare
from conformance.reporting.html import colour, render_html

from . import pngcheck
from .conftest import ROOT, Runs, document, result

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"
#: Set to 1 to refresh docs/report-screenshot.png from this test's screenshot.
UPDATE_ENV = "VCD_UPDATE_SCREENSHOT"


class _Resources(HTMLParser):
    """Every attribute that could make a browser fetch something."""

    FETCHING = {"src", "href", "srcset", "data", "poster", "action", "formaction", "background"}

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in self.FETCHING and value is not None:
                self.refs.append((tag, name, value))


def _resources(html: str) -> _Resources:
    parser = _Resources()
    parser.feed(html)
    return parser


def test_the_page_references_nothing_outside_itself(real_runs: Runs) -> None:
    html = (real_runs.faulty.folder / "compatibility.html").read_text("utf-8")
    found = _resources(html)
    assert not [t for t in found.tags if t in ("link", "img", "iframe", "object", "embed")]
    assert "script" in found.tags  # inline only:
    assert not [r for r in found.refs if r[0] == "script"]
    # the only links are anchors within the page
    assert found.refs and all(value.startswith("#") for _, _, value in found.refs)
    assert not re.search(r"url\(|@import", html)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_payloads_are_text_never_markup() -> None:
    doc = document(
        [
            result(
                "vapp.a",
                status="fail",
                request={
                    "method": "GET",
                    "url": "https://cloud.example.com/api/vApp/1",
                    "status": 200,
                    "response_body": '<VApp name="x"><script>alert(1)</script></VApp>',
                },
                violations=[{"check": "x.y", "severity": "error", "message": "<b>bold</b>"}],
            )
        ]
    )
    html = render_html(doc)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_drill_down_shows_request_response_violations_and_task_timeline(real_runs: Runs) -> None:
    html = (real_runs.baseline.folder / "compatibility.html").read_text("utf-8")
    doc = real_runs.baseline.doc()
    with_task = next(r for r in doc["results"] if r["tasks"])
    polls = with_task["tasks"][0]["observations"]
    assert f'data-text="{with_task["example"]} ' in html
    assert f"{len(polls)} polls over" in html
    assert 'class="timeline"' in html and "t-success" in html
    assert "<h4>Request</h4>" in html and "<h4>Response</h4>" in html
    faulty = (real_runs.faulty.folder / "compatibility.html").read_text("utf-8")
    assert '<table class="violations">' in faulty and "example.status" in faulty


def test_filters_cover_every_area_status_and_version(real_runs: Runs) -> None:
    html = (real_runs.faulty.folder / "compatibility.html").read_text("utf-8")
    for select, options in (
        ("f-area", ["browsing", "vapp"]),
        ("f-status", ["fail", "pass"]),
        ("f-version", ["1.5", "36.0"]),
    ):
        block = html.split(f'id="{select}"', 1)[1].split("</select>", 1)[0]
        assert re.findall(r"<option>([^<]+)</option>", block) == options


def test_matrix_colours_are_green_only_at_100_percent() -> None:
    assert colour(1.0) == "hsl(120, 55%, 78%)"
    assert colour(0.99) != colour(1.0) and colour(0.0).startswith("hsl(0,")
    assert colour(None) == "hsl(0, 0%, 90%)"


# -- in a real browser ----------------------------------------------------------------------


def _chromium(tmp: Path, *args: str, page: Path) -> subprocess.CompletedProcess[str]:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    argv = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


def _page_requests(netlog: Path) -> list[tuple[str, str]]:
    """(initiator, url) of every request a page made; the browser's own have no origin."""
    data = json.loads(netlog.read_text("utf-8"))
    types = {v: k for k, v in data["constants"]["logEventTypes"].items()}
    out = []
    for event in data["events"]:
        params: dict[str, Any] = event.get("params") or {}
        is_request = types.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params
        if is_request and params.get("initiator") != "not an origin":
            out.append((str(params.get("initiator")), params["url"]))
    return out


@pytest.fixture(scope="module")
def report_page(real_runs: Runs, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The faulty run rendered against the baseline: every section of the page."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium) for the browser test")
    folder = tmp_path_factory.mktemp("page")
    page = folder / "compatibility.html"
    doc, old = real_runs.faulty.doc(), real_runs.baseline.doc()
    page.write_text(render_html(doc, compare(old, doc)), "utf-8")
    page.with_name("doc.json").write_text(json.dumps(doc), "utf-8")
    return page


def test_in_chromium_the_matrix_and_verdicts_are_visible(report_page: Path, tmp_path: Path) -> None:
    netlog = tmp_path / "net.json"
    shown = _chromium(tmp_path, "--dump-dom", f"--log-net-log={netlog}", page=report_page)
    assert shown.returncode == 0, shown.stderr[-2000:]
    dom = shown.stdout
    assert '<table class="matrix">' in dom and "API 36.0</th>" in dom
    assert re.search(r"<strong>conforms to API 1\.5: no, \d+ deviations?</strong>", dom)
    assert 'id="diff"' in dom and "Regressions (" in dom
    # the filter script ran (it writes the counter): inline JS is allowed, nothing else
    total = dom.count('class="result"')
    assert f'id="shown">showing {total} of {total}</span>' in dom
    # no request left the page (chromium's own background requests have no origin)
    assert netlog.exists()
    assert _page_requests(netlog) == []


def test_the_network_check_would_see_a_page_request(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium) for the browser test")
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!DOCTYPE html><img src="http://img.example.test/a.png">'
        '<script>fetch("https://api.example.test/x").catch(() => 0)</script>',
        "utf-8",
    )
    netlog = tmp_path / "net.json"
    _chromium(tmp_path, "--dump-dom", f"--log-net-log={netlog}", page=page)
    urls = {url for _, url in _page_requests(netlog)}
    assert {"http://img.example.test/a.png", "https://api.example.test/x"} <= urls


def _rgb(hsl: str) -> tuple[int, int, int]:
    h, s, lightness = (float(x.strip(" %")) for x in hsl[4:-1].split(","))
    r, g, b = colorsys.hls_to_rgb(h / 360, lightness / 100, s / 100)
    return round(r * 255), round(g * 255), round(b * 255)


def test_screenshot_shows_the_coloured_matrix(report_page: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    shot = _chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,900", page=report_page)
    assert shot.returncode == 0 and png.exists(), shot.stderr[-2000:]
    width, height, rows = pngcheck.decode(png)
    assert (width, height) == (1280, 900)
    seen = pngcheck.colours(rows)
    assert len(seen) > 50  # text, badges, cells: not a blank page

    def near(target: tuple[int, int, int]) -> bool:
        return any(all(abs(a - b) <= 3 for a, b in zip(c, target, strict=True)) for c in seen)

    rates = {
        cell["pass_rate"]
        for cell in json.loads(report_page.with_name("doc.json").read_text("utf-8"))["summary"]
    }
    assert 1.0 in rates and len(rates) > 1  # green cells and at least one that is not
    for rate in rates:
        assert near(_rgb(colour(rate))), f"no matrix cell coloured for {rate} on screen"
    if os.environ.get(UPDATE_ENV) == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(png, SCREENSHOT)
