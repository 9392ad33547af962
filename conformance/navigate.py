"""Reaching documents the way the Programming Guide teaches: by following links.

Only ``GET /api/versions`` (and the LoginUrl it lists) is a known URL; every
other document is reached from the Session through Link elements and
references. A missing link is a conformance finding, reported with what the
document did offer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from lxml import etree

from . import safexml
from .client import Exchange, VcdClient
from .errors import ConformanceError, PayloadError
from .examples import Step
from .mediatypes import VCLOUD_NS, VERSIONS_NS

if TYPE_CHECKING:
    from .target import Target

_V = f"{{{VCLOUD_NS}}}"


class NavigationError(ConformanceError):
    """A documented link or reference was not where the guide says it is."""

    def __init__(self, message: str, exchange: Exchange | None = None) -> None:
        self.exchange = exchange
        super().__init__(message)


@dataclass
class Doc:
    """A fetched representation: where it came from and its parsed root."""

    href: str
    root: etree._Element
    exchange: Exchange

    @property
    def name(self) -> str:
        return self.root.get("name") or etree.QName(self.root).localname


def parse(exchange: Exchange) -> etree._Element:
    try:
        return safexml.parse(exchange.response_body)
    except PayloadError as exc:
        raise NavigationError(
            f"{exchange.method} {exchange.url} answered a body that is not usable XML ({exc})",
            exchange,
        ) from None


def links(root: etree._Element) -> list[etree._Element]:
    return list(root.iterfind(f"{_V}Link"))


def find_link(
    root: etree._Element,
    rel: str,
    media_type: str | None = None,
    name: str | None = None,
    suffix: str | None = None,
) -> etree._Element | None:
    for el in links(root):
        if el.get("rel") != rel:
            continue
        if media_type is not None and (el.get("type") or "").split(";")[0] != media_type:
            continue
        if name is not None and el.get("name") != name:
            continue
        if suffix is not None and not (el.get("href") or "").split("?")[0].endswith(suffix):
            continue
        return el
    return None


def _children(root: etree._Element, path: str) -> list[etree._Element]:
    nodes = [root]
    for part in path.split("/"):
        local = part.split(":")[-1]
        nodes = [
            c
            for n in nodes
            for c in n
            if isinstance(c.tag, str) and etree.QName(c).localname == local
        ]
    return nodes


class Navigator:
    """Fetches and caches the documents of one example, by anchor name."""

    def __init__(self, client: VcdClient, target: Target, role: str, session: Exchange) -> None:
        self.client = client
        self.target = target
        self.role = role
        self.docs: dict[str, Doc] = {}
        #: hrefs of objects the fixtures created, by anchor name (vapp, task, ...).
        self.known: dict[str, str] = {}
        root = parse(session)
        # the login answer came from the LoginUrl; the Session itself lives at its href
        self.docs["session"] = Doc(root.get("href") or session.url, root, session)

    # -- generic steps -------------------------------------------------------------------------
    def get(self, href: str) -> Doc:
        exchange = self.client.get(href)
        if exchange.status != 200:
            raise NavigationError(f"GET {href} answered {exchange.status}, expected 200", exchange)
        return Doc(href, parse(exchange), exchange)

    def href_of(self, doc: Doc, step: Step) -> str:
        """The URL a step points at, without fetching it."""
        if step.kind == "self":
            return doc.href
        if step.kind == "login-url":
            return self._login_url(doc)
        if step.kind == "link":
            found = find_link(doc.root, step.rel or "", step.type, step.name, step.suffix)
            if found is not None and found.get("href") and step.query:
                href = found.get("href", "")
                return href + ("&" if "?" in href else "?") + urlencode(step.query)
            if found is None or not found.get("href"):
                offered = (
                    ", ".join(
                        sorted(
                            {
                                f"{el.get('rel')}"
                                + (f" ({el.get('type')})" if el.get("type") else "")
                                for el in links(doc.root)
                            }
                        )
                    )
                    or "none"
                )
                raise NavigationError(
                    f"{doc.name} at {doc.href} has no {step.describe()}; it offers: {offered}",
                    doc.exchange,
                )
            return found.get("href", "")
        nodes = _children(doc.root, step.path or "")
        if step.name is not None:
            nodes = [n for n in nodes if n.get("name") == step.name]
        for node in nodes:
            href = node.get("href") or node.get(f"{_V}href")
            if href:
                return href
        raise NavigationError(
            f"{doc.name} at {doc.href} has no {step.describe()} with an href", doc.exchange
        )

    def _login_url(self, doc: Doc) -> str:
        """The LoginUrl the versions document lists for the negotiated version."""
        ns = f"{{{VERSIONS_NS}}}"
        for info in doc.root.iter(f"{ns}VersionInfo"):
            if (info.findtext(f"{ns}Version") or "").strip() == str(self.client.version):
                login = (info.findtext(f"{ns}LoginUrl") or "").strip()
                if login:
                    return login
        raise NavigationError(
            f"{doc.href} lists no LoginUrl for API {self.client.version}", doc.exchange
        )

    def follow(self, doc: Doc, step: Step) -> Doc:
        return doc if step.kind == "self" else self.get(self.href_of(doc, step))

    # -- anchors -----------------------------------------------------------------------------------
    def doc(self, anchor: str) -> Doc:
        if anchor not in self.docs:
            self.docs[anchor] = self._reach(anchor)
        return self.docs[anchor]

    def refresh(self, anchor: str) -> Doc:
        self.docs.pop(anchor, None)
        return self.doc(anchor)

    def _via(self, anchor: str, *steps: Step) -> Doc:
        doc = self.doc(anchor)
        for step in steps:
            doc = self.follow(doc, step)
        return doc

    def _query_or_link(
        self, anchor: str, media_type: str, query_word: str, name: str | None
    ) -> Doc:
        """A Link of this type, or (API 33+) the query-records link that lists such objects."""
        doc = self.doc(anchor)
        candidates = [
            el
            for el in links(doc.root)
            if el.get("rel") == "down" and (el.get("type") or "") == media_type
        ]
        if name is not None:
            named = [el for el in candidates if el.get("name") == name]
            candidates = named or candidates
        if candidates:
            return self.get(candidates[0].get("href", ""))
        for el in links(doc.root):
            if (
                el.get("rel") == "down"
                and "query.records" in (el.get("type") or "")
                and query_word.lower() in (el.get("href") or "").lower()
            ):
                records = self.get(el.get("href", ""))
                rows = [
                    r for r in records.root if etree.QName(r).localname != "Link" and r.get("href")
                ]
                if name is not None:
                    rows = [r for r in rows if r.get("name") == name] or rows
                if rows:
                    return self.get(rows[0].get("href", ""))
        raise NavigationError(
            f"{doc.name} at {doc.href} links to no {media_type} "
            f"(neither directly nor through a query-records link)",
            doc.exchange,
        )

    def _reach(self, anchor: str) -> Doc:
        t = self.target
        mt = "application/vnd.vmware.vcloud.{}+xml".format
        admin = "application/vnd.vmware.admin.{}+xml".format
        if anchor in self.known:
            return self.get(self.known[anchor])
        if anchor == "versions":
            return self.get(f"{self.client.api}/versions")
        if anchor == "orglist":
            return self._via("session", Step("link", rel="down", type=mt("orgList")))
        if anchor == "org":
            return self._via("orglist", Step("child", path="Org", name=t.org))
        if anchor == "vdc":
            return self._query_or_link("org", mt("vdc"), "vdc", t.vdc)
        if anchor == "catalog":
            return self._query_or_link("org", mt("catalog"), "catalog", t.catalog)
        if anchor == "catalog-item":
            return self._via(
                "catalog", Step("child", path="CatalogItems/CatalogItem", name=t.template)
            )
        if anchor == "template":
            return self._via("catalog-item", Step("child", path="Entity"))
        if anchor == "template-vm":
            return self._via("template", Step("child", path="Children/Vm"))
        if anchor == "eula-item":
            return self._via(
                "catalog", Step("child", path="CatalogItems/CatalogItem", name=t.eula_template)
            )
        if anchor == "eula-template":
            return self._via("eula-item", Step("child", path="Entity"))
        if anchor == "media-item":
            catalog = self.doc("catalog")
            for ref in _children(catalog.root, "CatalogItems/CatalogItem"):
                item = self.get(ref.get("href", ""))
                entity = item.root.find(f"{_V}Entity")
                if entity is not None and "media" in (entity.get("type") or ""):
                    return item
            raise NavigationError(f"catalog {catalog.name} holds no media item", catalog.exchange)
        if anchor == "media":
            return self._via("media-item", Step("child", path="Entity"))
        if anchor == "network":
            doc = self.doc("org")
            for kind in (mt("orgVdcNetwork"), mt("orgNetwork")):
                found = find_link(doc.root, "down", kind)
                if found is not None:
                    return self.get(found.get("href", ""))
            return self._query_or_link("org", mt("orgVdcNetwork"), "orgVdcNetwork", None)
        if anchor == "query-list":
            return self._via("session", Step("link", rel="down", type=mt("query.queryList")))
        if anchor == "tasks-list":
            return self._via("org", Step("link", rel="down", type=mt("tasksList")))
        if anchor == "admin":
            return self._via("session", Step("link", rel="down", type=admin("vcloud")))
        if anchor == "admin-org":
            session = self.doc("session").root
            if find_link(session, "down", admin("vcloud")) is None:
                # an organization administrator has no VCloud view: the Org links to
                # its administrative view (rel=alternate)
                return self._via("org", Step("link", rel="alternate", type=admin("organization")))
            return self._via(
                "admin",
                Step("child", path="OrganizationReferences/OrganizationReference", name=t.org),
            )
        if anchor == "admin-vdc":
            return self._via("admin-org", Step("child", path="Vdcs/Vdc"))
        if anchor == "admin-catalog":
            return self._via(
                "admin-org", Step("child", path="Catalogs/CatalogReference", name=t.catalog)
            )
        if anchor == "user":
            return self._via("admin-org", Step("child", path="Users/UserReference", name=t.user))
        if anchor == "role":
            return self._via("admin", Step("child", path="RoleReferences/RoleReference"))
        if anchor == "right":
            return self._via("admin", Step("child", path="RightReferences/RightReference"))
        if anchor == "provider-vdc":
            return self._via(
                "admin", Step("child", path="ProviderVdcReferences/ProviderVdcReference")
            )
        if anchor == "provider-storage-profile":
            return self._via(
                "provider-vdc", Step("child", path="StorageProfiles/ProviderVdcStorageProfile")
            )
        if anchor == "extension":
            return self._via("session", Step("link", rel="down", type=admin("vmwExtension")))
        if anchor == "blocking-settings":
            return self._via(
                "extension", Step("link", rel="down", type=admin("blockingTaskSettings"))
            )
        if anchor == "vm":
            return self._via("vapp", Step("child", path="Children/Vm"))
        if anchor == "vapp-initial":  # no state change happened: the current vApp is initial
            return self.doc("vapp")
        raise NavigationError(f"no fixture of this example provides {anchor!r}")


@dataclass
class Cleanup:
    """What an example created, to remove in reverse order whatever happens."""

    items: list[tuple[str, str]] = field(default_factory=list)  # (kind, href)

    def add(self, kind: str, href: str) -> None:
        self.items.append((kind, href))
