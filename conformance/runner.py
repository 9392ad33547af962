"""Running one documented example against one target at one API version.

login -> fixtures -> navigate to the URL -> send -> judge the answer (exchange
checks, payload checks, the task with the watcher) -> postconditions ->
cleanup, always -> logout.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import time
from collections.abc import Callable
from urllib.parse import urlencode
from xml.sax.saxutils import escape as xml_escape

import httpx

from . import checks, safexml
from .checks import exchanges as exchange_checks
from .client import AUTH_HEADER, Exchange, VcdClient
from .errors import (
    ConformanceError,
    PayloadError,
    ReadOnlyViolation,
    ReplayMissError,
    TransportError,
)
from .examples import _PLACEHOLDER, Example, Then
from .fixtures import FixtureError, Fixtures, task_href
from .mediatypes import VCLOUD_NS
from .navigate import NavigationError, Navigator, find_link
from .payload import Payload
from .probes import PROBES, ProbeContext
from .redaction import Redactor
from .results import ERROR, SKIP, ExampleResult, ExchangeRecord, excerpt
from .target import Target
from .versions import ApiVersion
from .violations import Violation, error, warning
from .watcher import watch

#: What a request body (the client's) is judged by: well-formed, safe, schema-valid at
#: the version. A service's partial Task update carries no Owner or endTime, rightly.
REQUEST_CHECKS = ("xml.", "schema.", "media-type.")

#: The password of the bad-credentials example: never anyone's.
WRONG_PASSWORD = "vcdc-not-the-password"


def created_href(exchange: Exchange, kind: str) -> str:
    """What a creating request made: the answer's root, or the Owner of an answered Task
    (unless the Task is what was created: an extension service's task)."""
    try:
        root = safexml.parse(exchange.response_body)
    except PayloadError:
        return ""
    if root.tag == f"{{{VCLOUD_NS}}}Task" and kind != "extension-task":
        owner = root.find(f"{{{VCLOUD_NS}}}Owner")
        return owner.get("href", "") if owner is not None else ""
    return root.get("href", "")


def _documented_non_xml(media_type: str | None, exchange: Exchange) -> bool:
    """An answer of a documented non-XML type (a screen thumbnail's image/png)."""
    if media_type is None or media_type.endswith("xml"):
        return False
    return exchange.content_type.split(";")[0].strip().lower() == media_type.lower()


#: Anchors that are entities whose action links answer Tasks they own.
ACTION_OWNERS = frozenset({"vapp", "vm", "vapp2"})


def _same(a: str, b: str) -> bool:
    """Hrefs name the same object (trailing slashes aside)."""
    return a.rstrip("/") == b.rstrip("/")


def short_id(example_id: str) -> str:
    """A short, stable token per example for object names (``vcdc-<run>-<token>``)."""
    return hashlib.sha1(example_id.encode()).hexdigest()[:6]


class Runner:
    """Runs examples; one instance per target and API version."""

    def __init__(
        self,
        target: Target,
        version: ApiVersion,
        *,
        transport_factory: Callable[[], httpx.BaseTransport] | None = None,
        sleep: Callable[[float], None] | None = None,
        redactor: Redactor | None = None,
    ) -> None:
        self.target = target
        self.version = version
        self.transport_factory = transport_factory
        self.sleep = sleep or ((lambda _s: None) if target.replay else time.sleep)
        self.redactor = redactor or target.redactor()
        self.context = checks.Context()

    def client(self) -> VcdClient:
        return VcdClient(
            self.target.url,
            self.version,
            verify=self.target.verify,
            timeout=self.target.timeout,
            read_only=self.target.read_only,
            sleep=self.sleep,
            transport=self.transport_factory() if self.transport_factory else None,
        )

    def run(self, example: Example) -> ExampleResult:
        result = ExampleResult(
            example.id,
            example.title,
            example.area,
            example.chapter,
            example.section,
            str(self.version),
            destructive=example.destructive,
        )
        started = time.perf_counter()
        if not example.applies_to(self.version):
            result.status = "not-applicable"
            return result
        if self.target.read_only and example.destructive:
            result.status, result.message = SKIP, "destructive example skipped in read-only mode"
            return result
        client = self.client()
        fixtures: Fixtures | None = None
        try:
            user, org, password = self.target.credentials(example.role)
            session = client.login(user, org, password)
            nav = Navigator(client, self.target, example.role, session)
            fixtures = Fixtures(nav, self.target, short_id(example.id), self.sleep, self.redactor)
            for name in example.given:
                fixtures.make(name)
            self._request(example, nav, result, fixtures)
        except NavigationError as exc:
            result.violations.append(error("example.navigation", str(exc)))
        except FixtureError as exc:
            result.violations.extend(exc.violations)
            result.status, result.message = (
                ERROR,
                f"precondition failed: {self.redactor.text(str(exc))}",
            )
        except ValueError as exc:
            result.status, result.message = (
                ERROR,
                f"precondition failed: {self.redactor.text(str(exc))}",
            )
        except (ReadOnlyViolation, ReplayMissError) as exc:
            result.status, result.message = ERROR, str(exc)
        except TransportError as exc:
            result.status, result.message = ERROR, self.redactor.text(str(exc))
        finally:
            try:
                if fixtures is not None:
                    try:
                        for problem in fixtures.remove_all():
                            result.violations.append(
                                warning("cleanup", self.redactor.text(problem))
                            )
                    except ConformanceError as exc:
                        result.violations.append(warning("cleanup", str(exc)))
                # a replay without a recorded logout, or a cloud gone away
                with contextlib.suppress(ConformanceError):
                    client.logout()
            finally:  # even when Ctrl-C lands in the cleanup: never leak the connection
                result.exchanges = len(client.exchanges)
                client.close()
                result.duration = time.perf_counter() - started
        return result.finish()

    # -- the documented request ----------------------------------------------------------------
    def _request(
        self, example: Example, nav: Navigator, result: ExampleResult, fixtures: Fixtures
    ) -> None:
        req = example.request
        if req.probe is not None:
            ctx = ProbeContext(
                nav,
                self.version,
                self.sleep,
                self.target.task_timeout,
                lambda body, kind: self._payload_violations(body, kind, example),
            )
            skip = set(example.skip_checks)
            result.violations.extend(
                v for v in PROBES[req.probe](ctx, req.at) if v.check not in skip
            )
            return
        doc = nav.doc(req.at)
        for step in req.follow:
            doc = nav.follow(doc, step)
        url = nav.href_of(doc, req.target)
        if req.query:
            query = [(k, self._fill(v, example, nav, xml=False)) for k, v in req.query]
            url += ("&" if "?" in url else "?") + urlencode(query)
        body = self._body(example, nav) if req.body else None
        if body is not None and not req.invalid_body:
            self._judge_payload(result, body, req.content_type, example, where="request")
        headers, session_auth = self._auth_headers(example)
        exchange = nav.client.request(
            req.method,
            url,
            body=body,
            content_type=req.content_type,
            headers=headers,
            auth=session_auth,
            relogin=session_auth,
        )
        result.request = self._record(exchange)
        exp = example.expect
        if req.auth == "basic" and exchange.status == 200:
            self._end_session(nav, exchange)
        if exp.created and exchange.status in (200, 201, 202):
            fixtures.adopt(exp.created, created_href(exchange, exp.created))
        result.violations.extend(
            exchange_checks.judge(
                exchange.status,
                exchange.content_type,
                exchange.response_body,
                statuses=exp.status,
                root=exp.root,
                media_type=exp.media_type,
                version=self.version if example.versioned else None,
            )
        )
        if exchange.response_body and not _documented_non_xml(exp.media_type, exchange):
            self._judge_payload(
                result, exchange.response_body, exchange.content_type, example, where="response"
            )
        if exp.error_minor and exchange.status is not None and exchange.status >= 400:
            self._check_minor(result, exchange, exp.error_minor)
        if exp.task is not None and exchange.status in (200, 201, 202):
            self._watch_task(result, nav, exchange, exp.task, example)
        for then in exp.then:
            self._postcondition(result, nav, then, example)

    def _auth_headers(self, example: Example) -> tuple[dict[str, str], bool]:
        """Extra headers of the documented request, and whether it uses the session."""
        req = example.request
        headers = {"Accept": req.accept} if req.accept else {}
        if req.auth == "session":
            return headers, True
        if req.auth in ("basic", "wrong-password"):
            user, org, password = self.target.credentials(example.role)
            if req.auth == "wrong-password":
                password = WRONG_PASSWORD
            basic = base64.b64encode(f"{user}@{org}:{password}".encode()).decode()
            headers["Authorization"] = f"Basic {basic}"
        return headers, False

    def _end_session(self, nav: Navigator, exchange: Exchange) -> None:
        """Log out the session a documented login opened (the example's own stays)."""
        token = exchange.response_headers.get(AUTH_HEADER)
        if token and nav.client.session_url:
            nav.client.request(
                "DELETE",
                nav.client.session_url,
                headers={AUTH_HEADER: token},
                auth=False,
                relogin=False,
            )

    def _body(self, example: Example, nav: Navigator) -> bytes:
        return self._fill(example.request.body or "", example, nav).encode("utf-8")

    def _fill(self, text: str, example: Example, nav: Navigator, xml: bool = True) -> str:
        """Replace the placeholders of a body (XML-escaped) or of a query value (raw)."""

        def escape(value: str, entities: dict[str, str] | None = None) -> str:
            return xml_escape(value, entities or {}) if xml else value

        def value(match: re.Match[str]) -> str:
            kind, anchor = match.group(1), match.group(2)
            if kind == "name":
                return escape(self.target.name(short_id(example.id) + (anchor or "")))
            if kind == "href":
                return escape(nav.doc(anchor or "").href, {'"': "&quot;"})
            if kind == "attr-name":
                return escape(nav.doc(anchor or "").root.get("name", ""), {'"': "&quot;"})
            if kind == "secret":
                secret = self.target.secret()
                self.redactor.add(secret)
                return secret
            if kind == "run":
                return self.target.run_id
            if kind == "version":
                return str(self.version)
            if kind == "org-name":
                return escape(self.target.org)
            return escape(self.target.user)

        return _PLACEHOLDER.sub(value, text)

    def _payload_violations(
        self, body: bytes, content_type: str | None, example: Example
    ) -> list[Violation]:
        version = self.version if example.versioned else None
        payload = Payload(body, content_type if content_type is not None else "", version)
        skip = set(example.skip_checks)
        return [v for v in checks.run_checks(payload, self.context) if v.check not in skip]

    def _judge_payload(
        self,
        result: ExampleResult,
        body: bytes,
        content_type: str | None,
        example: Example,
        where: str,
    ) -> None:
        for violation in self._payload_violations(body, content_type, example):
            if where == "request" and not violation.check.startswith(REQUEST_CHECKS):
                continue  # the cloud's representation rules (Task Owner, links) bind answers
            result.violations.append(_prefixed(violation, where))

    def _check_minor(self, result: ExampleResult, exchange: Exchange, minor: str) -> None:
        try:
            root = safexml.parse(exchange.response_body)
        except PayloadError:
            return
        if root.get("minorErrorCode") != minor:
            result.violations.append(
                error(
                    "example.error",
                    f"minorErrorCode {root.get('minorErrorCode')}, documented {minor}",
                )
            )

    def _watch_task(
        self,
        result: ExampleResult,
        nav: Navigator,
        exchange: Exchange,
        expected: str,
        example: Example,
    ) -> None:
        href = task_href(exchange)
        if href is None:
            result.violations.append(error("example.root", "the answer carries no Task to follow"))
            return
        task_watch = watch(
            nav.client,
            href,
            timeout=self.target.task_timeout,
            first_delay=self.target.poll_delay,
            sleep=self.sleep,
        )
        result.tasks.append(task_watch.to_dict())
        skip = set(example.skip_checks)
        for violation in task_watch.violations(expected):
            if violation.check not in skip:
                result.violations.append(violation)
        req = example.request
        if req.at in ACTION_OWNERS and req.target.kind == "link" and req.method == "POST":
            # An action posted to an entity's link is tracked by a Task owned by that entity.
            owner = next((o.snapshot.owner_href for o in task_watch.observations), None)
            entity = nav.doc(req.at).href
            if owner is not None and _same(owner, entity) is False and "task.owner" not in skip:
                result.violations.append(
                    error(
                        "task.owner",
                        f"the Task of {req.target.rel} on {req.at} is owned by {owner}, "
                        f"not by the entity ({entity})",
                    )
                )

    def _postcondition(
        self, result: ExampleResult, nav: Navigator, then: Then, example: Example
    ) -> None:
        href = nav.known.get(then.at) or nav.doc(then.at).href
        exchange = nav.client.get(href)
        if then.gone:
            if exchange.status not in (403, 404):
                result.violations.append(
                    error(
                        "example.postcondition",
                        f"{then.at} at {href} still answers {exchange.status} after it was deleted",
                    )
                )
            else:  # the refusal itself must be an Error element, never an HTML page
                result.violations.extend(
                    exchange_checks.error_element(
                        exchange.status, exchange.content_type, exchange.response_body, self.version
                    )
                )
            return
        if then.status is not None and exchange.status != then.status:
            result.violations.append(
                error(
                    "example.postcondition",
                    f"GET {then.at} answered {exchange.status}, expected {then.status}",
                )
            )
            return
        if exchange.status != 200:
            result.violations.append(
                error("example.postcondition", f"GET {then.at} answered {exchange.status}")
            )
            return
        self._judge_payload(
            result,
            exchange.response_body,
            exchange.content_type,
            example,
            where=f"{then.at} afterwards",
        )
        try:
            root = safexml.parse(exchange.response_body)
        except PayloadError:
            return  # reported by the xml.* checks just above
        for name, wanted in then.attributes:
            actual = root.get(name)
            if actual != wanted:
                result.violations.append(
                    error(
                        "example.postcondition", f"{then.at} {name}={actual!r}, expected {wanted!r}"
                    )
                )
        for rel in then.link_present:
            if find_link(root, rel) is None:
                result.violations.append(
                    error("example.postcondition", f"{then.at} offers no {rel} link afterwards")
                )
        for rel in then.link_absent:
            if find_link(root, rel) is not None:
                result.violations.append(
                    error(
                        "example.postcondition", f"{then.at} still offers a {rel} link afterwards"
                    )
                )

    def _record(self, exchange: Exchange) -> ExchangeRecord:
        red = self.redactor
        return ExchangeRecord(
            method=exchange.method,
            url=red.url(exchange.url),
            status=exchange.status,
            request_type=exchange.request_headers.get("Content-Type"),
            request_body=excerpt(red.body(exchange.request_body)),
            response_type=exchange.content_type or None,
            response_body=excerpt(red.body(exchange.response_body, exchange.content_type)),
            elapsed=round(exchange.elapsed, 4),
        )


def _prefixed(violation: Violation, where: str) -> Violation:
    return Violation(
        violation.check,
        violation.severity,
        f"{where}: {violation.message}",
        violation.line,
        violation.path,
    )
