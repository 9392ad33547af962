"""Hostile XML bodies shared by the safexml and CLI tests (generated, never stored)."""

from __future__ import annotations

from pathlib import Path

SECRET = "s3cr3t-7f1c2b9e-never-in-output"


def xxe_file(target: Path) -> bytes:
    """Classic XXE: an external entity that names a local file."""
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE Task [<!ENTITY leak SYSTEM "{target.as_uri()}">]>\n'
        '<Task xmlns="http://www.vmware.com/vcloud/v1.5" status="running">'
        '<Owner href="https://x.example/api/vApp/vapp-1"/><Details>&leak;</Details></Task>'
    ).encode()


def xinclude_file(target: Path) -> bytes:
    """XInclude of a local file: must never be processed."""
    return (
        '<Task xmlns="http://www.vmware.com/vcloud/v1.5" '
        'xmlns:xi="http://www.w3.org/2001/XInclude" status="running">'
        f'<Details><xi:include href="{target.as_uri()}" parse="text"/></Details></Task>'
    ).encode()


def billion_laughs(levels: int = 10) -> bytes:
    lines = ['<!ENTITY lol0 "lol">']
    for i in range(1, levels):
        refs = f"&lol{i - 1};" * 10
        lines.append(f'<!ENTITY lol{i} "{refs}">')
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(lines) + "\n]>\n"
        f"<lolz>&lol{levels - 1};</lolz>"
    ).encode()


def external_dtd(url: str) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE Session SYSTEM "{url}">\n'
        '<Session xmlns="http://www.vmware.com/vcloud/v1.5" user="a" org="b"/>'
    ).encode()


def parameter_entity(url: str) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE r [<!ENTITY % remote SYSTEM "{url}"> %remote; <!ENTITY % inner "x">]>\n'
        "<r/>"
    ).encode()


def huge_body(size: int = 100 * 1024 * 1024) -> bytes:
    """A well-formed document of ``size`` bytes (built in memory, quickly)."""
    head = b'<Task xmlns="http://www.vmware.com/vcloud/v1.5" status="running"><Details>'
    tail = b"</Details></Task>"
    return head + b"a" * (size - len(head) - len(tail)) + tail


#: latin-1 bytes (0xE9) in a document that declares UTF-8.
WRONG_ENCODING = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Error xmlns="http://www.vmware.com/vcloud/v1.5" majorErrorCode="400" '
    'minorErrorCode="BAD_REQUEST" message="caf\xe9"/>'
).encode("latin-1")

UNSUPPORTED_ENCODING = (
    b'<?xml version="1.0" encoding="x-unknown-charset"?>\n'
    b'<Error xmlns="http://www.vmware.com/vcloud/v1.5" majorErrorCode="400" '
    b'minorErrorCode="BAD_REQUEST" message="x"/>'
)

UTF16_ERROR = (
    '<?xml version="1.0" encoding="UTF-16"?>\n'
    '<Error xmlns="http://www.vmware.com/vcloud/v1.5" majorErrorCode="400" '
    'minorErrorCode="BAD_REQUEST" message="caf\xe9 \u2603"/>'
).encode("utf-16")
