"""``schemas fetch``: download a live cloud's own XSDs into ``xsd/<host>/``.

Starts at ``<api>/v1.5/schema/master.xsd`` and follows every ``schemaLocation``
on the same origin. Imports of other origins (DMTF, W3C) are not downloaded:
the registry resolves them offline through an XML catalog.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlparse

import httpx

from . import bundle as bundle_mod
from .errors import FetchError, PayloadError
from .safexml import MAX_BYTES, parse

_XS = "{http://www.w3.org/2001/XMLSchema}"
MAX_FILES = 500


def api_root(url: str) -> str:
    """``https://host`` or ``https://host/api/`` -> ``https://host/api``."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise FetchError(f"not an http(s) URL: {url!r} (example: https://vcloud.example.com/api)")
    path = parsed.path.rstrip("/")
    if not path.endswith("/api"):
        path = f"{path}/api"
    return f"{parsed.scheme}://{parsed.netloc}{path}"


def host_folder(url: str) -> str:
    netloc = urlparse(url).netloc
    return re.sub(r"[^A-Za-z0-9._-]", "_", netloc)


def _local_name(url: str, base: str) -> PurePosixPath:
    path = urlparse(url).path
    base_path = urlparse(base).path
    rel = path[len(base_path) :] if path.startswith(base_path) else "_other/" + path.lstrip("/")
    parts = [p for p in PurePosixPath(rel).parts if p not in ("", ".", "..", "/")]
    if not parts:
        raise FetchError(f"cannot store {url}: empty file name")
    return PurePosixPath(*[re.sub(r"[^A-Za-z0-9._-]", "_", p) for p in parts])


def _common_folder(entry_url: str, urls: Iterable[str]) -> str:
    """The URL of the deepest folder that holds every one of ``urls``."""
    folders = [posixpath.dirname(urlparse(u).path) or "/" for u in urls]
    common = posixpath.commonpath(folders).rstrip("/")
    parsed = urlparse(entry_url)
    return f"{parsed.scheme}://{parsed.netloc}{common}/"


def fetch(
    url: str,
    dest_root: Path,
    *,
    timeout: float = 30.0,
    verify: bool = True,
    client: httpx.Client | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Download the cloud's schemas; return the bundle folder (``dest_root/<host>``)."""
    start = f"{api_root(url)}/v1.5/schema/master.xsd"
    own = client is None
    http = client or httpx.Client(timeout=timeout, verify=verify, follow_redirects=True)
    dest = dest_root / host_folder(start)
    try:
        entry_url, first = _get(http, start)
        origin = urlparse(entry_url).netloc
        queue: list[tuple[str, bytes | None]] = [(entry_url, first)]
        bodies: dict[str, bytes] = {}
        foreign: set[str] = set()
        while queue:
            current, body = queue.pop()
            if current in bodies:
                continue
            if len(bodies) >= MAX_FILES:
                raise FetchError(f"more than {MAX_FILES} schema files from {start}; stopped")
            if body is None:
                _final, body = _get(http, current)
            try:
                root = parse(body)
            except PayloadError as exc:
                raise FetchError(f"{current} is not a usable XSD: {exc}") from None
            bodies[current] = body
            for ref in root.iter(f"{_XS}include", f"{_XS}import", f"{_XS}redefine"):
                location = ref.get("schemaLocation")
                if not location:
                    continue
                absolute = urljoin(current, location)
                if urlparse(absolute).netloc != origin:
                    foreign.add(absolute)
                elif absolute not in bodies:
                    queue.append((absolute, None))
    except httpx.HTTPError as exc:
        raise FetchError(f"could not download schemas from {start}: {exc}") from None
    finally:
        if own:
            http.close()
    # Relative imports must resolve on disk as they did on the server: the bundle
    # mirrors the tree from the deepest folder holding every file (a cloud may
    # redirect master.xsd to an entry in a sub-folder that imports ../siblings).
    base = _common_folder(entry_url, bodies)
    seen: dict[str, PurePosixPath] = {}
    for current, body in bodies.items():
        seen[current] = _local_name(current, base)
        target = dest / seen[current]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        if progress:
            progress(f"{current} -> {target}")
    manifest = {
        "source": start,
        "entries": [seen[entry_url].as_posix()],
        "files": sorted(p.as_posix() for p in seen.values()),
        "foreign_imports": sorted(foreign),
    }
    (dest / bundle_mod.MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return dest


def _get(http: httpx.Client, url: str) -> tuple[str, bytes]:
    """GET one file, refusing it as soon as it passes the size cap; (final URL, body)."""
    with http.stream("GET", url) as response:
        _ensure_ok(response, url)
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError(f"{url} is over {MAX_BYTES:,} bytes; refused")
            chunks.append(chunk)
        return str(response.url), b"".join(chunks)


def _ensure_ok(response: httpx.Response, url: str) -> None:
    if response.status_code != 200:
        raise FetchError(f"GET {url} answered {response.status_code}, expected 200")
    kind = response.headers.get("content-type", "")
    if "html" in kind.lower():
        raise FetchError(f"GET {url} answered an HTML page ({kind}), not an XSD")


def describe(path: Path) -> str:
    manifest = json.loads((path / bundle_mod.MANIFEST).read_text("utf-8"))
    count = len(manifest.get("files", []))
    return f"{count} schema files from {manifest.get('source')} in {path}"


__all__ = ["api_root", "describe", "fetch", "host_folder"]
