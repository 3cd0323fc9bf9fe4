"""Small real files for the demo, written by code: a one-page PDF with text, a PNG picture.

Nothing binary is committed: the demo documents are generated when `flask demo load` runs.
"""

import struct
import zlib


def _pdf_text(text: str) -> str:
    encoded = text.encode("cp1252", "replace").decode("latin-1")
    return encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(lines: list[str], title: str = "") -> bytes:
    """An A4 PDF page with the lines in Helvetica (WinAnsi: French accents print), readable by text extractors."""
    body = ["BT", "/F1 18 Tf", "56 780 Td", "22 TL"]
    if title:
        body.append(f"({_pdf_text(title)}) Tj T*")
    body.append("/F1 11 Tf 16 TL")
    for line in lines:
        body.append(f"({_pdf_text(line)}) Tj T*")
    body.append("ET")
    stream = "\n".join(body).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_png(width: int = 320, height: int = 200, colour: tuple[int, int, int] = (32, 96, 160)) -> bytes:
    """A picture with a soft diagonal gradient of `colour` (a stand-in for a meeting photo)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    r, g, b = colour
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            shade = (x + y) * 96 // (width + height)
            rows += bytes((min(255, r + shade), min(255, g + shade), min(255, b + shade)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )
