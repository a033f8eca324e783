"""Hostile files built in the test, never stored: PDFs that decompress to gigabytes or whose page tree
loops, a Parquet file whose metadata claims billions of rows, YAML alias bombs."""

from __future__ import annotations

import io
import struct
import zlib

from tests.reader.minimal_pdf import assemble, make_pdf


def _stream(data: bytes, compressed: bool = True) -> bytes:
    body = zlib.compress(data, 9) if compressed else data
    flt = b" /Filter /FlateDecode" if compressed else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(body), flt) + body + b"\nendstream"


def text_page_pdf(text: str = "Vraag 1 Hoeveel bedrijven gebruiken de WBSO?") -> bytes:
    """One page with real text (a control: it reads)."""
    return make_pdf([[text]])


def flate_bomb_pdf(pages: int = 6, megabytes_each: int = 1024) -> bytes:
    """Pages whose content streams each inflate to `megabytes_each` MB of spaces (about 1 MB each
    compressed): gigabytes once decompressed."""
    chunk = zlib.compressobj(9)
    block = b" " * (1 << 20)
    compressed = b"".join(chunk.compress(block) for _ in range(megabytes_each)) + chunk.flush()
    stream = (
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed) + compressed + b"\nendstream"
    )
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
    ]
    content = 3 + pages
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>" % content
        for _ in range(pages)
    ]
    objects.append(stream)
    return assemble(objects)


def looping_pdf() -> bytes:
    """A page tree whose Pages node lists itself as its own kid (and a page whose parent loops)."""
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _stream(b"BT /F1 12 Tf 72 720 Td (Vraag 1) Tj ET"),
        ]
    )


def many_pages_pdf(pages: int) -> bytes:
    """`pages` pages sharing one small content stream (a cheap file with a long page list)."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    content = 3 + pages
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>" % content
        for _ in range(pages)
    ]
    objects.append(_stream(b"BT 72 720 Td (Antwoord) Tj ET"))
    return assemble(objects)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def lying_parquet(claimed: int, everywhere: bool = False) -> bytes:
    """A 10-row Parquet file whose footer claims `claimed` rows (in the file's row count; with
    `everywhere`, in its row group and column chunks too). Thrift's compact encoding is
    self-delimiting, so a longer varint only needs the footer length rewritten."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table({"so_uren": [100.0] * 10, "weight": [1.0] * 10}), buffer)
    data = buffer.getvalue()
    size = struct.unpack("<i", data[-8:-4])[0]
    footer = data[-8 - size : -8]
    ten = b"\x16\x14"  # an i64 field (type 6) one id after the last, zigzag varint 10
    lie = b"\x16" + _varint(claimed << 1)
    if everywhere:
        forged = footer.replace(ten, lie)
    else:
        at = footer.index(ten)
        forged = footer[:at] + lie + footer[at + 2 :]
    return data[: -8 - size] + forged + struct.pack("<i", len(forged)) + b"PAR1"


def alias_bomb(levels: int = 9, field: str = "name") -> str:
    """A ~1 KB YAML profile whose `field` expands to 9**levels strings ("billion laughs")."""
    lines = [
        "year: 2024",
        "onderneming: {}",
        "description:",
        '  - &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    for level in range(1, levels):
        lines.append(f"  - &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    lines.append(f"{field}: *a{levels - 1}")
    return "\n".join(lines) + "\n"
