"""Just enough PNG decoding to look at a screenshot without Pillow (8-bit RGB/RGBA)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def decode(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB triples as bytes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        ftype, cur = line[0], bytearray(line[1:])
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                cur[i] = (cur[i] + a) & 0xFF
            elif ftype == 2:
                cur[i] = (cur[i] + b) & 0xFF
            elif ftype == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                cur[i] = (cur[i] + pred) & 0xFF
        rows.append(bytes(v for j, v in enumerate(cur) if j % bpp < 3))
        prev = cur
    return width, height, rows


def colours(rows: list[bytes], step: int = 4) -> set[tuple[int, int, int]]:
    """Distinct colours on a grid of every ``step``-th pixel."""
    out = set()
    for row in rows[::step]:
        for i in range(0, len(row) - 2, 3 * step):
            out.add((row[i], row[i + 1], row[i + 2]))
    return out
