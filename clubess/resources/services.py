"""Documents: adding, editing, replacing the file, deleting (coordinators), and what each person may see."""

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.core import uploads
from clubess.core.audit import record
from clubess.core.errors import DomainError, Forbidden, NotFound
from clubess.core.permissions import Role, require_role
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.meetings.models import AgendaItem, Meeting
from clubess.meetings.services import VISIBLE
from clubess.practices.models import Practice, PracticeStatus
from clubess.resources import files
from clubess.resources.access import Viewer
from clubess.resources.models import Document, DocumentKind, Visibility
from clubess.resources.search import index_document, unindex_document

FOLDER = "resources"
LENGTHS = {"title": 300, "description": 5000, "url": 500}
URL_RE = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)
#: a practice named by its reference (D001, BP00012) or by the address of its page
PRACTICE_PAGE_RE = re.compile(r"/bonnes-pratiques/(\d{1,9})")
MAX_PRACTICES = 20


@dataclass
class DocumentData:
    title: str
    kind: str
    visibility: str
    description: str = ""
    lever: str | None = None
    agenda_item_id: int | None = None
    year: int | None = None
    url: str = ""
    #: the linked practices as typed: references or addresses of practice pages, separated by commas or lines
    practices: str = ""


def _practices(text: str) -> list[Practice]:
    tokens = [t.strip() for t in re.split(r"[,;\s]+", text or "") if t.strip()]
    if not tokens:
        return []
    if len(tokens) > MAX_PRACTICES:
        raise DomainError(_("%(n)d pratiques liées au plus.", n=MAX_PRACTICES), "practices")
    ids = {int(m.group(1)) for t in tokens if (m := PRACTICE_PAGE_RE.search(t))}
    refs = {t[:40] for t in tokens if not PRACTICE_PAGE_RE.search(t)}
    found = list(
        db.session.scalars(
            sa.select(Practice).where(
                sa.or_(Practice.ref.in_(sorted(refs)), Practice.id.in_(sorted(ids))),
                Practice.status != PracticeStatus.ARCHIVED,
            )
        )
    )
    unknown = sorted(refs - {p.ref for p in found}) + [
        f"/bonnes-pratiques/{i}" for i in sorted(ids - {p.id for p in found})
    ]
    if unknown:
        raise DomainError(
            _("Pratique introuvable (ou archivée) : %(refs)s.", refs=", ".join(unknown)[:300]), "practices"
        )
    return sorted(found, key=lambda p: p.title)


def _validate(meeting: Meeting | None, data: DocumentData, document: Document | None, upload) -> dict[str, str]:
    errors = {}
    if not data.title.strip():
        errors["title"] = _("Donnez un titre au document.")
    for name, limit in LENGTHS.items():
        if len(getattr(data, name) or "") > limit:
            errors[name] = _("Ce champ dépasse %(n)s caractères.", n=limit)
    if data.kind not in set(DocumentKind):
        errors["kind"] = _("Type de document inconnu.")
    allowed = set(Visibility) if meeting is not None else {Visibility.PUBLIC, Visibility.MEMBERS}
    if data.visibility not in allowed:
        errors["visibility"] = (
            _("Un document du centre de ressources est public ou réservé aux membres.")
            if data.visibility == Visibility.REGISTRANTS
            else _("Visibilité inconnue.")
        )
    if data.lever and data.lever not in LEVERS:
        errors["lever"] = _("Levier inconnu.")
    if data.agenda_item_id is not None and (
        meeting is None or data.agenda_item_id not in {item.id for item in meeting.items}
    ):
        errors["agenda_item_id"] = _("Ce point n’est pas à l’ordre du jour de cette rencontre.")
    if meeting is None and data.year is not None and not 1980 <= data.year <= date.today().year + 1:
        errors["year"] = _("Année invalide : entre 1980 et l’an prochain.")
    if data.kind == DocumentKind.REPLAY:
        if upload is not None:
            errors["file"] = _("Une vidéo (Replay) est un lien, pas un fichier : indiquez son adresse.")
        if not data.url.strip():
            errors.setdefault("url", _("Indiquez l’adresse de la vidéo (https://…)."))
        elif not URL_RE.match(data.url.strip()):
            errors.setdefault(
                "url", _("L’adresse doit commencer par https:// (ou http://) et ne contenir aucun espace.")
            )
    elif upload is None and (document is None or document.is_link):
        errors["file"] = _("Choisissez le fichier à déposer.")
    elif upload is None and data.kind == DocumentKind.PHOTO and not document.is_image:
        errors["file"] = _("Une photo est une image : déposez une image PNG, JPEG ou WebP.")
    return errors


