"""One payload under check: its bytes, Content-Type and API version, parsed once."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from . import safexml
from .errors import PayloadError
from .mediatypes import MediaType
from .versions import ApiVersion, version_from_media_type


@dataclass
class Payload:
    """A request or response body with what is known about it.

    ``media_type`` is the Content-Type value: ``None`` when unknown (a file on
    disk), ``""`` when an HTTP message had no Content-Type header at all.
    """

    body: bytes
    media_type: str | None = None
    api_version: ApiVersion | None = None
    source: str = "-"
    max_bytes: int = safexml.MAX_BYTES
    _root: etree._Element | None = field(default=None, init=False, repr=False)
    _problem: PayloadError | None = field(default=None, init=False, repr=False)
    _parsed: bool = field(default=False, init=False, repr=False)

    @property
    def parsed_media_type(self) -> MediaType | None:
        return MediaType.parse(self.media_type) if self.media_type else None

    @property
    def version(self) -> ApiVersion | None:
        """The API version to judge by: explicit, else the Content-Type's ``version=``."""
        return self.api_version or version_from_media_type(self.media_type)

    @property
    def is_json(self) -> bool:
        mt = self.parsed_media_type
        if mt is not None:
            return mt.is_json
        return self.body.lstrip()[:1] in (b"{", b"[")

    def _parse(self) -> None:
        if self._parsed:
            return
        self._parsed = True
        try:
            self._root = safexml.parse(self.body, max_bytes=self.max_bytes)
        except PayloadError as exc:
            self._problem = exc

    @property
    def root(self) -> etree._Element | None:
        """The parsed document element, or None if the payload did not parse."""
        self._parse()
        return self._root

    @property
    def problem(self) -> PayloadError | None:
        self._parse()
        return self._problem
