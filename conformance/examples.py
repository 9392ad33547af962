"""The example catalogue: the Programming Guide's documented requests, as data.

Each area file under ``conformance/catalogue/`` lists examples. An example says
how to reach its URL by following links from a named starting document (never
a hard-coded path where a link exists), what to send, and what the documented
answer is. :func:`load` validates every file and reports problems by file and
example id.

An example's keys: ``id`` (``<area>.<name>``, stable), ``title``, ``section`` (of
the guide), ``versions`` (``all``, a list, or ``>=5.1`` / ``<5.5``), ``as``
(``tenant`` or ``system``), ``given`` (fixtures), ``request`` and ``expect``.

``request``: ``at`` (an anchor), ``follow`` (steps), ``target`` (the last step),
``method``, ``body`` with ``content_type`` (placeholders ``{{name}}``,
``{{href:ANCHOR}}``, ``{{attr-name:ANCHOR}}``, ``{{secret}}`` ...), ``query``
(parameters added to the URL; placeholders allowed), ``auth`` (``session``,
``basic`` to log in, ``wrong-password``, ``none``) and ``accept`` (an Accept
header instead of the negotiated one).

``expect``: ``status`` (one or a list), ``root``, ``media_type``, ``task`` (how
the answered Task ends), ``error`` (minorErrorCode), ``created`` (the kind of
object the request creates: the runner removes it afterwards) and ``then``
(postconditions re-read at an anchor: ``attributes``, ``link_present``,
``link_absent``, ``gone``, ``status``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import UsageError
from .versions import ApiVersion

#: The API versions the catalogue is written for: the guide's and a modern one.
SUITE_VERSIONS: tuple[ApiVersion, ...] = tuple(
    ApiVersion.parse(v) for v in ("1.5", "5.1", "5.5", "36.0")
)

AREAS = (
    "browsing",
    "provisioning",
    "vapp",
    "config",
    "admin",
    "metadata",
    "query",
    "tasks",
    "blocking",
    "extension",
)

#: Documents an example can start from; see ``navigate.ANCHORS`` for how each is reached.
ANCHORS = frozenset(
    {
        "versions",
        "session",
        "orglist",
        "org",
        "vdc",
        "catalog",
        "catalog-item",
        "template",
        "template-vm",
        "eula-item",
        "eula-template",
        "media-item",
        "media",
        "network",
        "query-list",
        "tasks-list",
        "admin",
        "admin-org",
        "admin-vdc",
        "admin-catalog",
        "extension",
        "blocking-settings",
        "vapp",
        "vm",
        "vapp2",
        "task",
        "blocking-task",
        "own-catalog",
        "own-user",
        "own-org",
        "own-item",
        "metadata",
        "user",
        "role",
        # the vApp as its fixture first read it, before changing its state: its action
        # links are stale afterwards (the refusal examples post to them)
        "vapp-initial",
        "own-template",
        "own-media",
        "own-disk",
        "own-group",
        "own-role",
        "right",
        "provider-vdc",
        "provider-storage-profile",
        "own-vdc",
        "own-network",
    }
)

#: Preconditions the runner can create (and always removes afterwards).
FIXTURES = frozenset(
    {
        "blocked-task-timeout",
        "vapp-off",
        "vapp-deployed",
        "vapp-on",
        "vapp-suspended",
        "vapp-snapshot",
        "vapp2-off",
        "running-task",
        "blocked-task",
        "blocking-settings",
        "own-catalog",
        "own-item",
        "own-user",
        "own-org",
        "vapp-metadata",
        "extension-task",
        "own-org-disabled",
        "own-template",
        "own-media",
        "own-disk",
        "disk-attached",
        "vapp-media",
        "own-group",
        "own-role",
        "template-downloadable",
        "amqp-settings",
        "notifications-settings",
        "own-vdc",
        "own-vdc-disabled",
        "own-network",
    }
)

#: How a request authenticates: the example's session (default), the role's Basic
#: credentials without a session (logging in), a wrong password, or nothing at all.
AUTH_MODES = frozenset({"session", "basic", "wrong-password", "none"})

#: What an example's own request creates, so that the runner removes it afterwards:
#: the answer's root (201 entity) or, for a Task answer, the Task's Owner.
CREATED_KINDS = frozenset(
    {
        "vapp",
        "template",
        "media",
        "catalog",
        "catalog-item",
        "user",
        "group",
        "role",
        "org",
        "disk",
        "network",
        "vdc",
        "extension-task",
    }
)

#: Multi-request behaviour checks an example may run instead of one request.
PROBE_NAMES = frozenset(
    {"follow-links", "negotiation", "logout", "busy", "cancel", "listed", "blocking-timeout"}
)

TASK_OUTCOMES = frozenset({"success", "error", "aborted", "any"})
_PLACEHOLDER = re.compile(r"\{\{\s*([\w-]+)(?::([\w-]+))?\s*\}\}")
PLACEHOLDERS = frozenset(
    {"name", "href", "attr-name", "secret", "run", "version", "org-name", "user-name"}
)


@dataclass(frozen=True)
class Step:
    """One navigation step: follow a Link, a child element's href, or stay (``self``).

    ``login-url`` is the LoginUrl that the versions document lists for the
    negotiated version. A link step can also pick by the Link's ``name`` (the
    QueryList names its links after the query type), by the end of its href
    (``suffix``: the disks, media and networkCards lists of a
    VirtualHardwareSection share rel and type), and add query parameters to the
    href it follows (``query``: a page size, a filter).
    """

    kind: str  # "link" | "child" | "self" | "login-url"
    rel: str | None = None
    type: str | None = None
    path: str | None = None
    name: str | None = None
    suffix: str | None = None
    query: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        if self.kind == "link":
            return (
                f"link rel={self.rel}"
                + (f" type={self.type}" if self.type else "")
                + (f" name={self.name}" if self.name else "")
                + (f" href=...{self.suffix}" if self.suffix else "")
            )
        if self.kind == "child":
            return f"child {self.path}" + (f"[name={self.name}]" if self.name else "")
        return self.kind


@dataclass(frozen=True)
class Request:
    at: str
    follow: tuple[Step, ...] = ()
    target: Step = Step("self")
    method: str = "GET"
    body: str | None = None
    content_type: str | None = None
    query: tuple[tuple[str, str], ...] = ()
    #: A named multi-request behaviour check (``probes.PROBES``) run at ``at``.
    probe: str | None = None
    #: How the request authenticates (``AUTH_MODES``).
    auth: str = "session"
    #: An Accept header sent instead of the negotiated one (the 406 refusal).
    accept: str | None = None
    #: The body is broken on purpose (a refusal example): not judged, must not validate.
    invalid_body: bool = False


@dataclass(frozen=True)
class Then:
    """A postcondition: after the request (and its task), re-read ``at`` and compare."""

    at: str
    attributes: tuple[tuple[str, str], ...] = ()
    link_present: tuple[str, ...] = ()
    link_absent: tuple[str, ...] = ()
    gone: bool = False
    status: int | None = None


@dataclass(frozen=True)
class Expect:
    status: tuple[int, ...] = (200,)
    root: str | None = None
    media_type: str | None = None
    task: str | None = None
    then: tuple[Then, ...] = ()
    error_minor: str | None = None
    created: str | None = None


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    area: str
    chapter: str
    section: str
    versions: tuple[ApiVersion, ...]
    request: Request
    expect: Expect
    role: str = "tenant"
    given: tuple[str, ...] = ()
    destructive: bool = False
    skip_checks: tuple[str, ...] = ()
    notes: str = ""
    source: str = ""
    #: False for the few documents outside version negotiation (GET /api/versions):
    #: they are judged against the published schema, not the negotiated version.
    versioned: bool = True

    def applies_to(self, version: ApiVersion) -> bool:
        return version in self.versions

    @property
    def placeholders(self) -> set[tuple[str, str | None]]:
        return {(m.group(1), m.group(2)) for m in _PLACEHOLDER.finditer(self.request.body or "")}


class CatalogueError(UsageError):
    """A malformed catalogue file; the message names the file, the example and the key."""


def _versions(raw: Any, where: str) -> tuple[ApiVersion, ...]:
    if raw in (None, "all"):
        return SUITE_VERSIONS
    if isinstance(raw, str):
        match = re.fullmatch(r"\s*(>=|<=|<|>)\s*([\d.]+)\s*", raw)
        if not match:
            raise CatalogueError(f"{where}: versions {raw!r}: use all, a list, or >=X / <X")
        op, bound = match.group(1), ApiVersion.parse(match.group(2))
        tests = {
            ">=": lambda v: v >= bound,
            "<=": lambda v: v <= bound,
            "<": lambda v: v < bound,
            ">": lambda v: v > bound,
        }
        return tuple(v for v in SUITE_VERSIONS if tests[op](v))
    if isinstance(raw, list):
        out = tuple(ApiVersion.parse(str(v)) for v in raw)
        unknown = [str(v) for v in out if v not in SUITE_VERSIONS]
        if unknown:
            raise CatalogueError(
                f"{where}: versions {unknown} are not suite versions "
                f"({', '.join(map(str, SUITE_VERSIONS))})"
            )
        return out
    raise CatalogueError(f"{where}: versions must be all, a list or a range, got {raw!r}")


def _step(raw: Any, where: str) -> Step:
    if raw == "self" or raw is None:
        return Step("self")
    if raw == "login-url":
        return Step("login-url")
    if isinstance(raw, dict) and len(raw) == 1:
        ((kind, value),) = raw.items()
        if kind == "link":
            if isinstance(value, str):
                return Step("link", rel=value)
            if isinstance(value, dict) and "rel" in value:
                _only(value, {"rel", "type", "name", "suffix", "query"}, f"{where}: link")
                return Step(
                    "link",
                    rel=value["rel"],
                    type=value.get("type"),
                    name=value.get("name"),
                    suffix=value.get("suffix"),
                    query=tuple((str(k), str(v)) for k, v in (value.get("query") or {}).items()),
                )
        if kind == "child":
            if isinstance(value, str):
                return Step("child", path=value)
            if isinstance(value, dict) and "path" in value:
                _only(value, {"path", "name"}, f"{where}: child")
                return Step("child", path=value["path"], name=value.get("name"))
    raise CatalogueError(
        f"{where}: a step is self, login-url, {{link: REL}}, "
        f"{{link: {{rel, type, name, suffix, query}}}}, "
        f"{{child: PATH}} or {{child: {{path, name}}}}; got {raw!r}"
    )


def _only(data: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise CatalogueError(f"{where}: unknown keys {extra}; allowed: {sorted(allowed)}")


def _example(raw: dict[str, Any], area: str, chapter: str, source: str) -> Example:
    ident = raw.get("id", "?")
    where = f"{source}: example {ident}"
    _only(
        raw,
        {
            "id",
            "title",
            "section",
            "versions",
            "as",
            "given",
            "request",
            "expect",
            "destructive",
            "skip_checks",
            "notes",
            "versioned",
        },
        where,
    )
    for key in ("id", "title", "section", "request", "expect"):
        if key not in raw:
            raise CatalogueError(f"{where}: missing required key {key!r}")
    if not re.fullmatch(rf"{area}\.[a-z0-9][a-z0-9.-]*", ident):
        raise CatalogueError(f"{where}: id must look like {area}.some-name (lower case)")
    req = raw["request"]
    _only(
        req,
        {
            "at",
            "follow",
            "target",
            "method",
            "body",
            "content_type",
            "query",
            "probe",
            "auth",
            "accept",
            "invalid_body",
        },
        f"{where}: request",
    )
    auth = req.get("auth", "session")
    if auth not in AUTH_MODES:
        raise CatalogueError(f"{where}: request.auth {auth!r}; valid: {sorted(AUTH_MODES)}")
    probe = req.get("probe")
    if probe is not None and probe not in PROBE_NAMES:
        raise CatalogueError(f"{where}: probe {probe!r} unknown; valid: {sorted(PROBE_NAMES)}")
    at = req.get("at", "session")
    if at not in ANCHORS:
        raise CatalogueError(
            f"{where}: request.at {at!r} is not an anchor; valid: {sorted(ANCHORS)}"
        )
    method = str(req.get("method", "GET")).upper()
    if method not in ("GET", "POST", "PUT", "DELETE"):
        raise CatalogueError(f"{where}: method {method!r} must be GET, POST, PUT or DELETE")
    body = req.get("body")
    if body is not None and not req.get("content_type"):
        raise CatalogueError(f"{where}: a request body needs content_type")
    query_values = " ".join(str(v) for v in (req.get("query") or {}).values())
    for m in _PLACEHOLDER.finditer((body or "") + " " + query_values):
        if m.group(1) not in PLACEHOLDERS or (
            m.group(1) in ("href", "attr-name") and m.group(2) not in ANCHORS
        ):
            raise CatalogueError(
                f"{where}: placeholder {m.group(0)} unknown; use "
                f"{sorted(PLACEHOLDERS)} (href/attr-name need :ANCHOR)"
            )
    request = Request(
        at=at,
        follow=tuple(_step(s, f"{where}: follow") for s in req.get("follow") or ()),
        target=_step(req.get("target", "self"), f"{where}: target"),
        method=method,
        body=body,
        content_type=req.get("content_type"),
        query=tuple((str(k), str(v)) for k, v in (req.get("query") or {}).items()),
        probe=probe,
        auth=auth,
        accept=req.get("accept"),
        invalid_body=bool(req.get("invalid_body", False)),
    )
    if request.invalid_body and not 400 <= int(raw["expect"].get("status", 400)) < 500:
        raise CatalogueError(f"{where}: a deliberately invalid body documents a 4xx refusal")
    exp = raw["expect"]
    _only(
        exp,
        {"status", "root", "media_type", "task", "then", "error", "created"},
        f"{where}: expect",
    )
    created = exp.get("created")
    if created is not None and created not in CREATED_KINDS:
        raise CatalogueError(f"{where}: expect.created {created!r}; valid: {sorted(CREATED_KINDS)}")
    if created is not None and "{{name" not in (body or ""):
        raise CatalogueError(
            f"{where}: an example that creates an object names it with {{{{name}}}} "
            "(the end-of-run sweep finds vcdc-<run id>-... names)"
        )
    status = exp.get("status", 200)
    statuses = tuple(status) if isinstance(status, list) else (int(status),)
    task = exp.get("task")
    if task is not None and task not in TASK_OUTCOMES:
        raise CatalogueError(f"{where}: expect.task {task!r}; valid: {sorted(TASK_OUTCOMES)}")
    thens = []
    for item in exp.get("then") or ():
        _only(
            item,
            {"at", "attributes", "link_present", "link_absent", "gone", "status"},
            f"{where}: then",
        )
        if item.get("at") not in ANCHORS:
            raise CatalogueError(f"{where}: then.at {item.get('at')!r} is not an anchor")
        thens.append(
            Then(
                at=item["at"],
                attributes=tuple(
                    (k, str(v).lower() if isinstance(v, bool) else str(v))
                    for k, v in (item.get("attributes") or {}).items()
                ),
                link_present=tuple(item.get("link_present") or ()),
                link_absent=tuple(item.get("link_absent") or ()),
                gone=bool(item.get("gone", False)),
                status=item.get("status"),
            )
        )
    given = raw.get("given") or ()
    given = (given,) if isinstance(given, str) else tuple(given)
    unknown = [g for g in given if g not in FIXTURES]
    if unknown:
        raise CatalogueError(f"{where}: given {unknown} unknown; valid: {sorted(FIXTURES)}")
    role = raw.get("as", "tenant")
    if role not in ("tenant", "system"):
        raise CatalogueError(f"{where}: as must be tenant or system")
    destructive = bool(
        raw.get("destructive", method != "GET" or probe in ("busy", "cancel", "logout"))
    )
    if method != "GET" and not destructive:
        raise CatalogueError(f"{where}: a {method} example is destructive by nature")
    return Example(
        id=ident,
        title=raw["title"],
        area=area,
        chapter=chapter,
        section=raw["section"],
        versions=_versions(raw.get("versions"), where),
        request=request,
        expect=Expect(
            statuses,
            exp.get("root"),
            exp.get("media_type"),
            task,
            tuple(thens),
            exp.get("error"),
            created,
        ),
        role=role,
        given=given,
        destructive=destructive,
        skip_checks=tuple(raw.get("skip_checks") or ()),
        notes=raw.get("notes", ""),
        source=source,
        versioned=bool(raw.get("versioned", True)),
    )


def load_file(path: Path | str, text: str | None = None) -> list[Example]:
    source = Path(path).name
    try:
        data = yaml.safe_load(text if text is not None else Path(path).read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or "examples" not in data:
        raise CatalogueError(f"{source}: expected a mapping with area, chapter and examples")
    area = data.get("area")
    if area not in AREAS:
        raise CatalogueError(f"{source}: area {area!r}; valid areas: {', '.join(AREAS)}")
    return [_example(raw, area, data.get("chapter", ""), source) for raw in data["examples"] or ()]


@cache
def load() -> tuple[Example, ...]:
    """Every example of the packaged catalogue, validated; ids are unique."""
    folder = resources.files("conformance") / "catalogue"
    examples: list[Example] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            examples.extend(load_file(entry.name, entry.read_text("utf-8")))
    seen: dict[str, str] = {}
    for ex in examples:
        if ex.id in seen:
            raise CatalogueError(f"example id {ex.id} appears in {seen[ex.id]} and {ex.source}")
        seen[ex.id] = ex.source
    return tuple(examples)


def by_id(ident: str) -> Example:
    for ex in load():
        if ex.id == ident:
            return ex
    raise CatalogueError(f"no example {ident!r}")


@dataclass
class Catalogue:
    """Helpers over the loaded catalogue (coverage, selection)."""

    examples: tuple[Example, ...] = field(default_factory=load)

    def for_version(self, version: ApiVersion) -> list[Example]:
        return [e for e in self.examples if e.applies_to(version)]

    def areas(self) -> dict[str, list[Example]]:
        out: dict[str, list[Example]] = {a: [] for a in AREAS}
        for ex in self.examples:
            out[ex.area].append(ex)
        return out
