"""The payloads the benchmarks validate: the 5.5 fixtures plus bigger realistic ones.

Real crawls of a cloud are dominated by small documents (tasks, references,
sessions) with a tail of large ones (vApps with many VMs, full query pages). The
corpus repeats the 5.5 fixtures and three generated documents, each built from a
fixture so that it stays valid and conformant at API 5.5:

* a vApp with 8 VMs (about 100 KB),
* a query page of 128 VMRecords (``pageSize`` maximum),
* a vDC listing 60 resource entities.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from lxml import etree

VERSION = "5.5"
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "payloads" / VERSION


def _uuid(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


def big_vapp(vms: int = 8) -> bytes:
    text = (FIXTURES / "vapp.xml").read_text(encoding="utf-8")
    match = re.search(r"        <Vm .*?        </Vm>\n", text, flags=re.S)
    assert match is not None
    vm = match.group(0)
    vm_id = re.search(r'id="urn:vcloud:vm:([0-9a-f-]+)"', vm)
    assert vm_id is not None
    copies = []
    for i in range(vms):
        copy = vm.replace(vm_id.group(1), _uuid(f"vm-{i}"))
        copy = copy.replace("tps-app-01", f"tps-app-{i + 1:02d}")
        copy = copy.replace("00:50:56:03:0c:11", f"00:50:56:03:0d:{i:02x}")
        copy = copy.replace("10.20.30.11", f"10.20.30.{20 + i}")
        copies.append(copy)
    return text.replace(vm, "".join(copies)).encode()


def big_query(records: int = 128) -> bytes:
    text = (FIXTURES / "query-vms.xml").read_text(encoding="utf-8")
    rows = re.findall(r"    <VMRecord .*?/>\n", text)
    template = rows[0]
    vm_href = re.search(r'href="([^"]+/vm-)([0-9a-f-]+)"', template)
    assert vm_href is not None
    generated = []
    for i in range(records):
        row = template.replace(vm_href.group(2), _uuid(f"record-{i}"))
        row = row.replace('name="tps-app-01"', f'name="node-{i:03d}"')
        generated.append(row)
    text = text.replace("".join(rows), "".join(generated))
    text = text.replace('total="3" pageSize="25"', f'total="{records * 4}" pageSize="{records}"')
    return text.encode()


def big_vdc(entities: int = 60) -> bytes:
    text = (FIXTURES / "vdc.xml").read_text(encoding="utf-8")
    rows = re.findall(r"        <ResourceEntity .*?/>\n", text)
    first = rows[0]
    href = re.search(r'href="([^"]+/vapp-)([0-9a-f-]+)"', first)
    assert href is not None
    generated = [
        first.replace(href.group(2), _uuid(f"entity-{i}")).replace(
            'name="payroll"', f'name="app-{i:03d}"'
        )
        for i in range(entities)
    ]
    return text.replace("".join(rows), "".join(generated)).encode()


def distinct() -> list[tuple[str, bytes]]:
    """One of each payload: (name, body)."""
    items = [(p.name, p.read_bytes()) for p in sorted(FIXTURES.glob("*.xml"))]
    items += [
        ("vapp-8vms.xml", big_vapp()),
        ("query-128.xml", big_query()),
        ("vdc-60.xml", big_vdc()),
    ]
    return items


def build(count: int = 2000) -> list[tuple[str, bytes]]:
    """``count`` payloads, cycling through :func:`distinct` (names made unique)."""
    base = distinct()
    out = []
    for i in range(count):
        name, body = base[i % len(base)]
        out.append((f"{i:04d}-{name}", body))
    return out


def media_type(body: bytes) -> str | None:
    return etree.fromstring(body).get("type")
