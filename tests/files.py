"""Small real files for upload tests, made here by code: office containers, a PDF with text, images."""

import io
import zipfile

from tests.fixtures_press import PDF, png

__all__ = ["PDF", "docx", "odf", "pdf_with_text", "png", "xlsx", "zip_with"]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{main}"/></Types>'
)


def zip_with(entries: dict[str, bytes | str], stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), entries.pop(stored_first), zipfile.ZIP_STORED)
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(macros: bool = False) -> bytes:
    main = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if macros
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    entries = {
        "[Content_Types].xml": CONTENT_TYPES.format(part="word/document.xml", main=main),
        "word/document.xml": "<w:document/>",
    }
    if macros:
        entries["word/vbaProject.bin"] = b"\x00macro"
    return zip_with(entries)


def xlsx() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return zip_with(
        {
            "[Content_Types].xml": CONTENT_TYPES.format(part="xl/workbook.xml", main=main),
            "xl/workbook.xml": "<workbook/>",
        }
    )


def odf(kind: str = "text") -> bytes:
    return zip_with(
        {"mimetype": f"application/vnd.oasis.opendocument.{kind}", "content.xml": "<office:document-content/>"},
        stored_first="mimetype",
    )


def pdf_with_text(*lines: str) -> bytes:
    from clubess.resources.demo_files import make_pdf

    return make_pdf(list(lines))
