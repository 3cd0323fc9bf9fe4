"""Uploaded files: what a file really is, a name safe to show, and where its bytes live on disk.

One place decides what a file is, for every domain that takes uploads (communiqué attachments, meeting
documents): its first bytes, and for office documents the content type declared inside the zip
container, never the name's extension alone nor the type the browser claims. The extension must agree
with the bytes, so a PDF named `photo.png` or a program named `slides.pdf` is refused.

Files are kept in the uploads' storage (`core.storage`: `UPLOAD_FOLDER`, or an S3-compatible bucket), each
domain in its own sub-folder, under a generated name: the name people gave is only ever shown (and sent back
in `Content-Disposition`). A file written in a transaction that rolls back is removed; a file removed in a
transaction leaves the storage only once the transaction commits.
"""

import io
import re
import secrets
import unicodedata
import zipfile

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from clubess.core.errors import DomainError
from clubess.core.storage import storage

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

ZIP_MAGIC = b"PK\x03\x04"
#: what may be uploaded: the first bytes of each type, and its usual extensions
SIGNATURES = {
    PDF: ((b"%PDF-",), {"pdf"}),
    PNG: ((b"\x89PNG\r\n\x1a\n",), {"png"}),
    JPEG: ((b"\xff\xd8\xff",), {"jpg", "jpeg"}),
    WEBP: ((b"RIFF",), {"webp"}),
    DOCX: ((ZIP_MAGIC,), {"docx"}),
    XLSX: ((ZIP_MAGIC,), {"xlsx"}),
    PPTX: ((ZIP_MAGIC,), {"pptx"}),
    ODT: ((ZIP_MAGIC,), {"odt"}),
    ODS: ((ZIP_MAGIC,), {"ods"}),
    ODP: ((ZIP_MAGIC,), {"odp"}),
}
IMAGES = frozenset({PNG, JPEG, WEBP})
OFFICE = frozenset({DOCX, XLSX, PPTX, ODT, ODS, ODP})
#: the extension a stored file gets, from its type (never from the name people gave)
EXTENSIONS = {
    PDF: "pdf",
    PNG: "png",
    JPEG: "jpg",
    WEBP: "webp",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    ODT: "odt",
    ODS: "ods",
    ODP: "odp",
}
#: Office Open XML: the main part's content type, declared in [Content_Types].xml
OOXML_MAIN = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
#: macros make a document a program: refused even when the outer type would pass
MACRO_MARKERS = ("vbaproject.bin", "macroenabled", "basic/", "scripts/")
#: a container with more entries than this is not a document anybody writes (and could be a zip bomb)
MAX_ZIP_ENTRIES = 5000
MAX_MANIFEST_BYTES = 512 * 1024
NAME_LENGTH = 200


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _office_type(data: bytes, extension: str) -> str | None:
    """The office type a zip container declares inside, if it is the one its extension names, without macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return None
            names = {e.filename.lower(): e for e in entries}
            if any(marker in name for name in names for marker in MACRO_MARKERS):
                return None
            for content_type in (DOCX, XLSX, PPTX):
                if extension in SIGNATURES[content_type][1]:
                    entry = names.get("[content_types].xml")
                    if entry is None or entry.file_size > MAX_MANIFEST_BYTES:
                        return None
                    manifest = archive.read(entry).decode("utf-8", "replace").lower()
                    return content_type if OOXML_MAIN[content_type] in manifest else None
            for content_type in (ODT, ODS, ODP):
                if extension in SIGNATURES[content_type][1]:
                    entry = names.get("mimetype")
                    if entry is None or entry.file_size > 200:
                        return None
                    declared = archive.read(entry).decode("ascii", "replace").strip()
                    return content_type if declared == content_type else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    return None


def detect_type(data: bytes, filename: str, accepted=None) -> str | None:
    """The content type the bytes really are, if it is one of `accepted` (default: every known type) and the
    name's extension agrees; None otherwise."""
    extension = extension_of(filename)
    for content_type, (magics, extensions) in SIGNATURES.items():
        if accepted is not None and content_type not in accepted:
            continue
        if extension not in extensions or not any(data.startswith(m) for m in magics):
            continue
        if content_type == WEBP:
            return WEBP if data[8:12] == b"WEBP" else None
        if content_type in OFFICE:
            return _office_type(data, extension)
        return content_type
    return None


def check_name(filename: str, field: str = "file") -> str:
    """The name people gave, kept for display: refused if it holds a path or control characters.

    Browsers send the bare name of the file; a name with a folder in it was written by hand or by a
    program, and is refused rather than silently cut.
    """
    name = unicodedata.normalize("NFC", filename or "").strip()
    if not name:
        raise DomainError(_("Le fichier n’a pas de nom."), field)
    if "/" in name or "\\" in name or name.strip(". ") == "" or re.search(r"[\x00-\x1f\x7f]", name):
        raise DomainError(
            _("Le nom du fichier ne doit pas contenir de chemin (« / » ou « \\ ») : renommez-le et réessayez."),
            field,
        )
    if len(name) > NAME_LENGTH:
        stem, _dot, extension = name.rpartition(".")
        keep = NAME_LENGTH - len(extension) - 1
        name = f"{stem[:keep]}.{extension}" if stem and 0 < len(extension) < 12 else name[:NAME_LENGTH]
    return name


# --- storage ----------------------------------------------------------------------------------------

_WRITTEN = "clubess_uploads_written"
_REMOVED = "clubess_uploads_removed"


def sendable(stored: str):
    """What `send_file` takes for a stored name (a path on disk, the bytes from a bucket), or None when gone."""
    try:
        return storage().sendable(stored)
    except ValueError:
        return None


def store(session: Session, domain: str, data: bytes, content_type: str) -> str:
    """Write the bytes under a generated name in the domain's folder; returns the stored name (relative).

    Removed again if the session's transaction rolls back."""
    token = secrets.token_hex(16)
    stored = f"{domain}/{token[:2]}/{token}.{EXTENSIONS[content_type]}"
    storage().write(stored, data)
    session.info.setdefault(_WRITTEN, []).append(stored)
    return stored


def remove_after_commit(session: Session, stored: str | None) -> None:
    """The file leaves the disk when the transaction that stopped using it commits (never before)."""
    if stored:
        session.info.setdefault(_REMOVED, []).append(stored)


def _unlink(stored: str) -> None:
    try:
        storage().delete(stored)
    except Exception:  # noqa: BLE001 (a file left behind must not undo a committed change)
        current_app.logger.warning("could not remove the uploaded file %s", stored)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for stored in session.info.pop(_REMOVED, []):
        _unlink(stored)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_REMOVED, None)
    for stored in session.info.pop(_WRITTEN, []):
        _unlink(stored)
