"""Reading what the exports wrote: a CSV as rows, an XLSX (zip of XML) as typed cells, with no library."""

import csv
import io
import re
import zipfile
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _xml(data: bytes):
    return ElementTree.fromstring(data)  # noqa: S314 - the file our own export just wrote


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref).group()
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx_cells(data: bytes) -> dict:
    """{(row, col): Cell} of the first sheet (0-based), each cell with its type, value and style flags."""
    book = zipfile.ZipFile(io.BytesIO(data))
    names = book.namelist()
    shared = []
    if "xl/sharedStrings.xml" in names:
        for si in _xml(book.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
    styles = _xml(book.read("xl/styles.xml"))
    formats = {int(f.get("numFmtId")): f.get("formatCode") for f in styles.iter(f"{{{NS['m']}}}numFmt")}
    xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)
    sheet = book.read("xl/worksheets/sheet1.xml")
    cells = {}
    for c in _xml(sheet).iter(f"{{{NS['m']}}}c"):
        ref = c.get("r")
        row = int(re.search(r"\d+", ref).group()) - 1
        xf = xfs[int(c.get("s", "0"))]
        v = c.find("m:v", NS)
        kind = c.get("t", "n")
        value = shared[int(v.text)] if kind == "s" else (float(v.text) if v is not None else None)
        cells[(row, _column(ref))] = {
            "type": kind,
            "value": value,
            "formula": c.find("m:f", NS) is not None,
            "quote_prefix": xf.get("quotePrefix") == "1",
            "format": formats.get(int(xf.get("numFmtId", "0")), ""),
        }
    return cells


def xlsx_rows(data: bytes) -> list[list]:
    cells = xlsx_cells(data)
    if not cells:
        return []
    height = max(r for r, _c in cells) + 1
    width = max(c for _r, c in cells) + 1
    return [[(cells.get((r, c)) or {}).get("value") for c in range(width)] for r in range(height)]


def has_formula(data: bytes) -> bool:
    book = zipfile.ZipFile(io.BytesIO(data))
    return any(b"<f>" in book.read(n) or b"<f " in book.read(n) for n in book.namelist() if n.endswith(".xml"))