def _apply(document: Document, meeting: Meeting | None, data: DocumentData, linked: list[Practice]) -> None:
    document.title = " ".join(data.title.split())
    document.description = data.description.strip()
    document.kind = data.kind
    document.visibility = data.visibility
    document.lever = data.lever or None
    document.agenda_item_id = data.agenda_item_id if meeting is not None else None
    document.year = data.year if meeting is None else None
    document.practices = linked


def _set_file(document: Document, upload: files.Upload | None, kind: str) -> str | None:
    """Store the upload (checked) as the document's file, or turn the document into a link; returns the file
    the document no longer uses (it leaves the disk when the transaction commits)."""
    previous = document.stored_name
    if kind == DocumentKind.REPLAY:
        document.stored_name, document.filename, document.content_type, document.size, document.text = (
            None,
            "",
            "",
            0,
            "",
        )
        return previous
    if upload is None:
        return None
    name, content_type = files.check_upload(upload, kind)
    document.stored_name = uploads.store(db.session, FOLDER, upload.data, content_type)
    document.filename, document.content_type, document.size = name, content_type, len(upload.data)
    document.text = files.pdf_text(upload.data) if content_type == uploads.PDF else ""
    return previous


def save_document(
    actor,
    meeting: Meeting | None,
    document: Document | None,
    data: DocumentData,
    upload: files.Upload | None = None,
) -> Document:
    """Add a document to a meeting (or to the centre, without one), or edit it; an upload replaces its file."""
    require_role(actor, Role.COORDINATOR)
    errors = _validate(meeting, data, document, upload)
    if not errors.get("file") and upload is not None and data.kind in set(DocumentKind):
        try:
            files.check_upload(upload, data.kind)
        except DomainError as exc:
            errors.update(exc.errors)
    linked = []
    if not errors.get("practices"):
        try:
            linked = _practices(data.practices)  # before the new row exists: the query never flushes it half-done
        except DomainError as exc:
            errors.update(exc.errors)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    creating = document is None
    if creating:
        document = Document(meeting_id=meeting.id if meeting else None, meeting=meeting)
        db.session.add(document)
    _apply(document, meeting, data, linked)
    document.url = data.url.strip() if data.kind == DocumentKind.REPLAY else ""
    replaced = _set_file(document, upload, data.kind)
    if replaced and replaced != document.stored_name:
        uploads.remove_after_commit(db.session, replaced)
    db.session.flush()
    index_document(document)
    action = "resource.created" if creating else ("resource.file_replaced" if upload else "resource.updated")
    record(
        actor,
        action,
        document,
        title=document.title,
        kind=document.kind,
        visibility=document.visibility,
        meeting=meeting.id if meeting else None,
        filename=document.filename or None,
        size=document.size or None,
    )
    return document


def delete_document(actor, document: Document) -> None:
    """The document goes, and its file leaves the disk once this is committed."""
    require_role(actor, Role.COORDINATOR)
    record(
        actor,
        "resource.deleted",
        document,
        title=document.title,
        kind=document.kind,
        meeting=document.meeting_id,
        filename=document.filename or None,
    )
    uploads.remove_after_commit(db.session, document.stored_name)
    unindex_document(document.id)
    db.session.delete(document)
    db.session.flush()


def get_document(document_id: int) -> Document:
    document = db.session.scalar(
        sa.select(Document)
        .where(Document.id == document_id)
        .options(selectinload(Document.meeting), selectinload(Document.agenda_item), selectinload(Document.practices))
    )
    if document is None:
        raise NotFound(_("Document introuvable."))
    return document


class LoginNeeded(Forbidden):
    """The document is not public and nobody is logged in: the page asks to log in."""


def get_for(viewer: Viewer, document_id: int) -> Document:
    """A document this person may open (checked on every page and download); a draft meeting's stays hidden."""
    document = get_document(document_id)
    if document.meeting is not None and document.meeting.status not in VISIBLE and not viewer.is_coordinator:
        raise NotFound(_("Document introuvable."))
    if not viewer.can_see(document):
        if not viewer.is_authenticated:
            raise LoginNeeded("login")
        if document.visibility == Visibility.REGISTRANTS:
            raise Forbidden(_("Ce document est réservé aux personnes inscrites à la rencontre."))
        raise Forbidden(_("Ce document est réservé aux membres du club."))
    return document


