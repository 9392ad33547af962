"""Generated XML request bodies on the action and edit links of a vApp and its VM.

The engine makes a vApp (``vcdc-<run id>-fuzz``, removed afterwards), collects
what its links offer (deploy, snapshot, metadata, section edit links of the
vApp and the VM), and takes one valid body per target: a documented minimal
body, or the section as the cloud itself answered it. Hypothesis then draws
mutations of that body: none, a dropped element or attribute, a wrong or
oversized value, an unknown element, a wrong root, a truncated document.

The oracle is the XSD of the negotiated version (what the cloud documents it
accepts). A body the schema rejects must be refused with 400 and an Error; a
2xx is a silent acceptance. The unmutated valid body must be accepted (2xx).
A schema-valid mutation may be accepted or refused with a 400 Error (a value
can be valid XML and still wrong for the cloud). Nothing may answer 5xx.
Generation is seeded and bounded in examples and time; every task is waited
for (bounded) so that the next request meets an idle entity.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .. import safexml
from ..client import Exchange, VcdClient
from ..errors import ConformanceError, PayloadError
from ..fixtures import MT, NS, Fixtures, task_href
from ..mediatypes import VCLOUD_NS
from ..navigate import Doc, Navigator, find_link, links
from ..redaction import Redactor
from ..schemas import SchemaRegistry
from ..target import Target
from ..versions import ApiVersion
from ..watcher import watch

_V = f"{{{VCLOUD_NS}}}"
MUTATIONS = (
    "none",
    "drop-element",
    "bad-text",
    "huge-text",
    "unknown-element",
    "bad-attribute",
    "drop-attribute",
    "wrong-root",
    "truncate",
)
HUGE = 70_000
#: Sections of the vApp and of the VM whose edit links are fuzzed (when offered).
SECTIONS = {
    "vapp": ("LeaseSettingsSection", "StartupSection"),
    "vm": ("OperatingSystemSection", "GuestCustomizationSection", "VmCapabilities"),
}


@dataclass
class ActionTarget:
    name: str
    method: str
    href: str
    content_type: str
    body: bytes
    #: Put the entity back after an accepted body (deploy -> undeploy).
    restore: Callable[[], None] | None = None


@dataclass
class Finding:
    check: str
    target: str
    mutation: str
    status: int | None
    detail: str


@dataclass
class XmlFuzzReport:
    seed: int
    version: str
    targets: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sent: int = 0
    valid: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def mutate(body: bytes, kind: str, index: int, text: str) -> tuple[bytes, str]:
    """Apply one mutation to an XML body; returns the new body and a description."""
    if kind == "none":
        return body, "the valid body, unchanged"
    if kind == "truncate":
        cut = 1 + index % max(1, len(body) - 1)
        return body[:cut], f"truncated after {cut} bytes"
    root = etree.fromstring(body)
    elements = [e for e in root.iter() if isinstance(e.tag, str) and e is not root]
    leaves = [e for e in elements if len(e) == 0]
    if kind == "drop-element" and elements:
        victim = elements[index % len(elements)]
        parent = victim.getparent()
        if parent is not None:
            parent.remove(victim)
        what = f"dropped <{etree.QName(victim).localname}>"
    elif kind in ("bad-text", "huge-text") and leaves:
        leaf = leaves[index % len(leaves)]
        leaf.text = "x" * HUGE if kind == "huge-text" else (text or "not-a-value")
        size = f"{HUGE:,} characters" if kind == "huge-text" else repr(text or "not-a-value")
        what = f"<{etree.QName(leaf).localname}> set to {size}"
    elif kind == "unknown-element":
        parents = [root, *[e for e in elements if len(e) > 0]]
        parent = parents[index % len(parents)]
        etree.SubElement(parent, f"{_V}VcdcUnknownElement").text = text or "x"
        what = f"unknown element added under <{etree.QName(parent).localname}>"
    elif kind == "bad-attribute":
        names = sorted(k for k in root.attrib if not k.startswith("{"))
        name = names[index % len(names)] if names else "vcdcUnknown"
        root.set(name, text or "not-a-value")
        what = f"attribute {name}={text or 'not-a-value'!r}"
    elif kind == "drop-attribute" and root.attrib:
        names = sorted(root.attrib)
        name = names[index % len(names)]
        del root.attrib[name]
        what = f"dropped attribute {name}"
    elif kind == "wrong-root":
        root.tag = f"{_V}VcdcNotAType"
        what = "root element renamed to VcdcNotAType"
    else:
        return body, "the valid body, unchanged (nothing to mutate)"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), what


def schema_valid(registry: SchemaRegistry, version: ApiVersion, body: bytes) -> bool:
    try:
        root = safexml.parse(body)
    except PayloadError:
        return False
    return bool(registry.schema(version).validate(root))


class _Session:
    """One logged-in conversation with the vApp the fuzzing works on."""

    def __init__(self, target: Target, version: ApiVersion, sleep: Callable[[float], None]):
        self.target = target
        self.version = version
        self.sleep = sleep
        self.client = VcdClient(
            target.url,
            version,
            verify=target.verify,
            timeout=target.timeout,
            read_only=target.read_only,
            sleep=sleep,
        )
        user, org, password = target.credentials("tenant")
        session = self.client.login(user, org, password)
        self.nav = Navigator(self.client, target, "tenant", session)
        self.fixtures = Fixtures(self.nav, target, "fuzz", sleep, target.redactor())

    def wait(self, exchange: Exchange) -> None:
        href = task_href(exchange)
        if href:
            watch(self.client, href, timeout=self.target.task_timeout, sleep=self.sleep)

    def send(self, method: str, href: str, body: bytes | None, kind: str | None) -> Exchange:
        exchange = self.client.request(method, href, body=body, content_type=kind)
        if exchange.status in (200, 201, 202):
            self.wait(exchange)
        return exchange

    def close(self) -> list[str]:
        try:
            return self.fixtures.remove_all()
        finally:
            self.client.logout()
            self.client.close()


def _targets(s: _Session) -> list[ActionTarget]:
    out: list[ActionTarget] = []
    vapp = s.nav.doc("vapp")
    deploy = find_link(vapp.root, "deploy")
    if deploy is not None:

        def undeploy() -> None:
            doc = s.nav.refresh("vapp")
            link = find_link(doc.root, "undeploy")
            if link is not None:
                s.send(
                    "POST",
                    link.get("href", ""),
                    f"<UndeployVAppParams {NS}><UndeployPowerAction>powerOff"
                    "</UndeployPowerAction></UndeployVAppParams>".encode(),
                    MT("undeployVAppParams"),
                )

        out.append(
            ActionTarget(
                "vApp deploy",
                "POST",
                deploy.get("href", ""),
                MT("deployVAppParams"),
                f'<DeployVAppParams {NS} powerOn="false"/>'.encode(),
                undeploy,
            )
        )
    snapshot = find_link(vapp.root, "snapshot:create")
    if snapshot is not None:
        out.append(
            ActionTarget(
                "vApp snapshot:create",
                "POST",
                snapshot.get("href", ""),
                MT("createSnapshotParams"),
                f'<CreateSnapshotParams {NS} name="vcdc-fuzz" memory="false" '
                'quiesce="false"/>'.encode(),
            )
        )
    metadata_link = find_link(vapp.root, "down", MT("metadata"))
    if metadata_link is not None:
        metadata = s.nav.get(metadata_link.get("href", ""))
        add = find_link(metadata.root, "add", MT("metadata"))
        if add is not None:
            out.append(
                ActionTarget(
                    "vApp metadata",
                    "POST",
                    add.get("href", ""),
                    MT("metadata"),
                    _metadata_body(s.version),
                )
            )
    for anchor, names in SECTIONS.items():
        doc = s.nav.doc(anchor)
        for name in names:
            section = _section(s, doc, name)
            if section is not None:
                out.append(section)
    return out


def _metadata_body(version: ApiVersion) -> bytes:
    if version < ApiVersion(5, 1):
        entry = "<MetadataEntry><Key>vcdc-fuzz</Key><Value>fuzz</Value></MetadataEntry>"
        return f"<Metadata {NS}>{entry}</Metadata>".encode()
    return (
        f'<Metadata {NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<MetadataEntry><Key>vcdc-fuzz</Key>"
        '<TypedValue xsi:type="MetadataStringValue"><Value>fuzz</Value></TypedValue>'
        "</MetadataEntry></Metadata>"
    ).encode()


def _section(s: _Session, doc: Doc, local: str) -> ActionTarget | None:
    """The edit link of a section, with the section as the cloud answers it (Links removed)."""
    for child in doc.root:
        if not isinstance(child.tag, str) or etree.QName(child).localname != local:
            continue
        edit = next((el for el in links(child) if el.get("rel") == "edit"), None)
        if edit is None:
            return None
        current = s.nav.get(edit.get("href", ""))
        root = current.root
        for link in root.findall(f"{_V}Link"):
            root.remove(link)
        return ActionTarget(
            f"{etree.QName(doc.root).localname} {local}",
            "PUT",
            edit.get("href", ""),
            edit.get("type") or current.exchange.content_type.split(";")[0],
            etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
        )
    return None


def _is_error(exchange: Exchange) -> bool:
    try:
        root = safexml.parse(exchange.response_body)
    except PayloadError:
        return False
    return str(etree.QName(root).localname) == "Error"


def judge(valid: bool, mutation: str, exchange: Exchange) -> tuple[str, str] | None:
    """(check id, message) when the answer breaks the rules, else None."""
    status = exchange.status or 0
    if status >= 500:
        return "fuzz.server-error", f"answered {status}"
    accepted = 200 <= status < 300
    if not valid and accepted:
        return "fuzz.silent-accept", f"a body the schema rejects was accepted ({status})"
    if not valid and (status != 400 or not _is_error(exchange)):
        return "fuzz.refusal", f"a body the schema rejects answered {status}, not a 400 Error"
    if valid and mutation == "none" and not accepted:
        return "fuzz.valid-refused", f"the valid body was refused ({status})"
    if valid and not accepted and (status != 400 or not _is_error(exchange)):
        return "fuzz.refusal", f"a schema-valid body answered {status}, neither 2xx nor 400 Error"
    return None


def run(
    target: Target,
    version: ApiVersion,
    registry: SchemaRegistry,
    *,
    seed: int = 0,
    max_examples: int = 6,
    time_budget: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    redactor: Redactor | None = None,
) -> XmlFuzzReport:
    """Fuzz the action links of a fresh vApp at ``version``; never raises for the cloud."""
    from hypothesis import HealthCheck, Phase, example, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st

    red = redactor or target.redactor()
    report = XmlFuzzReport(seed, str(version))
    started = time.monotonic()
    try:
        session = _Session(target, version, sleep)
    except ConformanceError as exc:
        report.problems.append(red.text(f"could not log in: {exc}"))
        return report
    try:
        session.fixtures.make("vapp-off")
        targets = _targets(session)
    except ConformanceError as exc:
        report.problems.append(red.text(f"could not set up the vApp to fuzz: {exc}"))
        report.problems += session.close()
        return report
    report.targets = [t.name for t in targets]
    mutation = st.tuples(
        st.sampled_from(MUTATIONS),
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(["", "-1", "true", "NaN", "2.5", "x" * 300, "\u00e9\u2603", "<&>"]),
    )
    try:
        for action in targets:
            probe = _Probe(action, session, registry, version, report, red, started + time_budget)
            test = given(drawn=mutation)(_as_test(probe))
            test = example(drawn=("none", 0, ""))(test)  # the valid body, always
            test = settings(
                max_examples=max_examples,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )(test)
            hypothesis_seed(seed)(test)()
    except ConformanceError as exc:
        report.problems.append(red.text(f"fuzzing stopped: {exc}"))
    finally:
        report.problems += [red.text(p) for p in session.close()]
        report.seconds = round(time.monotonic() - started, 2)
    return report


@dataclass
class _Probe:
    """One drawn mutation of one target: build, classify, send, judge, restore."""

    action: ActionTarget
    session: _Session
    registry: SchemaRegistry
    version: ApiVersion
    report: XmlFuzzReport
    redactor: Redactor
    deadline: float

    def __call__(self, drawn: tuple[str, int, str]) -> None:
        if time.monotonic() > self.deadline:
            return
        action, report, red = self.action, self.report, self.redactor
        kind, index, text = drawn
        body, what = mutate(action.body, kind, index, text)
        valid = schema_valid(self.registry, self.version, body)
        try:
            exchange = self.session.send(action.method, action.href, body, action.content_type)
        except ConformanceError as exc:
            report.findings.append(
                Finding("fuzz.transport", action.name, what, None, red.text(str(exc)))
            )
            return
        report.sent += 1
        report.valid += valid
        code = exchange.status or 0
        report.statuses[code] = report.statuses.get(code, 0) + 1
        verdict = judge(valid, kind, exchange)
        if verdict is not None:
            answer = exchange.response_body[:300].decode("utf-8", "replace")
            report.findings.append(
                Finding(
                    verdict[0],
                    action.name,
                    what,
                    exchange.status,
                    red.text(f"{verdict[1]}: {answer}"),
                )
            )
        if 200 <= code < 300 and action.restore is not None:
            action.restore()


def _as_test(probe: _Probe) -> Callable[[tuple[str, int, str]], None]:
    def probe_mutation(drawn: tuple[str, int, str]) -> None:
        probe(drawn)

    return probe_mutation


def summary(report: XmlFuzzReport) -> dict[str, Any]:
    return {
        "seed": report.seed,
        "version": report.version,
        "targets": report.targets,
        "sent": report.sent,
        "schema_valid": report.valid,
        "statuses": {str(k): v for k, v in sorted(report.statuses.items())},
        "seconds": report.seconds,
    }
