"""A document's file: what may be uploaded for each kind, the size limits, and the text of a PDF.

PDF text is read with pypdf (pure Python, on PyPI, no system library): the first pages of a study or
slides say what it is about, and reading them costs tens of milliseconds at upload, once. A PDF whose
text cannot be read (scanned, damaged, encrypted) is still accepted, only not searchable by its content.
"""

import io
import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from pypdf import PdfReader

from clubess.core import uploads
from clubess.core.errors import DomainError
from clubess.resources.models import DocumentKind

#: the files a document may be (photos: pictures only)
DOCUMENT_TYPES = frozenset({uploads.PDF} | uploads.OFFICE | uploads.IMAGES)
PHOTO_TYPES = uploads.IMAGES
#: the pages of a PDF whose text is indexed
TEXT_PAGES = 30
TEXT_LIMIT = 100_000

log = logging.getLogger(__name__)


@dataclass
class Upload:
    filename: str
    data: bytes


def max_bytes(content_type: str) -> int:
    setting = "RESOURCE_IMAGE_MAX_MB" if content_type in uploads.IMAGES else "RESOURCE_FILE_MAX_MB"
    return current_app.config[setting] * 1024 * 1024


def read_limit() -> int:
    """The most a request may carry for an upload form: the larger limit, plus the form's other fields."""
    config = current_app.config
    return (max(config["RESOURCE_FILE_MAX_MB"], config["RESOURCE_IMAGE_MAX_MB"]) + 1) * 1024 * 1024


def accepted_for(kind: str) -> frozenset[str]:
    return PHOTO_TYPES if kind == DocumentKind.PHOTO else DOCUMENT_TYPES


def check_upload(upload: Upload, kind: str) -> tuple[str, str]:
    """(name to show, content type) of an upload for a document of `kind`; DomainError on the field `file`."""
    name = uploads.check_name(upload.filename)
    if not upload.data:
        raise DomainError(_("Le fichier est vide."), "file")
    accepted = accepted_for(kind)
    content_type = uploads.detect_type(upload.data, name, accepted)
    if content_type is None:
        if kind == DocumentKind.PHOTO:
            message = _("Une photo est une image PNG, JPEG ou WebP, et son nom doit finir par l’extension de son type.")
        else:
            message = _(
                "Ce fichier n’est pas accepté : seuls les PDF, les documents Word, Excel, PowerPoint et OpenDocument "
                "(sans macros) et les images PNG, JPEG ou WebP le sont, et le nom doit finir par l’extension de leur "
                "type (le contenu du fichier est vérifié)."
            )
        raise DomainError(message, "file")
    limit = max_bytes(content_type)
    if len(upload.data) > limit:
        raise DomainError(
            _("Le fichier dépasse %(n)d Mo : réduisez-le (ou déposez-le ailleurs et liez-le).", n=limit // 1024**2),
            "file",
        )
    return name, content_type


def pdf_text(data: bytes) -> str:
    """The text of a PDF's first pages, for the search; empty when it cannot be read."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return ""
        parts, size = [], 0
        for page in reader.pages[:TEXT_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > TEXT_LIMIT:
                break
        return " ".join(" ".join(parts).split())[:TEXT_LIMIT]
    except Exception:  # noqa: BLE001 - a PDF pypdf cannot read is still a document: only its text is left out
        log.info("PDF text not extracted", exc_info=True)
        return ""