def list_for_meeting(actor, meeting: Meeting) -> list[Document]:
    """Every document of a meeting, for its coordinators' page (agenda order, then newest)."""
    require_role(actor, Role.COORDINATOR)
    return list(
        db.session.scalars(
            sa.select(Document)
            .where(Document.meeting_id == meeting.id)
            .outerjoin(AgendaItem, AgendaItem.id == Document.agenda_item_id)
            .options(selectinload(Document.practices))
            .order_by(AgendaItem.position.is_(None), AgendaItem.position, Document.id)
        )
    )


def list_centre(actor, page: int = 1):
    """The centre's own documents (those of no meeting), newest first, for the coordinators' page."""
    require_role(actor, Role.COORDINATOR)
    stmt = (
        sa.select(Document)
        .where(Document.meeting_id.is_(None))
        .options(selectinload(Document.practices))
        .order_by(Document.created_at.desc(), Document.id.desc())
    )
    return db.paginate(stmt, page=max(1, page), per_page=50, max_per_page=50, error_out=False)


def count_by_meeting(actor) -> list[tuple[Meeting, int]]:
    """Meetings holding documents, with their count (the coordinators' centre page links them)."""
    require_role(actor, Role.COORDINATOR)
    rows = db.session.execute(
        sa.select(Meeting, sa.func.count(Document.id))
        .join(Document, Document.meeting_id == Meeting.id)
        .group_by(Meeting.id)
        .order_by(Meeting.starts_at.desc())
    ).all()
    return [(meeting, count) for meeting, count in rows]


@dataclass
class MeetingDocuments:
    """A meeting's documents as a person sees them on its page."""

    by_item: dict[int, list[Document]] = field(default_factory=dict)
    others: list[Document] = field(default_factory=list)
    #: documents they may not open, by visibility (the page says how to get them)
    hidden: dict[str, int] = field(default_factory=dict)
    #: agenda item id -> its published practice fiche
    practices: dict[int, Practice] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.others) + sum(len(d) for d in self.by_item.values())


def for_meeting_page(meeting: Meeting, viewer: Viewer) -> MeetingDocuments:
    """What the meeting's page lists: documents under their agenda item, the others after (two queries)."""
    result = MeetingDocuments()
    item_ids = {item.id for item in meeting.items}
    for document in db.session.scalars(
        sa.select(Document).where(Document.meeting_id == meeting.id).order_by(Document.kind, Document.id)
    ):
        if not viewer.can_see(document):
            result.hidden[document.visibility] = result.hidden.get(document.visibility, 0) + 1
        elif document.agenda_item_id in item_ids:
            result.by_item.setdefault(document.agenda_item_id, []).append(document)
        else:
            result.others.append(document)
    linked = {item.practice_id: item.id for item in meeting.items if item.practice_id}
    if linked:
        for practice in db.session.scalars(
            sa.select(Practice).where(Practice.id.in_(list(linked)), Practice.status == PracticeStatus.PUBLISHED)
        ):
            for item in meeting.items:
                if item.practice_id == practice.id:
                    result.practices[item.id] = practice
    return result


def for_meetings(meeting_ids: list[int], viewer: Viewer) -> dict[int, list[Document]]:
    """The documents each of these meetings offers this person (a member's registrations page; one query)."""
    if not meeting_ids:
        return {}
    found: dict[int, list[Document]] = {}
    for document in db.session.scalars(
        sa.select(Document)
        .join(Meeting, Meeting.id == Document.meeting_id)
        .where(Document.meeting_id.in_(sorted(set(meeting_ids))), Meeting.status.in_(VISIBLE))
        .order_by(Document.meeting_id, Document.kind, Document.id)
    ):
        if viewer.can_see(document):
            found.setdefault(document.meeting_id, []).append(document)
    return found


def for_attendee(meeting_id: int, is_member: bool) -> list[Document]:
    """What the minutes mail lists for one attendee: every document of the meeting for a member (who holds a
    seat there, and can log in), only the public ones for someone from outside the club (no account)."""
    viewer = Viewer(is_authenticated=is_member, is_member=is_member, registered={meeting_id} if is_member else set())
    return for_meetings([meeting_id], viewer).get(meeting_id, [])


def for_practice(practice: Practice, viewer: Viewer) -> list[Document]:
    """The documents linked to a practice that this person may open (one query)."""
    from clubess.resources.models import document_practices

    documents = db.session.scalars(
        sa.select(Document)
        .join(document_practices, document_practices.c.document_id == Document.id)
        .outerjoin(Meeting, Meeting.id == Document.meeting_id)
        .where(
            document_practices.c.practice_id == practice.id,
            sa.or_(Document.meeting_id.is_(None), Meeting.status.in_(VISIBLE)),
        )
        .options(selectinload(Document.meeting))
        .order_by(Document.title)
    )
    return [d for d in documents if viewer.can_see(d)]
