"""Safe XML parsing: no entity expansion, no DTD or network loads, a size cap.

vCloud API payloads never carry a DOCTYPE, so any DTD is refused outright: that
covers XXE file reads, external DTDs, parameter entities and billion laughs.
"""

from __future__ import annotations

from lxml import etree

from .errors import PayloadError

#: Default cap on a payload's size. The largest real vCloud payloads (big query
#: pages, OVF descriptors) stay well under it.
MAX_BYTES = 16 * 1024 * 1024

WELLFORMED = "xml.wellformed"
SAFE = "xml.safe"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
    )


_PARSER = _parser()


def parse(data: bytes, *, max_bytes: int = MAX_BYTES) -> etree._Element:
    """Parse one payload; raise :class:`PayloadError` with the check id that fails."""
    if len(data) > max_bytes:
        raise PayloadError(
            SAFE,
            f"payload is {len(data):,} bytes, over the {max_bytes:,}-byte cap; not parsed",
        )
    if not data.strip():
        raise PayloadError(WELLFORMED, "empty body where an XML document was expected", 1)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or exc)
        if "entity" in message.lower() or b"<!DOCTYPE" in data[:4096]:
            raise PayloadError(SAFE, f"refused: {message}", exc.lineno) from None
        raise PayloadError(WELLFORMED, f"not well-formed XML: {message}", exc.lineno) from None
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise PayloadError(WELLFORMED, f"not well-formed XML: {exc}", 1) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.system_url:
        what = f"external DTD {docinfo.system_url!r}" if docinfo.system_url else "a DTD"
        raise PayloadError(
            SAFE,
            f"refused: document declares {what}; vCloud API payloads never carry a "
            "DOCTYPE (entity declarations are how XXE and billion-laughs attacks work)",
            1,
        )
    return root


def parse_schema_file(path: str) -> etree._ElementTree:
    """Parse an XSD file of the bundle with the same safe parser."""
    return etree.parse(path, _parser())
