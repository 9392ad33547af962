"""The query service: GET /api/query (QueryList) and typed queries in three formats."""

from __future__ import annotations

from urllib.parse import urlencode

from lxml import etree
from starlette.responses import Response

from ...mediatypes import VCLOUD_NS
from ..cloud import CloudError
from ..http import Call, xml
from ..querying import RECORD_MEDIA, TYPES, _clauses, matches, metadata_fields
from ..render import entities
from ..render.common import XSI_NS, V, link, mt, text, urn

FORMATS = ("references", "records", "idrecords")
MAX_PAGE_SIZE = 128


def query(call: Call) -> Response:
    params = call.request.query_params
    view = call.view
    available = [
        t.name
        for t in TYPES.values()
        if (t.since is None or view.at_least(t.since)) and (view.is_system or not t.system_only)
    ]
    query_type = params.get("type")
    if not query_type:
        return xml(call, entities.query_list(view, available))
    if query_type not in available:
        raise CloudError(
            400,
            "BAD_REQUEST",
            f"Unknown query type {query_type!r}; valid types: {', '.join(available)}.",
        )
    fmt = params.get("format", "records")
    if fmt not in FORMATS:
        raise CloudError(
            400, "BAD_REQUEST", f"Unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}."
        )
    try:
        page = int(params.get("page", "1"))
        page_size = int(params.get("pageSize", "25"))
    except ValueError:
        raise CloudError(400, "BAD_REQUEST", "page and pageSize must be integers.") from None
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CloudError(400, "BAD_REQUEST", f"page must be >= 1 and pageSize 1..{MAX_PAGE_SIZE}.")
    qtype = TYPES[query_type]
    clauses = _clauses(params.get("filter", ""), params.get("filterEncoded", "false") == "true")
    wants_metadata = "metadata" in params.get("filter", "") + params.get("fields", "")
    rows = []
    for ident, path, row in qtype.rows(call.cloud, view.org_id, view.is_system, view.base):
        meta = metadata_fields(call.cloud, query_type, ident) if wants_metadata else {}
        if matches({**row, **{k: e["value"] for k, e in meta.items()}}, ident, clauses):
            rows.append((ident, path, row))
    sort_asc, sort_desc = params.get("sortAsc"), params.get("sortDesc")
    if sort_asc or sort_desc:
        key = sort_asc or sort_desc or ""
        rows.sort(key=lambda r: r[2].get(key, ""), reverse=bool(sort_desc))
    total = len(rows)
    chosen = rows[(page - 1) * page_size : page * page_size]
    if page > 1 and not chosen:
        raise CloudError(400, "BAD_REQUEST", f"page {page} is past the last page of results.")

    def page_href(number: int, fmt_: str = fmt) -> str:
        query = {k: v for k, v in params.items() if k not in ("page", "format")}
        query.update({"page": str(number), "pageSize": str(page_size), "format": fmt_})
        return view.url("query?" + urlencode(query))

    media = mt(f"query.{fmt}")
    if fmt == "references":
        root = V.References(
            {
                "href": page_href(page),
                "type": media,
                "name": query_type,
                "page": str(page),
                "pageSize": str(page_size),
                "total": str(total),
            }
        )
    else:
        root = V.QueryResultRecords(
            {
                "href": page_href(page),
                "type": media,
                "name": query_type,
                "page": str(page),
                "pageSize": str(page_size),
                "total": str(total),
            }
        )
    last = max(1, (total + page_size - 1) // page_size)
    if page > 1:
        root.append(link("firstPage", page_href(1), media))
        root.append(link("previousPage", page_href(page - 1), media))
    if page < last:
        root.append(link("nextPage", page_href(page + 1), media))
        root.append(link("lastPage", page_href(last), media))
    for other in FORMATS:
        if other != fmt:
            root.append(link("alternate", page_href(page, other), mt(f"query.{other}")))
    fields = [f.strip() for f in params.get("fields", "").split(",") if f.strip()]
    index = call.cloud.registry.index
    for ident, path, row in chosen:
        href = view.url(path)
        if fmt == "references":
            tag = (
                qtype.reference
                if f"{{{VCLOUD_NS}}}{qtype.reference}" in index.element_types
                else "Reference"
            )
            attrs = {"href": href, "type": RECORD_MEDIA[query_type], "name": row.get("name", ident)}
            etree.SubElement(root, f"{{{VCLOUD_NS}}}{tag}", attrs)
        else:
            shown = {k: v for k, v in row.items() if not fields or k in fields}
            attrs = {"href": href, **shown}
            if fmt == "idrecords":
                attrs["id"] = urn(query_type.lower(), ident)
            record = etree.SubElement(root, f"{{{VCLOUD_NS}}}{qtype.record}", attrs)
            _record_metadata(record, call, query_type, ident, fields)
    return xml(call, root)


def _record_metadata(
    record: etree._Element, call: Call, query_type: str, ident: str, fields: list[str]
) -> None:
    """The metadata a ``fields=metadata:KEY`` list asks for, as the record's Metadata (5.1+)."""
    asked = [f for f in fields if f.startswith("metadata")]
    if not asked or not call.view.at_least("5.1"):
        return
    entries = metadata_fields(call.cloud, query_type, ident)
    found = [entries[f] for f in asked if f in entries]
    if not found:
        return
    metadata = etree.SubElement(record, f"{{{VCLOUD_NS}}}Metadata")
    for entry in found:
        item = etree.SubElement(metadata, f"{{{VCLOUD_NS}}}MetadataEntry")
        if entry.get("domain"):
            visibility = entry.get("visibility", "READWRITE")
            item.append(V.Domain(entry["domain"], {"visibility": visibility}))
        item.append(text("Key", entry["key"]))
        typed = V.TypedValue({f"{{{XSI_NS}}}type": entry.get("type", "MetadataStringValue")})
        typed.append(text("Value", entry["value"]))
        item.append(typed)
